"""Show the issuer's PDF signing certificate; in development, make the demonstration pair.

    manage.py issuer_keys            make the demo pair if missing (development), then describe it
    manage.py issuer_keys --replace  make a new demo pair (certificates signed before still verify
                                     against the old certificate only)

In production it only loads and checks ISSUER_CERT_FILE and ISSUER_KEY_FILE.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from credentials import issuer


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Describe (and in development create) the issuer's PDF signing certificate and key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Development only: replace the demonstration pair with a new one.",
        )

    def handle(self, *args, replace=False, **options):
        try:
            cert_path, key_path, demo = issuer.pdf_key_paths()
            if replace and not demo:
                raise CommandError("--replace makes demo keys: unset ISSUER_CERT_FILE first.")
            if demo:
                folder, made = issuer.create_demo_issuer(replace=replace)
                self.stdout.write(
                    f"{'Made' if made else 'Kept'} the demonstration pair in {folder}/"
                )
            issuer.forget_pdf_keys()
            keys = issuer.load_pdf_keys()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        cert = keys.certificate
        self.stdout.write(f"Certificate: {cert_path}")
        self.stdout.write(f"Key:         {key_path}")
        self.stdout.write(f"Subject:     {keys.subject}")
        self.stdout.write(
            f"Valid:       {cert.not_valid_before:%Y-%m-%d} to {cert.not_valid_after:%Y-%m-%d}"
        )
        self.stdout.write(f"SHA-256:     {keys.sha256_fingerprint}")
        if not issuer.key_file_is_private(key_path):
            self.stderr.write(f"Warning: {key_path} can be read by other users (chmod 600 it).")
