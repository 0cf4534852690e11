from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_standard_pathways(sender, **kwargs):
    from accreditation.standard_pathways import ensure_standard_pathways

    ensure_standard_pathways()


class AccreditationConfig(AppConfig):
    """Pathways, applications, review, decisions and appeals: the process that ends in an award.

    Awards go through credentials.api; this app never imports exams (nor exams this one).
    """

    name = "accreditation"
    verbose_name = "Accreditation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Dashboard cards, audit words and permissions are declared in accreditation/api.py.
        post_migrate.connect(
            _ensure_standard_pathways, sender=self, dispatch_uid="accreditation_standard_pathways"
        )
