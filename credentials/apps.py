from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_standard_types(sender, **kwargs):
    from credentials.standard_types import ensure_standard_types

    ensure_standard_types()


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the deploy checks; connects the signal receivers.
        from credentials import checks, receivers  # noqa: F401
        from credentials.certificates import receivers as _certificates  # noqa: F401

        post_migrate.connect(
            _ensure_standard_types, sender=self, dispatch_uid="credentials_standard_types"
        )
