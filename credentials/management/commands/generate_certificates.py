"""Queue signed PDF certificates in bulk: `manage.py generate_certificates`.

By default every credential without a certificate (revoked ones excepted); `--serial` picks
some; `--force` remakes existing ones (after a design change or a new issuer key). The work is
queued as background tasks of --batch-size credentials each (inline with the immediate backend),
so that any number of workers share it and a worker lost mid-run costs one batch, which
`requeue_stale_tasks` puts back (certificates already made are kept, so each is made once).
"""

from django.core.management.base import BaseCommand, CommandError

from credentials.models import Credential, CredentialStatus
from credentials.tasks import generate_certificates


class Command(BaseCommand):
    help = "Make the signed PDF certificates that are missing (or, with --force, all of them)."

    def add_arguments(self, parser):
        parser.add_argument("--serial", action="append", default=[], help="Only this serial.")
        parser.add_argument("--force", action="store_true", help="Remake existing certificates.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=25,
            help="Credentials per background task (default 25).",
        )

    def handle(self, *args, serial=(), force=False, batch_size=25, **options):
        if not 1 <= batch_size <= 1000:
            raise CommandError("--batch-size must be between 1 and 1000.")
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
        batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
        for batch in batches:
            generate_certificates.enqueue(credential_ids=batch, force=force)
        self.stdout.write(f"Queued {len(ids)} certificate(s) as {len(batches)} task(s).")
