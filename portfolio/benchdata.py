"""Benchmark clinicians and their evidence (manage.py bench_data), loaded with COPY.

Clinician N is bench.clinician.N@bench.msk-portal.example; every row is made from the seed, so
two runs of the same size give the same data.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from portal.bulk import Timings, analyse, copy_rows, next_id, reset_sequence
from portal.regions import Region
from portfolio.models import ClinicianProfile, EvidenceItem, EvidenceKind, Profession
from portfolio.registration import Regulator
from portfolio.routes import route_for_profession

EMAIL = "bench.clinician.{}@bench.msk-portal.example"
GIVEN = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Efe",
    "Farah",
    "George",
    "Hana",
    "Isaac",
    "Jun",
    "Kezia",
    "Liam",
    "Maya",
    "Noor",
    "Owen",
    "Priya",
    "Quinn",
    "Rhys",
    "Sana",
    "Tom",
    "Uma",
    "Vikram",
    "Wen",
    "Xavier",
    "Yara",
    "Zac",
]
FAMILY = [
    "Adebayo",
    "Brown",
    "Chen",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Williams",
    "Xu",
    "Young",
    "Zielinski",
]
EMPLOYERS = ["Riverside NHS Trust", "Northgate Primary Care Network", "City MSK Service", ""]
TITLES = [
    "Shoulder pain: assessment and shared plan",
    "Knee injection audit",
    "Low back pain triage clinic",
    "Hip osteoarthritis education session",
    "Supervised injection clinic log",
]

# (profession, regulator, number for index n): numbers unique across registers.
NUMBERING = [
    (Profession.GP, Regulator.GMC, lambda n: f"{7_000_000 + n:07d}"),
    (Profession.PHYSIOTHERAPIST, Regulator.HCPC, lambda n: f"PH{n:06d}"),
    (Profession.PODIATRIST, Regulator.HCPC, lambda n: f"CH{n:06d}"),
    (Profession.SPORT_EXERCISE_THERAPIST, Regulator.BASRAT, lambda n: f"BR{n:06d}"),
]


def clinician_facts(n: int) -> tuple[str, str, str, str]:
    """(full name, profession, regulator, registration number) of bench clinician N."""
    profession, regulator, number = NUMBERING[n % len(NUMBERING)]
    name = f"{GIVEN[n % len(GIVEN)]} {FAMILY[(n // len(GIVEN)) % len(FAMILY)]} {n}"
    return name, profession.value, regulator.value, number(n)


def generate(*, clinicians: int, evidence: int, seed: int, timings: Timings) -> range:
    """Make CLINICIANS users with profiles and EVIDENCE items spread across them; returns the
    new users' ids (a range: they are consecutive)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    now = timezone.now()
    password = make_password(None)  # unusable: bench clinicians never sign in by password
    first = next_id("portal_user")
    ids = range(first, first + clinicians)
    regions = Region.values
    with timings.table("portal_user (clinicians)") as t:
        t["rows"] = copy_rows(
            "portal_user",
            ["id", "password", "is_superuser", "first_name", "last_name", "email", "is_staff"]
            + ["is_active", "date_joined"],
            (
                (uid, password, False, *clinician_facts(n)[0].split(" ", 1), EMAIL.format(n))
                + (False, True, now)
                for n, uid in enumerate(ids)
            ),
        )
    with timings.table("portfolio_clinicianprofile") as t:
        first_profile = next_id(ClinicianProfile._meta.db_table)

        def profiles():
            for n, uid in enumerate(ids):
                name, profession, regulator, number = clinician_facts(n)
                yield (
                    first_profile + n,
                    uid,
                    name,
                    profession,
                    regulator,
                    number,
                    route_for_profession(profession),
                    EMPLOYERS[n % len(EMPLOYERS)],
                    regions[n % len(regions)],
                    n % 3 != 0,
                    now,
                )

        t["rows"] = copy_rows(
            ClinicianProfile._meta.db_table,
            ["id", "user_id", "full_name", "profession", "regulator", "registration_number"]
            + ["route", "employer", "region", "consent_to_public_register", "updated_at"],
            profiles(),
        )
    with timings.table("portfolio_evidenceitem") as t:
        first_item = next_id(EvidenceItem._meta.db_table)
        kinds = EvidenceKind.values
        start = datetime.date(2020, 1, 1)

        def items():
            for k in range(evidence):
                yield (
                    first_item + k,
                    ids[k % clinicians],
                    kinds[k % len(kinds)],
                    start + datetime.timedelta(days=rng.randrange(2000)),
                    TITLES[k % len(TITLES)],
                    "What I did, what I learnt and what I will change.",
                    now,
                    now,
                )

        t["rows"] = copy_rows(
            EvidenceItem._meta.db_table,
            ["id", "owner_id", "kind", "date", "title", "reflection", "created_at", "updated_at"],
            items(),
        )
    for table in ("portal_user", ClinicianProfile._meta.db_table, EvidenceItem._meta.db_table):
        reset_sequence(table)
    analyse("portal_user", ClinicianProfile._meta.db_table, EvidenceItem._meta.db_table)
    return ids
