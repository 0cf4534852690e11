from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_standard_exams(sender, **kwargs):
    from exams.standard_exams import ensure_standard_exams

    ensure_standard_exams()


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = "Exams"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exams.audit_words import ACTION_WORDS, open_appeals_note, waiting_adjustments_note
        from portal.audit_words import ACTION_WORDS as PORTAL_ACTION_WORDS
        from portal.views.dashboards import CARD_NOTES

        PORTAL_ACTION_WORDS.update(ACTION_WORDS)
        CARD_NOTES["/manage/exams/"] = waiting_adjustments_note
        CARD_NOTES["/manage/exams/appeals/"] = open_appeals_note
        post_migrate.connect(
            _ensure_standard_exams, sender=self, dispatch_uid="exams_standard_exams"
        )
