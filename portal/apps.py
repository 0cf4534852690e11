from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, app_config=None, **kwargs):
    from django.apps import apps

    # post_migrate fires once per app; act after the last, when every permission exists.
    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    from portal.roles import ensure_roles

    ensure_roles()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import signals  # noqa: F401

        # After the last app migrates, so every permission exists.
        post_migrate.connect(_ensure_roles, dispatch_uid="portal_ensure_roles")
