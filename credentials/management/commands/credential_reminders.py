"""Run the daily credential checks from cron: `manage.py credential_reminders`.

Sends holders their expiry reminders and announces EXPIRING and EXPIRED events (watch list
alerts). Safe to run more than once a day. `--date` runs as of another day, to catch up.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from credentials.services.lifecycle import run_daily_checks


class Command(BaseCommand):
    help = "Send credential expiry reminders and expiry alerts (safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Run as of this day (YYYY-MM-DD) instead of today.", default=None
        )

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date must be a date like 2026-03-31, not {date!r}.") from None
        result = run_daily_checks(today=today)
        self.stdout.write(
            f"Superseded {result.superseded} credential(s) by renewals starting today; sent "
            f"{result.reminders} reminder(s); announced {result.expiring} expiring and "
            f"{result.expired} expired credential(s)."
        )
