"""Demo credentials and a commissioner's watch list, via the real services. Safe to run twice.

The register needs people on it to be worth a look: the demo applicant holds an active GPwER
accreditation, and a handful of made-up clinicians hold credentials in every public status
(valid, ending soon, suspended, revoked, expired, renewed). The demo commissioner watches
some of them, so the dashboard and alerts page have something to show.
"""

import datetime

from django.utils import timezone

from credentials.models import Credential, CredentialStatus
from credentials.services.credentials import (
    issue_credential,
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from credentials.services.lifecycle import run_daily_checks
from credentials.services.watchlists import add_entries, create_watch_list
from portal.demo import seed_user
from portal.roles import Role
from portfolio.api import ClinicianProfile

SOURCE = "demo"
WATCH_LIST_NAME = "Greater Manchester MSK service"

# (email, first, last, profile, [(key, kind, title, scope, conditions, from, until)], action)
# Dates are offsets in days from today, so the demo always has something ending soon.
CLINICIANS = [
    (
        "priya.natarajan@demo.msk-portal.example",
        "Priya",
        "Natarajan",
        {
            "full_name": "Priya Natarajan",
            "profession": "physiotherapist",
            "regulator": "hcpc",
            "registration_number": "PH104233",
            "employer": "Northern Care Alliance",
            "region": "greater_manchester",
        },
        [
            (
                "priya-ap",
                "msk_advanced_practice",
                "MSK advanced practice",
                "Advanced assessment and management of adults with MSK conditions in primary "
                "care, including requesting imaging.",
                "",
                -1075,
                20,
            ),
        ],
        None,
    ),
    (
        "tom.reid@demo.msk-portal.example",
        "Tom",
        "Reid",
        {
            "full_name": "Tom Reid",
            "profession": "podiatrist",
            "regulator": "hcpc",
            "registration_number": "CH51234",
            "employer": "Salford Royal MSK service",
            "region": "greater_manchester",
        },
        [
            (
                "tom-ap",
                "msk_advanced_practice",
                "MSK advanced practice",
                "Foot and ankle MSK assessment and management, including injection therapy.",
                "Injection therapy only under a named supervisor.",
                -400,
                700,
            ),
        ],
        ("suspend", "Suspended while a concern raised by the employer is looked into."),
    ),
    (
        "james.wright@demo.msk-portal.example",
        "James",
        "Wright",
        {
            "full_name": "Dr James Wright",
            "profession": "gp",
            "regulator": "gmc",
            "registration_number": "7098765",
            "employer": "Hillside Medical Practice",
            "region": "cheshire_merseyside",
        },
        [
            (
                "james-gpwer",
                "gpwer_msk",
                "GPwER in MSK",
                "Community MSK clinics for adults, including joint and soft tissue injection.",
                "",
                -600,
                500,
            ),
        ],
        ("revoke", "Revoked on the practitioner's removal from the medical register."),
    ),
    (
        "lucy.evans@demo.msk-portal.example",
        "Lucy",
        "Evans",
        {
            "full_name": "Lucy Evans",
            "profession": "sport_exercise_therapist",
            "regulator": "basrat",
            "registration_number": "BR04567",
            "employer": "City Sports Injury Clinic",
            "region": "west_yorkshire",
        },
        [
            (
                "lucy-set",
                "sport_exercise_therapist",
                "Sport and exercise therapist competence",
                "Assessment, treatment and rehabilitation of sport and exercise injuries.",
                "",
                -1200,
                -10,
            ),
        ],
        None,
    ),
    (
        "mohammed.ali@demo.msk-portal.example",
        "Mohammed",
        "Ali",
        {
            "full_name": "Mohammed Ali",
            "profession": "osteopath",
            "regulator": "gosc",
            "registration_number": "12345",
            "employer": "Bridgewater Community MSK",
            "region": "greater_manchester",
        },
        [
            (
                "mohammed-dip",
                "diploma_msk_medicine",
                "Diploma in MSK Medicine",
                "",
                "",
                -300,
                None,
            ),
            (
                "mohammed-ap",
                "msk_advanced_practice",
                "MSK advanced practice",
                "First contact MSK assessment and management of adults in primary care.",
                "",
                -1090,
                -5,
            ),
        ],
        ("renew", "mohammed-ap"),
    ),
]

APPLICANT_CREDENTIALS = [
    (
        "asha-gpwer",
        "gpwer_msk",
        "GPwER in MSK",
        "Community MSK clinics for adults, including joint and soft tissue injection, in "
        "Riverside Primary Care Network.",
        "",
        -90,
        1005,
    ),
    ("asha-membership", "mfsem", "Membership of the faculty", "", "", -90, None),
]

# Watched by the demo commissioner: four clinicians above, the demo applicant, and a newly
# appointed clinician with no credential yet.
WATCHED_NUMBERS = ["7012345", "PH104233", "CH51234", "12345", "7098765", "PH223344"]


def _day(offset: int | None) -> datetime.date | None:
    return None if offset is None else timezone.localdate() + datetime.timedelta(days=offset)


def _issue(holder, spec, *, actor) -> Credential:
    key, kind, _title, scope, conditions, valid_from, valid_until = spec
    return issue_credential(
        holder=holder,
        kind=kind,
        scope=scope,
        conditions=conditions,
        source_type=SOURCE,
        source_id=key,
        valid_from=_day(valid_from),
        valid_until=_day(valid_until),
        issued_by=actor,
    )


def _clinician(email, first, last, profile) -> object:
    user = seed_user(email, first, last, role=Role.APPLICANT)
    ClinicianProfile.objects.update_or_create(
        user=user, defaults={**profile, "consent_to_public_register": True}
    )
    return user


def _apply(credentials: dict[str, Credential], action, *, actor) -> None:
    if action is None:
        return
    verb, detail = action
    if verb == "renew":
        old = credentials[detail]
        if old.status == CredentialStatus.ACTIVE:
            renew_credential(
                credential=old,
                source_type=SOURCE,
                source_id=f"{detail}-renewal",
                valid_from=_day(-4),
                valid_until=_day(1091),
                issued_by=actor,
            )
        return
    for credential in credentials.values():
        if credential.status != CredentialStatus.ACTIVE:
            continue  # already done on an earlier run
        change = suspend_credential if verb == "suspend" else revoke_credential
        change(credential=credential, reason=detail, actor=actor)


def _watch_list(commissioner) -> None:
    if commissioner.watch_lists.filter(name=WATCH_LIST_NAME).exists():
        return
    watch_list = create_watch_list(owner=commissioner, name=WATCH_LIST_NAME)
    add_entries(watch_list=watch_list, lines=WATCHED_NUMBERS, actor=commissioner)


def seed_demo_credentials(*, applicant, commissioner, administrator) -> None:
    # The list first, so that issuing, suspending and revoking alert the commissioner.
    _watch_list(commissioner)
    for spec in APPLICANT_CREDENTIALS:
        _issue(applicant, spec, actor=administrator)
    for email, first, last, profile, specs, action in CLINICIANS:
        holder = _clinician(email, first, last, profile)
        credentials = {spec[0]: _issue(holder, spec, actor=administrator) for spec in specs}
        _apply(credentials, action, actor=administrator)
    # Reminders and "ends soon" / "has expired" alerts, as the daily run would send them.
    run_daily_checks()
