import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("portfolio.uploads")


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolios"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portfolio.clamd import scanning_enabled

        if settings.PRODUCTION and not scanning_enabled():
            # Allowed only by an explicit VIRUS_SCAN=off (portal/settings.py); said at every start.
            logger.critical(
                "VIRUS_SCAN=off: evidence files are NOT scanned for viruses. Assessors will open "
                "these files; configure CLAMD_SOCKET or CLAMD_HOST as soon as you can."
            )
