"""Demo competency frameworks, published. Safe to run twice.

The wording is ours, written for the demo. It follows the public shape of each route (two
Capabilities in Practice judged at "entrusted to act independently"; four pillars with 1–2
items per capability, 4–6 per pillar and at most 35 in all) and copies no curriculum text.
"""

from django.db import transaction

from portfolio.models import Competency, Domain, Framework
from portfolio.services.frameworks import create_framework, publish_framework

INDEPENDENT = "Entrusted to act independently"


def _c(code, title, descriptor, low=1, high=2, level=""):
    return {
        "code": code,
        "title": title,
        "descriptor": descriptor,
        "min_evidence": low,
        "max_evidence": high,
        "level": level,
    }


def _d(code, title, competencies, low=None, high=None):
    return {"code": code, "title": title, "min_evidence": low, "max_evidence": high}, competencies


FRAMEWORKS = [
    {
        "code": "gpwer-msk",
        "name": "GPwER in MSK",
        "description": "For GPs working in an extended role in musculoskeletal care. Both "
        "capabilities in practice are judged at the level of acting independently; the "
        "generic capabilities show safe, well-run practice around them.",
        "max_total_evidence": None,
        "route": "gpwer",
        "confirmation_required": False,
        "unit_name": "capability",
        "unit_name_plural": "capabilities",
        "domains": [
            _d(
                "CiP",
                "Capabilities in practice",
                [
                    _c(
                        "CiP1",
                        "Working in a multidisciplinary team",
                        "Shares decisions with physiotherapy, podiatry, orthopaedic, pain and "
                        "rheumatology colleagues, and refers and accepts referrals wisely.",
                        high=None,
                        level=INDEPENDENT,
                    ),
                    _c(
                        "CiP2",
                        "Comprehensive community-based MSK management",
                        "Assesses and manages the whole range of MSK problems seen outside "
                        "hospital, and knows when a problem needs a specialist.",
                        high=None,
                        level=INDEPENDENT,
                    ),
                ],
                low=2,
            ),
            _d(
                "GEN",
                "Generic capabilities",
                [
                    _c("G1", "Clinical governance", "Joins audits and learns from incidents."),
                    _c("G2", "Communication", "Explains options and risks so patients can choose."),
                    _c("G3", "Safeguarding", "Notices and acts on concerns about people at risk."),
                    _c("G4", "Teaching", "Teaches and supervises colleagues in MSK care."),
                    _c("G5", "Medicines safety", "Prescribes MSK medicines safely, with review."),
                    _c("G6", "Reflective practice", "Reflects on cases and keeps learning."),
                    _c("G7", "Service improvement", "Helps shape local MSK pathways."),
                ],
            ),
        ],
    },
    {
        "code": "msk-advanced-practice",
        "name": "MSK advanced practice",
        "description": "For physiotherapists, podiatrists and other professionals on the MSK "
        "advanced practice route. Every item is confirmed by a peer and mapped to at least "
        "one capability.",
        "max_total_evidence": 35,
        "route": "advanced_practice",
        "confirmation_required": True,
        "unit_name": "competency",
        "unit_name_plural": "competencies",
        "domains": [
            _d(
                "P1",
                "Clinical practice",
                [
                    _c(
                        "P1.1",
                        "Advanced assessment",
                        "Reaches a working diagnosis in complex cases.",
                    ),
                    _c("P1.2", "Investigations", "Requests tests wisely and acts on the results."),
                    _c("P1.3", "Managing risk", "Manages uncertainty; spots serious pathology."),
                    _c("P1.4", "Treatment planning", "Agrees and reviews plans with patients."),
                ],
                low=4,
                high=6,
            ),
            _d(
                "P2",
                "Leadership and management",
                [
                    _c("P2.1", "Leading change", "Leads an improvement and brings others along."),
                    _c("P2.2", "Working across teams", "Works across boundaries for patients."),
                    _c("P2.3", "Quality and safety", "Uses data and feedback to improve care."),
                ],
                low=4,
                high=6,
            ),
            _d(
                "P3",
                "Education",
                [
                    _c("P3.1", "Own learning", "Plans and meets their own learning needs."),
                    _c("P3.2", "Teaching others", "Plans and delivers teaching for colleagues."),
                    _c("P3.3", "Supervision", "Supervises and gives useful feedback."),
                ],
                low=4,
                high=6,
            ),
            _d(
                "P4",
                "Research",
                [
                    _c("P4.1", "Using evidence", "Appraises research and applies it."),
                    _c("P4.2", "Audit and evaluation", "Completes an audit or evaluation."),
                    _c("P4.3", "Sharing findings", "Presents or publishes so others learn."),
                ],
                low=4,
                high=6,
            ),
        ],
    },
    {
        "code": "sports-exercise-therapist",
        "name": "Sports and exercise therapist competencies",
        "description": "For sports and exercise therapists and technical instructors in MSK "
        "services.",
        "max_total_evidence": None,
        "route": "sport_exercise_therapy",
        "confirmation_required": False,
        "unit_name": "competency",
        "unit_name_plural": "competencies",
        "domains": [
            _d(
                "S1",
                "Assessment",
                [
                    _c("S1.1", "Injury assessment", "Assesses injuries and records findings."),
                    _c("S1.2", "Movement and function", "Measures movement and strength."),
                    _c("S1.3", "Red flags", "Knows when to stop and refer.", high=1),
                ],
            ),
            _d(
                "S2",
                "Rehabilitation",
                [
                    _c("S2.1", "Exercise prescription", "Designs graded exercise programmes."),
                    _c("S2.2", "Return to activity", "Progresses load and plans a safe return."),
                    _c("S2.3", "Group sessions", "Runs safe, inclusive group exercise."),
                ],
            ),
            _d(
                "S3",
                "Professional practice",
                [
                    _c("S3.1", "Working within scope", "Works within their role.", high=1),
                    _c("S3.2", "Records and consent", "Keeps records; gains consent.", high=1),
                ],
            ),
        ],
    },
    {
        "code": "fcp-roadmap",
        "name": "First contact practitioner roadmap",
        "description": "The stages from a portfolio of evidence to verified first contact "
        "practice.",
        "max_total_evidence": None,
        "route": "first_contact",
        "confirmation_required": True,
        "unit_name": "competency",
        "unit_name_plural": "competencies",
        "domains": [
            _d(
                "ST1",
                "Stage 1: portfolio of evidence",
                [
                    _c(
                        "ST1.1", "First contact knowledge", "Knows how to see undiagnosed patients."
                    ),
                    _c("ST1.2", "Clinical reasoning", "Shows how decisions were reached."),
                    _c("ST1.3", "Serious pathology", "Screens safely and refers onwards."),
                ],
            ),
            _d(
                "ST2",
                "Stage 2: verification in practice",
                [
                    _c("ST2.1", "Supervised sessions", "Logs sessions seen with a supervisor."),
                    _c("ST2.2", "Verification", "A supervisor confirms safe practice.", high=1),
                ],
            ),
        ],
    },
]


@transaction.atomic
def seed_frameworks() -> list[Framework]:
    """Create and publish each demo framework whose code is not in use yet."""
    published = []
    for spec in FRAMEWORKS:
        if Framework.objects.filter(code=spec["code"]).exists():
            continue
        framework = create_framework(
            **{key: value for key, value in spec.items() if key != "domains"}
        )
        for order, (domain_fields, competencies) in enumerate(spec["domains"], 1):
            domain = Domain.objects.create(framework=framework, order=order, **domain_fields)
            for position, fields in enumerate(competencies, 1):
                Competency.objects.create(
                    framework=framework, domain=domain, order=position, **fields
                )
        published.append(publish_framework(framework=framework))
    return published


DEMO_EVIDENCE = [
    # (kind, date, title, reflection, competency codes in GPwER in MSK)
    (
        "case_review",
        (2026, 3, 12),
        "Shoulder pain in a warehouse worker: assessment and shared plan",
        "Reviewed a complex shoulder presentation with the physiotherapy team and agreed a "
        "graded return to work. Next time I will involve occupational health earlier.",
    ),
    (
        "audit_qi",
        (2026, 5, 2),
        "Audit of steroid injection follow-up in our MSK clinic",
        "Two cycles of audit. Documented follow-up rose from 58% to 91% after a template change.",
    ),
    (
        "cpd_certificate",
        (2026, 6, 20),
        "Ultrasound-guided injection course",
        "A two-day course with supervised practice on models and patients.",
    ),
    (
        "reflective_note",
        (2026, 8, 4),
        "Reflection on an MDT discussion about a missed red flag",
        "What the team learned about safety-netting for back pain with night symptoms.",
    ),
]


def seed_demo_portfolio(user) -> None:
    """The demo applicant's profile and a few evidence items, via the real services."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from portfolio.files import inspect_upload
    from portfolio.models import ClinicianProfile, Competency, EvidenceItem, Framework
    from portfolio.services.evidence import create_evidence
    from portfolio.services.profile import save_profile

    if not ClinicianProfile.objects.filter(user=user).exists():
        save_profile(
            user=user,
            data={
                "full_name": "Dr Asha Patel",
                "profession": "gp",
                "regulator": "gmc",
                "registration_number": "7012345",
                "employer": "Riverside Primary Care Network",
                "region": "greater_manchester",
                "route": "gpwer",
                "consent_to_public_register": True,
            },
        )
    if EvidenceItem.objects.filter(owner=user).exists():
        return
    gpwer = Framework.objects.filter(code="gpwer-msk", status="published").first()
    competencies = list(Competency.objects.filter(framework=gpwer).order_by("order", "code"))
    for n, (kind, ymd, title, reflection) in enumerate(DEMO_EVIDENCE):
        note = f"{title}\n\n{reflection}\n".encode()
        upload = SimpleUploadedFile(f"evidence-{n + 1}.txt", note, content_type="text/plain")
        linked = [c.pk for c in competencies[n : n + 2]]
        create_evidence(
            owner=user,
            kind=kind,
            date=datetime.date(*ymd),
            title=title,
            reflection=reflection,
            competency_ids=linked,
            uploads=[inspect_upload(upload)],
        )
