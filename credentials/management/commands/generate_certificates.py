"""Queue signed PDF certificates in bulk: `manage.py generate_certificates`.

By default every credential without a certificate (revoked ones excepted); `--serial` picks
some; `--force` remakes existing ones (after a design change or a new issuer key). The work runs
as one background task (inline with the immediate backend).
"""

from django.core.management.base import BaseCommand, CommandError

from credentials.models import Credential, CredentialStatus
from credentials.tasks import generate_certificates


class Command(BaseCommand):
    help = "Make the signed PDF certificates that are missing (or, with --force, all of them)."

    def add_arguments(self, parser):
        parser.add_argument("--serial", action="append", default=[], help="Only this serial.")
        parser.add_argument("--force", action="store_true", help="Remake existing certificates.")

    def handle(self, *args, serial=(), force=False, **options):
        credentials = Credential.objects.exclude(status=CredentialStatus.REVOKED)
        if serial:
            credentials = credentials.filter(serial__in=serial)
            missing = set(serial) - set(credentials.values_list("serial", flat=True))
            if missing:
                raise CommandError(f"No such certificate-bearing credential: {sorted(missing)}")
        if not force:
            credentials = credentials.filter(certificate="")
        ids = list(credentials.order_by("pk").values_list("pk", flat=True))
        if not ids:
            self.stdout.write("Nothing to do.")
            return
        result = generate_certificates.enqueue(credential_ids=ids, force=force)
        self.stdout.write(f"Queued {len(ids)} certificate(s) as task {result.id}.")
