"""Benchmark data at the size of a national workforce, from a fixed seed (PostgreSQL only).

Full size: 100,000 clinicians, 1,000,000 evidence items, 20,000 applications, 50,000
credentials and 40 released sittings of 500 candidates with marks and results. `--scale 0.01`
makes a hundredth of it. Rows are loaded with COPY, skipping signals and audit (benchmark data);
id sequences and the credential serial counters are moved past what was loaded, so the portal
works normally afterwards.

Three accounts to sign in with (password `msk-demo-2026!`, staff with the demo TOTP secret):
bench.applicant@, bench.assessor@ and bench.exams@bench.msk-portal.example.

It lives in cms, the app at the top of the dependency chain, so it may call every app's
generator.
"""

import time

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accreditation.api import load_bench_applications
from credentials.api import ensure_credential_types, load_bench_credentials
from exams.api import load_bench_sittings
from portal.bulk import Timings, require_postgresql
from portal.demo import DEMO_PASSWORD
from portal.models import User
from portal.regions import Region
from portal.roles import Role, assign_role, ensure_roles
from portal.totp import add_authenticator_app
from portfolio.api import bench_clinician_facts, load_bench_clinicians

DOMAIN = "bench.msk-portal.example"
APPLICANT = f"bench.applicant@{DOMAIN}"
ASSESSOR = f"bench.assessor@{DOMAIN}"
EXAMS = f"bench.exams@{DOMAIN}"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - the bench staff's authenticator (MFA)
FULL = {
    "clinicians": 100_000,
    "evidence": 1_000_000,
    "applications": 20_000,
    "credentials": 50_000,
    "sittings": 40,
}


class Command(BaseCommand):
    help = "Load benchmark data (PostgreSQL only): --scale 1 is the full national size."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = full size (default).")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, seed, **options):
        try:
            require_postgresql()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if not 0 < scale <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        if User.objects.filter(email__endswith=f"@{DOMAIN}").exists():
            raise CommandError(
                "Benchmark data is already loaded in this database: load it into a fresh one."
            )
        size = {key: max(1, round(value * scale)) for key, value in FULL.items()}
        size["clinicians"] = max(size["clinicians"], 20)
        per_sitting = min(500, size["clinicians"])
        self.stdout.write(
            f"bench_data (seed {seed}): {size['clinicians']:,} clinicians, "
            f"{size['evidence']:,} evidence items, {size['applications']:,} applications, "
            f"{size['credentials']:,} credentials, {size['sittings']} sittings of {per_sitting}"
        )
        timings = Timings(self.stdout.write)
        started = time.perf_counter()
        with transaction.atomic():
            self._load(size, per_sitting, seed, timings)
        self.stdout.write(
            self.style.SUCCESS(f"bench_data done in {time.perf_counter() - started:.1f} s")
        )

    def _load(self, size, per_sitting, seed, timings):
        ensure_roles()
        ensure_credential_types()
        n = size["clinicians"]
        ids = load_bench_clinicians(
            clinicians=n, evidence=size["evidence"], seed=seed, timings=timings
        )
        applicant, assessor, _, assessors = self._people(ids[0], seed)
        regions = Region.values
        holders = []
        for k in range(min(size["credentials"], n)):
            name, profession, regulator, number = bench_clinician_facts(k)
            holders.append(
                {
                    "id": ids[k],
                    "name": name,
                    "profession": profession,
                    "regulator": regulator,
                    "number": number,
                    "region": regions[k % len(regions)],
                }
            )
        # More credentials than clinicians: the rest go round again (renewals, second awards).
        holders += [holders[k % len(holders)] for k in range(size["credentials"] - len(holders))]
        load_bench_credentials(holders=holders, seed=seed + 1, timings=timings)
        # Applicants: the bench applicant first, then clinicians from the middle of the range.
        others = list(ids[1:])
        count = min(size["applications"], len(others) + 1)
        middle = others[len(others) // 2 :] + others[: len(others) // 2]
        load_bench_applications(
            applicants=[applicant.pk, *middle[: count - 1]],
            assessors=assessors,
            queue_assessor=assessor.pk,
            queue_length=40,
            seed=seed + 2,
            timings=timings,
        )
        load_bench_sittings(
            candidates=list(ids),
            sittings=size["sittings"],
            per_sitting=per_sitting,
            seed=seed + 3,
            timings=timings,
        )

    def _people(self, applicant_id, seed):
        """The bench applicant (clinician 0, given a password), the assessor whose queue is
        measured, the exam administrator, and 50 other assessors."""
        password = make_password(DEMO_PASSWORD)
        applicant = User.objects.get(pk=applicant_id)
        applicant.email = APPLICANT
        applicant.password = password
        applicant.save(update_fields=["email", "password"])
        assign_role(applicant, Role.APPLICANT)
        assessor = User.objects.create(
            email=ASSESSOR, password=password, first_name="Bench", last_name="Assessor"
        )
        assign_role(assessor, Role.ASSESSOR)
        exams_admin = User.objects.create(
            email=EXAMS, password=password, first_name="Bench", last_name="Administrator"
        )
        assign_role(exams_admin, Role.FACULTY_STAFF)
        for user in (assessor, exams_admin):
            add_authenticator_app(user, TOTP_SECRET)
        for user in (applicant, assessor, exams_admin):
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        others = User.objects.bulk_create(
            User(email=f"bench.assessor.{k}@{DOMAIN}", password=password, last_name=f"A{k}")
            for k in range(50)
        )
        for user in others:
            assign_role(user, Role.ASSESSOR)
        return applicant, assessor, exams_admin, [u.pk for u in others]
