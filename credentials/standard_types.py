"""The faculty's standard credential types, made if missing after every migrate.

Administrators edit them (and add others) in the Django admin: an existing type is never
changed here, only a missing one made. Made after migrate rather than by a data migration so
that a flushed test database gets them back, as it gets the roles back.
"""

STANDARD_TYPES = [
    {
        "code": "gpwer_msk",
        "name": "GP with Extended Role (GPwER) in MSK",
        "serial_prefix": "GPWER",
        "validity_months": 36,
        "criteria": (
            "Eligibility review (extended role, Diploma in MSK Medicine, member in good "
            "standing); a portfolio judged by two trained assessors against both Capabilities "
            "in Practice at 'entrusted to act independently'; sign-off by the lead assessor."
        ),
    },
    {
        "code": "msk_advanced_practice",
        "name": "MSK advanced practice credential",
        "serial_prefix": "MSKAP",
        "validity_months": 36,
        "criteria": (
            "A portfolio of peer-confirmed evidence mapped to the four pillars of advanced "
            "practice and their capabilities, verified by more than one reviewer."
        ),
    },
    {
        "code": "sport_exercise_therapist",
        "name": "Sport and exercise therapist competence",
        "serial_prefix": "SET",
        "validity_months": 36,
        "criteria": (
            "Assessment against the service's competency framework for sport and exercise "
            "therapists."
        ),
    },
    {
        "code": "first_contact_practitioner",
        "name": "First contact practitioner (MSK) verification",
        "serial_prefix": "FCP",
        "validity_months": 36,
        "criteria": (
            "A portfolio showing the capabilities of a first contact practitioner in MSK, "
            "confirmed by a supervisor and verified by two assessors."
        ),
    },
    {
        "code": "diploma_msk_medicine",
        "name": "Diploma in MSK Medicine",
        "serial_prefix": "DIP",
        "validity_months": None,
        "criteria": "A pass in the Diploma in MSK Medicine examination.",
    },
    {
        "code": "diploma_exercise_medicine",
        "name": "Diploma in Exercise Medicine",
        "serial_prefix": "DEM",
        "validity_months": None,
        "criteria": "A pass in the Diploma in Exercise Medicine examination.",
    },
    {
        "code": "mfsem",
        "name": "Membership of the Faculty of Sport and Exercise Medicine (MFSEM)",
        "serial_prefix": "MEM",
        "validity_months": None,
        "criteria": "A pass in Part 1 (two SBA papers) and Part 2 (a 12-station OSCE).",
    },
]


def ensure_standard_types() -> int:
    """Create any standard type that is missing; returns how many were made."""
    from credentials.models import CredentialType

    existing = set(CredentialType.objects.values_list("code", flat=True))
    missing = [
        CredentialType(**fields) for fields in STANDARD_TYPES if fields["code"] not in existing
    ]
    CredentialType.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
