from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from credentials import receivers  # noqa: F401  (connects the signal receivers)
        from credentials.certificates import receivers as _certificates  # noqa: F401
        from credentials.services.watchlists import ALERTS_PATH, unread_alerts_note
        from portal.views.dashboards import CARD_NOTES

        CARD_NOTES[ALERTS_PATH] = unread_alerts_note
