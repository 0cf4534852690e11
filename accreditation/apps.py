from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "accreditation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accreditation import receivers  # noqa: F401  (connects the signal receivers)
        from accreditation.certificates import receivers as _certificates  # noqa: F401
        from accreditation.services.watchlists import ALERTS_PATH, unread_alerts_note
        from portal.views.dashboards import CARD_NOTES

        CARD_NOTES[ALERTS_PATH] = unread_alerts_note
