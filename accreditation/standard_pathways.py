"""The faculty's four pathways with their rules and 2026 windows, made if missing after every
migrate (as credentials/standard_types.py makes the credential types).

Administrators edit them in the Django admin: an existing pathway is never changed here, only
a missing one made, with its rules and windows.
"""

import datetime

D = datetime.date

# What a renewal asks for, on every standard pathway: evidence since the last award.
# What an award lets the holder do (the lead assessor starts from this at sign-off).
SCOPES = {
    "gpwer-msk": "Community-based assessment and management of adults with musculoskeletal "
    "conditions as a GP with an extended role in an MSK service, working in a "
    "multidisciplinary team under the service's clinical governance and supervision "
    "arrangements.",
    "msk-advanced-practice": "Advanced practice in musculoskeletal care across the four pillars "
    "(clinical practice, leadership and management, education, research), within the "
    "holder's professional registration and their employer's governance.",
    "sport-exercise-therapist": "Assessment and exercise-based rehabilitation of "
    "musculoskeletal conditions in sport and exercise settings, within the service's "
    "competency framework.",
    "first-contact-practitioner": "First contact assessment, diagnosis and management of adults "
    "with musculoskeletal conditions in primary care, including onward referral.",
}
# Passed the Diploma in MSK Medicine before the portal, or an equivalent the GPwER accepts.
DIPLOMA_EQUIVALENTS = (
    "FSEM Diploma in MSK Medicine (passed before this portal)\n"
    "Diploma in Sports and Exercise Medicine (FSEM or a UK university)\n"
    "MSc in Sports and Exercise Medicine or Musculoskeletal Medicine"
)

RENEWAL_EVIDENCE = [
    {"kind": "required_kind", "evidence_kind": "cpd_certificate", "minimum": 1},
    {"kind": "required_kind", "evidence_kind": "patient_feedback", "minimum": 1},
    {"kind": "required_kind", "evidence_kind": "msf", "minimum": 1},
]

STANDARD_PATHWAYS = [
    {
        "pathway": {
            "code": "gpwer-msk",
            "name": "GP with Extended Role (GPwER) in MSK",
            "summary": "For GPs working in an extended role in musculoskeletal care: a portfolio "
            "judged by two trained assessors and signed off by a lead assessor.",
            "framework_code": "gpwer-msk",
            "credential_type_code": "gpwer_msk",
            "validity_months": 36,
            "fee_pence": 85000,
            "order": 1,
            "default_scope": SCOPES["gpwer-msk"],
        },
        "windows": [(D(2026, 3, 16), D(2026, 4, 16)), (D(2026, 8, 17), D(2026, 9, 17))],
        "eligibility": [
            {
                "kind": "holds_credential",
                "credential_type_code": "diploma_msk_medicine",
                "accepts_declaration": True,
                "accepted_qualifications": DIPLOMA_EQUIVALENTS,
            },
            {"kind": "registered", "regulators": "gmc"},
            {"kind": "extended_role"},
        ],
        "evidence": [
            {"kind": "per_capability", "code": "CiP1", "minimum": 1},
            {"kind": "per_capability", "code": "CiP2", "minimum": 1},
            {"kind": "supervisor_reference"},
        ],
    },
    {
        "pathway": {
            "code": "msk-advanced-practice",
            "name": "MSK advanced practice",
            "summary": "Verification of a portfolio of peer-confirmed evidence across the four "
            "pillars of advanced practice.",
            "framework_code": "msk-advanced-practice",
            "credential_type_code": "msk_advanced_practice",
            "validity_months": 36,
            "fee_pence": 45000,
            "order": 2,
            "default_scope": SCOPES["msk-advanced-practice"],
        },
        "windows": [(D(2026, 1, 5), D(2026, 12, 18))],
        "eligibility": [
            {"kind": "registered", "regulators": "hcpc,nmc,gosc"},
        ],
        "evidence": [
            {"kind": "per_capability", "minimum": 1, "maximum": 2},
            {"kind": "per_domain", "minimum": 4, "maximum": 6},
            {"kind": "total", "maximum": 35},
            {"kind": "all_confirmed"},
        ],
    },
    {
        "pathway": {
            "code": "sport-exercise-therapist",
            "name": "Sport and exercise therapist competence",
            "summary": "Assessment against the service's competency framework for sport and "
            "exercise therapists and technical instructors.",
            "framework_code": "sports-exercise-therapist",
            "credential_type_code": "sport_exercise_therapist",
            "validity_months": 36,
            "fee_pence": 25000,
            "order": 3,
            "default_scope": SCOPES["sport-exercise-therapist"],
        },
        "windows": [(D(2026, 1, 5), D(2026, 12, 18))],
        "eligibility": [
            {"kind": "registered", "regulators": "basrat,sto,hcpc"},
        ],
        "evidence": [
            {"kind": "per_capability", "minimum": 1},
            {"kind": "all_confirmed"},
        ],
    },
    {
        "pathway": {
            "code": "first-contact-practitioner",
            "name": "First contact practitioner (MSK)",
            "summary": "Verification of the capabilities of a first contact practitioner in "
            "MSK, confirmed by a supervisor.",
            "framework_code": "fcp-roadmap",
            "credential_type_code": "first_contact_practitioner",
            "validity_months": 36,
            "fee_pence": 30000,
            "order": 4,
            "default_scope": SCOPES["first-contact-practitioner"],
        },
        "windows": [(D(2026, 1, 5), D(2026, 12, 18))],
        "eligibility": [
            {"kind": "registered", "regulators": "hcpc,nmc,gosc"},
            {"kind": "extended_role"},
        ],
        "evidence": [
            {"kind": "per_capability", "minimum": 1},
            {"kind": "total", "maximum": 40},
        ],
    },
]


def ensure_standard_pathways() -> int:
    """Create any standard pathway that is missing, with its rules; returns how many."""
    from django.db import transaction

    from accreditation.models import ApplicationWindow, EligibilityRule, EvidenceRule, Pathway

    existing = set(Pathway.objects.values_list("code", flat=True))
    made = 0
    for spec in STANDARD_PATHWAYS:
        if spec["pathway"]["code"] in existing:
            continue
        with transaction.atomic():
            pathway = Pathway.objects.create(**spec["pathway"])
            ApplicationWindow.objects.bulk_create(
                ApplicationWindow(pathway=pathway, opens=o, closes=c) for o, c in spec["windows"]
            )
            EligibilityRule.objects.bulk_create(
                EligibilityRule(pathway=pathway, order=n, **rule)
                for n, rule in enumerate(spec["eligibility"])
            )
            EvidenceRule.objects.bulk_create(
                EvidenceRule(pathway=pathway, order=n, **rule)
                for n, rule in enumerate(spec["evidence"])
            )
            EvidenceRule.objects.bulk_create(
                EvidenceRule(pathway=pathway, order=100 + n, applies_to="renewal", **rule)
                for n, rule in enumerate(RENEWAL_EVIDENCE)
            )
        made += 1
    return made
