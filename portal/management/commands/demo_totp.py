"""Print the current two-factor code for the demo staff accounts (demo only)."""

from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current authenticator code shared by the demo staff accounts."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_totp is for the demo only and refuses to run in production.")
        counters = list(yield_hotp_counters_from_time())
        current = counters[len(counters) // 2]
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, current)))
