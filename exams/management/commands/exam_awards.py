"""Award the credentials of sittings whose scheduled release time has come (cron it hourly).

A release "now" awards as its transaction commits; a release scheduled for later is awarded
here once due. Safe to run at any time: issuing is idempotent per candidate result.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from exams.models import Sitting, SittingStatus
from exams.services.standards import award_passes


class Command(BaseCommand):
    help = "Award the credential for every pass at sittings whose results are released and due."

    def handle(self, *args, **options):
        due = Sitting.objects.filter(
            status=SittingStatus.RELEASED, released_at__lte=timezone.now()
        ).values_list("pk", flat=True)
        total = sum(award_passes(pk) for pk in due)
        self.stdout.write(f"{len(due)} released sittings checked, {total} passes awarded or kept.")
