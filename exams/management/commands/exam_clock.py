"""Submit every online paper whose time is up (cron it every minute in production).

A candidate who closes the tab for good has their answers submitted as they stood when the
time ran out; any request of theirs does the same sooner. Safe to run at any time."""

from django.core.management.base import BaseCommand

from exams.services.attempts import submit_overdue


class Command(BaseCommand):
    help = "Submit every online paper whose time is up."

    def handle(self, *args, **options):
        count = submit_overdue()
        self.stdout.write(f"{count} paper{'s' if count != 1 else ''} submitted when time ran out.")
