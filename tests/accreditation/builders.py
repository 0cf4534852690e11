"""Builders for accreditation tests: a small pathway on a published framework, an applicant
whose portfolio meets every rule, and applications moved through the real services."""

import datetime

from django.utils import timezone

from accreditation.models import (
    ApplicationWindow,
    AssessorTraining,
    EligibilityRule,
    EvidenceRule,
    Outcome,
    Pathway,
)
from accreditation.services import allocation, fees, references, reviews, transitions
from portal.roles import Role
from portfolio.models import EvidenceLink
from portfolio.services.frameworks import publish_framework
from tests.credentials.factories import make_credential
from tests.factories import make_persona
from tests.portfolio.factories import (
    ClinicianProfileFactory,
    CompetencyFactory,
    DomainFactory,
    EvidenceItemFactory,
    FrameworkFactory,
)

CAPABILITIES = ("CAP1", "CAP2")


def make_pathway(*, window=True, code="test-path", **fields) -> Pathway:
    framework = FrameworkFactory(
        code=f"fw-{code}", unit_name="capability", unit_name_plural="capabilities"
    )
    domain = DomainFactory(framework=framework, code="D1")
    for n, cap in enumerate(CAPABILITIES):
        CompetencyFactory(
            framework=framework,
            domain=domain,
            code=cap,
            title=f"Capability {n + 1}",
            min_evidence=1,
            max_evidence=None,
        )
    publish_framework(framework=framework)
    fields.setdefault("default_scope", "MSK clinics in a community service (test scope).")
    pathway = Pathway.objects.create(
        code=code,
        name=f"Pathway {code}",
        framework_code=framework.code,
        credential_type_code="gpwer_msk",
        fee_pence=85000,
        **fields,
    )
    if window:
        today = timezone.localdate()
        ApplicationWindow.objects.create(
            pathway=pathway,
            opens=today - datetime.timedelta(days=3),
            closes=today + datetime.timedelta(days=20),
        )
    EligibilityRule.objects.create(
        pathway=pathway, kind="holds_credential", credential_type_code="diploma_msk_medicine"
    )
    EligibilityRule.objects.create(pathway=pathway, kind="registered", regulators="gmc")
    EligibilityRule.objects.create(pathway=pathway, kind="extended_role")
    EvidenceRule.objects.create(pathway=pathway, kind="per_capability", minimum=1)
    EvidenceRule.objects.create(pathway=pathway, kind="supervisor_reference")
    pathway.framework = framework
    return pathway


def ready_applicant(pathway, user=None, *, employer="Riverside PCN", region="ne_north_cumbria"):
    """An applicant whose portfolio meets every rule of PATHWAY."""
    user = user or make_persona(Role.APPLICANT)
    ClinicianProfileFactory(user=user, employer=employer, region=region)
    make_credential(user, kind="diploma_msk_medicine", valid_until=None, source_id=f"dip-{user.pk}")
    for competency in pathway.framework.competencies.all():
        item = EvidenceItemFactory(owner=user, title=f"Case for {competency.code}")
        EvidenceLink.objects.create(item=item, competency=competency)
    return user


def new_evidence(pathway, applicant, code="CAP1", title=None):
    """One more evidence item for capability CODE (an answer to a request for more)."""
    item = EvidenceItemFactory(owner=applicant, title=title or f"Further case for {code}")
    EvidenceLink.objects.create(item=item, competency=pathway.framework.competencies.get(code=code))
    return item


REFERENCE_ANSWERS = {
    "specialty": "sem",
    "post": "Consultant in sport and exercise medicine",
    "registration": "",
    "months": 12,
    "capabilities": [],
    "concerns": "no",
    "comment": "",
}


def draft(pathway, applicant, *, reference=True):
    """APPLICANT's draft for PATHWAY, with the supervisor's reference given (unless not)."""
    application = transitions.start_application(
        applicant=applicant,
        pathway=pathway,
        extended_role="MSK clinic two sessions a week",
        supervisor_name="Dr Sup",
        supervisor_email="sup@example.org",
    )
    if reference:
        give_reference(application)
    return application


def give_reference(application, **answers):
    """The named supervisor is asked and answers through their link."""
    token = f"test-reference-{application.pk}-{references.secrets.token_urlsafe(8)}"
    references.request_reference(application=application, by=application.applicant, token=token)
    return references.give_reference(token=token, answers={**REFERENCE_ANSWERS, **answers})


def submitted(pathway, applicant):
    return transitions.submit_application(application=draft(pathway, applicant), by=applicant)


def trained_assessor(pathway, *, role=Role.ASSESSOR, **kwargs):
    # A surname no page would contain by chance: tests look for it.
    trained_assessor.count += 1
    kwargs.setdefault("last_name", f"Qzassessor{trained_assessor.count}")
    user = make_persona(role, mfa=True, **kwargs)
    AssessorTraining.objects.create(assessor=user, pathway=pathway)
    ClinicianProfileFactory(user=user, employer=f"Trust of {user.pk}", region="south_east_london")
    return user


trained_assessor.count = 0


def paid_and_complete(application, admin):
    fees.record_fee(application=application, by=admin, status="paid", reference="INV-1")
    return transitions.mark_complete(application=application, by=admin)


def in_review(pathway, applicant, admin, assessors):
    application = submitted(pathway, applicant)
    paid_and_complete(application, admin)
    for assessor in assessors:
        allocation.allocate(application=application, assessor=assessor, by=admin)
        allocation.declare_no_conflict(application=application, assessor=assessor)
    application.refresh_from_db()
    return application


def judgements(value="met"):
    return {
        code: {"judgement": value, "comment": f"{code} ok", "evidence": []} for code in CAPABILITIES
    }


def review(application, assessor, recommendation="approve", value=None):
    """A review whose judgements agree with RECOMMENDATION (every capability met for an
    approval, insufficient otherwise) unless VALUE says which."""
    if value is None:
        value = "met" if recommendation == "approve" else "insufficient"
    return reviews.submit_review(
        application=application,
        assessor=assessor,
        judgements=judgements(value),
        recommendation=recommendation,
        comment="" if value != "met" or recommendation == "approve" else "Not yet, overall.",
    )


def recommended(pathway, applicant, admin, assessors, recommendation="approve"):
    application = in_review(pathway, applicant, admin, assessors)
    for assessor in assessors:
        review(application, assessor, recommendation)
    application.refresh_from_db()
    return application


def approve(application, lead):
    return transitions.decide(application=application, by=lead, outcome=Outcome.APPROVED)
