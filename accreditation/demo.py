"""Demo accreditation data for `make demo`, through the real services. Safe to run twice.

Every pathway gets a window open today. Made-up GPs hold applications in every state:
submitted and awaiting the completeness check; in review with the demo assessor and the demo
lead assessor (the lead has reviewed, the demo assessor has not); awaiting moderation;
approved with its credential on the register; declined and appealed (for the demo lead
assessor, who took no part); more evidence requested; returned; withdrawn. The demo
applicant has a draft, so their checklist shows what is missing.
"""

import datetime
import secrets

from django.utils import timezone

from accreditation.models import (
    AppealOutcome,
    Application,
    ApplicationWindow,
    AssessorTraining,
    FeeStatus,
    Judgement,
    Outcome,
    Pathway,
    Recommendation,
)
from accreditation.services import allocation, references, reviews, transitions
from accreditation.services.rules import open_window
from credentials import api as credentials_api
from portal.demo import seed_user
from portal.roles import Role
from portfolio import api as portfolio_api

# Made-up people of the accreditation demo, apart from the portal's one-per-role accounts.
DOMAIN = "accreditation.demo.msk-portal.example"
SECOND_ASSESSOR = (f"assessor2@{DOMAIN}", "Imran", "Chowdhury", Role.ASSESSOR)
SECOND_LEAD = (f"lead2@{DOMAIN}", "Joanna", "Walsh", Role.LEAD_ASSESSOR)

# (key, first, last, GMC number, region, what happens)
APPLICANTS = [
    ("submitted", "Kofi", "Mensah", "7200001", "north_central_london", "submitted"),
    ("in-review", "Laura", "Bennett", "7200002", "cheshire_merseyside", "in_review"),
    ("moderation", "Marcus", "Fielding", "7200003", "west_yorkshire", "moderation"),
    ("approved", "Nadia", "Rahman", "7200004", "bnssg", "approved"),
    ("appeal", "Owen", "Pritchard", "7200005", "cornwall", "appeal"),
    ("more-evidence", "Rosa", "Delgado", "7200006", "frimley", "more_evidence"),
    ("returned", "Samuel", "Adeyemi", "7200007", "kent_medway", "returned"),
    ("withdrawn", "Tara", "Quinn", "7200008", "surrey_heartlands", "withdrawn"),
    ("complete", "Uma", "Sandhu", "7200009", "sussex", "complete"),
    ("recommended", "Victor", "Osei", "7200010", "devon", "recommended"),
    ("declined", "Wendy", "Harper", "7200011", "dorset", "declined"),
    ("resubmitted", "Xavier", "Lomax", "7200012", "somerset", "resubmitted"),
    ("appeal-dismissed", "Yasmin", "Farouk", "7200013", "shropshire", "appeal_dismissed"),
    (
        "appeal-new-review",
        "Zara",
        "Whitfield",
        "7200014",
        "lancs_south_cumbria",
        "appeal_new_review",
    ),
    ("appeal-approved", "Ade", "Okafor", "7200015", "gloucestershire", "appeal_approved"),
]
# Passed the Diploma in MSK Medicine before the portal: declares it instead of holding it.
DECLARES_DIPLOMA = {"submitted"}


def _user(email):
    from portal.models import User

    return User.objects.get(email=email)


def _windows(today):
    for pathway in Pathway.objects.prefetch_related("windows"):
        if open_window(pathway, today) is None:
            ApplicationWindow.objects.create(
                pathway=pathway,
                opens=today - datetime.timedelta(days=14),
                closes=today + datetime.timedelta(days=45),
            )


def _declare_diploma(user, application, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accreditation.models import EligibilityRule
    from accreditation.services.qualifications import declare_qualification

    rule = EligibilityRule.objects.filter(
        pathway=application.pathway, accepts_declaration=True
    ).first()
    if rule is None or not rule.qualification_names:
        return
    certificate = SimpleUploadedFile(
        "diploma-certificate.txt",
        b"Faculty of Sport and Exercise Medicine UK\nDiploma in MSK Medicine\n"
        b"Awarded 14 June 2019 (made up for the demo)\n",
        content_type="text/plain",
    )
    declare_qualification(
        application=application,
        by=user,
        rule=rule,
        qualification=rule.qualification_names[0],
        awarding_body="Faculty of Sport and Exercise Medicine UK",
        awarded_on=datetime.date(2019, 6, 14),
        uploads=[portfolio_api.inspect_upload(certificate)],
    )


def _gp(key, first, last, number, region, today):
    user = seed_user(f"gp.{key}@{DOMAIN}", first, last, role=Role.APPLICANT)
    if portfolio_api.profile_of(user) is None:
        portfolio_api.save_profile(
            user=user,
            data={
                "full_name": f"Dr {first} {last}",
                "profession": "gp",
                "regulator": "gmc",
                "registration_number": number,
                "employer": f"{last} Medical Practice",
                "region": region,
                "route": "gpwer",
                "consent_to_public_register": True,
            },
        )
    if key not in DECLARES_DIPLOMA:
        credentials_api.issue_credential(
            holder=user,
            credential_type="diploma_msk_medicine",
            source=credentials_api.Source("demo.diploma", user.pk),
            valid_from=today - datetime.timedelta(days=400),
            valid_until=None,
        )
    return user


def _portfolio(user, framework, today):
    if framework is None or user.evidence_items.exists():
        return
    day = today - datetime.timedelta(days=60)
    for kind, title, codes in (
        ("case_review", "Knee pain: shared plan with physiotherapy", ["CiP1", "G2"]),
        ("audit_qi", "Audit of injection follow-up", ["CiP2", "G1"]),
        ("reflective_note", "Back pain with red flags: what I learned", ["CiP2", "G6"]),
    ):
        portfolio_api.add_evidence_with_note(
            owner=user,
            framework=framework,
            kind=kind,
            title=title,
            date=day,
            reflection="Written for the demo.",
            codes=codes,
        )


def _supervisor_reference(application, user):
    """Dr Marsh is asked for her reference and gives it through the link, as a supervisor
    would (the demo knows the link's secret; a real one exists only in the email)."""
    token = f"demo-reference-{application.pk}-{secrets.token_urlsafe(16)}"
    references.request_reference(application=application, by=user, token=token)
    references.give_reference(
        token=token,
        answers={
            "specialty": "sem",
            "post": "Consultant in sport and exercise medicine, community MSK service",
            "registration": "GMC 4000001",
            "months": 18,
            "capabilities": [
                {
                    "code": capability.code,
                    "entrusted": "yes",
                    "comment": "Seen in joint clinics and in case reviews every month.",
                }
                for capability in references.capabilities_asked(application)
            ],
            "concerns": "no",
            "comment": "Written for the demo.",
        },
    )


def _judge(application, assessor, recommendation, value=Judgement.MET):
    allocation.declare_no_conflict(application=application, assessor=assessor)
    current = application.rounds.order_by("-number").first()
    reviews.submit_review(
        application=application,
        assessor=assessor,
        judgements={
            c["code"]: {
                "judgement": value,
                "comment": "Clear evidence across several cases."
                if value == Judgement.MET
                else "Only one case, and not at the level of acting independently.",
                "evidence": [i["id"] for i in current.items if c["code"] in i["competencies"]],
            }
            for c in current.capabilities
        },
        recommendation=recommendation,
    )


def seed_demo_applications(*, applicant, assessor, lead, administrator) -> None:
    today = timezone.localdate()
    _windows(today)
    second_assessor = seed_user(*SECOND_ASSESSOR[:3], role=SECOND_ASSESSOR[3])
    second_lead = seed_user(*SECOND_LEAD[:3], role=SECOND_LEAD[3])
    for pathway in Pathway.objects.all():
        for person in (assessor, lead, second_assessor):
            AssessorTraining.objects.get_or_create(assessor=person, pathway=pathway)
    gpwer = Pathway.objects.get(code="gpwer-msk")
    framework = portfolio_api.published_framework(gpwer.framework_code)
    if not Application.objects.filter(applicant=applicant).exists():
        transitions.start_application(applicant=applicant, pathway=gpwer)
    for key, first, last, number, region, target in APPLICANTS:
        user = _gp(key, first, last, number, region, today)
        if Application.objects.filter(applicant=user).exists():
            continue
        _portfolio(user, framework, today)
        _advance(
            user,
            gpwer,
            target,
            (assessor, lead, second_assessor, second_lead, administrator),
            declares=key in DECLARES_DIPLOMA,
        )


def _advance(user, pathway, target, people, *, declares=False):
    assessor, lead, second_assessor, second_lead, admin = people
    application = transitions.start_application(
        applicant=user,
        pathway=pathway,
        extended_role="Two MSK clinic sessions a week in a community musculoskeletal service.",
        supervisor_name="Dr Helen Marsh, consultant in sport and exercise medicine",
        supervisor_email=f"supervisor@{DOMAIN}",
    )
    if declares:
        _declare_diploma(user, application, timezone.localdate())
    _supervisor_reference(application, user)
    transitions.submit_application(application=application, by=user)
    if target == "submitted":
        return
    if target == "returned":
        transitions.return_application(
            application=application,
            by=admin,
            reasons="Your description of your extended role does not say how many MSK "
            "sessions you do a week. Add it, then submit again.",
        )
        return
    if target == "withdrawn":
        transitions.withdraw_application(application=application, by=user, reason="Moving abroad")
        return
    from accreditation.services.fees import record_fee

    record_fee(application=application, by=admin, status=FeeStatus.PAID, reference="DEMO-INV")
    transitions.mark_complete(application=application, by=admin)
    if target == "complete":
        return
    pair = [assessor, lead] if target == "in_review" else [assessor, second_assessor]
    for person in pair:
        allocation.allocate(application=application, assessor=person, by=admin)
    application.refresh_from_db()
    if target == "in_review":
        _judge(application, lead, Recommendation.APPROVE)
        allocation.declare_no_conflict(application=application, assessor=assessor)
        return
    if target == "moderation":
        _judge(application, assessor, Recommendation.APPROVE)
        _judge(application, second_assessor, Recommendation.MORE_EVIDENCE, Judgement.INSUFFICIENT)
        return
    approve, decline, more = (
        Recommendation.APPROVE,
        Recommendation.DECLINE,
        Recommendation.MORE_EVIDENCE,
    )
    recommendation = {
        "approved": approve,
        "recommended": approve,
        "appeal": decline,
        "appeal_dismissed": decline,
        "appeal_new_review": decline,
        "appeal_approved": decline,
        "declined": decline,
        "more_evidence": more,
        "resubmitted": more,
    }
    value = Judgement.MET if recommendation[target] == approve else Judgement.INSUFFICIENT
    for person in pair:
        _judge(application, person, recommendation[target], value)
    application.refresh_from_db()
    if target == "recommended":
        return
    if target == "approved":
        transitions.decide(application=application, by=lead, outcome=Outcome.APPROVED)
    elif target in ("more_evidence", "resubmitted"):
        transitions.decide(
            application=application,
            by=lead,
            outcome=Outcome.MORE_EVIDENCE,
            reasons="One more case showing multidisciplinary team work, please.",
            capabilities=["CiP1"],
            deadline=timezone.localdate() + datetime.timedelta(days=42),
        )
        if target == "resubmitted":
            portfolio_api.add_evidence_with_note(
                owner=user,
                framework=portfolio_api.published_framework(pathway.framework_code),
                kind="case_review",
                title="MDT discussion I led about a complex knee",
                date=timezone.localdate() - datetime.timedelta(days=7),
                reflection="Written for the demo.",
                codes=["CiP1"],
            )
            transitions.resubmit_application(application=application, by=user)
    else:
        transitions.decide(
            application=application,
            by=second_lead,
            outcome=Outcome.DECLINED,
            reasons="The evidence does not yet show independent practice.",
            capability_reasons={
                "CiP1": "No case shows you leading a multidisciplinary discussion.",
                "CiP2": "The cases are all simple presentations.",
            },
        )
        if target == "declined":
            return
        transitions.lodge_appeal(
            application=application,
            by=user,
            grounds="The assessors did not see the MDT log attached to my audit.",
        )
        if target == "appeal_dismissed":
            transitions.decide_appeal(
                application=application,
                by=lead,
                outcome=AppealOutcome.DISMISSED,
                reasons="The MDT log was in the portfolio and the assessors considered it.",
            )
        elif target == "appeal_new_review":
            # Fresh assessors needed: the administrator allocates them (the demo's own
            # assessors judged the first round, so they are ruled out).
            transitions.decide_appeal(
                application=application,
                by=lead,
                outcome=AppealOutcome.NEW_REVIEW,
                reasons="The MDT log attached to the audit was not opened by either assessor.",
            )
        elif target == "appeal_approved":
            transitions.decide_appeal(
                application=application,
                by=lead,
                outcome=AppealOutcome.DECISION_CHANGED,
                reasons="The MDT log shows independent practice on both capabilities.",
                scope=pathway.default_scope,
            )
