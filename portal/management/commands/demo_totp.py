"""Print the current two-factor code for the demo staff accounts (demo only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_TOTP_SECRET
from portal.totp import current_code


class Command(BaseCommand):
    help = "Print the current authenticator code shared by the demo staff accounts."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_totp is for the demo only and refuses to run in production.")
        self.stdout.write(current_code(DEMO_TOTP_SECRET))
