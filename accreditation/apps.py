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
        from accreditation.audit_words import ACTION_WORDS
        from accreditation.selectors import card_notes
        from portal import audit_words
        from portal.views.dashboards import CARD_LISTS, CARD_NOTES

        CARD_NOTES.update(card_notes.NOTES)
        CARD_LISTS.update(card_notes.LISTS)
        audit_words.ACTION_WORDS.update(ACTION_WORDS)
        post_migrate.connect(
            _ensure_standard_pathways, sender=self, dispatch_uid="accreditation_standard_pathways"
        )
