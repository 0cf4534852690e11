"""What the public Wagtail pages (cms) use from accreditation. Keep these names stable.

- PUBLIC_FACT_MODELS: saving or deleting any of these changes what public pages say.
- published_pathways(): the pathways taking applications, in order.
- pathway_facts(pathway): everything a public page says about one pathway, in a constant
  number of queries.
- coverage_rules(user, framework): the pathway's limits the portfolio's coverage page judges
  by (settings.PORTFOLIO_COVERAGE_RULES names it).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from accreditation.audit_words import ACTION_WORDS as AUDIT_WORDS
from accreditation.models import (
    ApplicationWindow,
    AppliesTo,
    EligibilityRule,
    EvidenceRule,
    Pathway,
)
from accreditation.selectors import card_notes
from accreditation.services.rules import eligibility_sentence, evidence_sentence
from credentials import api as credentials_api
from portal.contributions import ADMINISTRATION, Card
from portal.roles import Role

__all__ = [
    "AUDIT_WORDS",
    "DASHBOARD_CARDS",
    "ROLE_PERMISSIONS",
    "PUBLIC_FACT_MODELS",
    "PathwayFacts",
    "coverage_rules",
    "pathway_facts",
    "published_pathways",
]

PUBLIC_FACT_MODELS = (Pathway, ApplicationWindow, EligibilityRule, EvidenceRule)


@dataclass(frozen=True)
class PathwayFacts:
    name: str
    credential_name: str
    fee_text: str
    open_window: tuple[datetime.date, datetime.date] | None
    next_window: tuple[datetime.date, datetime.date] | None
    eligibility: list[str]
    evidence_rules: list[str]
    start_url: str


def published_pathways() -> QuerySet[Pathway]:
    return Pathway.objects.filter(published=True).order_by("order", "name")


def pathway_facts(pathway: Pathway, *, today: datetime.date | None = None) -> PathwayFacts:
    """Four queries: the pathway's windows, eligibility rules, evidence rules and the name of
    the credential it awards."""
    today = today or timezone.localdate()
    pathway = (
        Pathway.objects.filter(pk=pathway.pk)
        .prefetch_related(
            Prefetch("windows", queryset=ApplicationWindow.objects.order_by("opens")),
            "eligibility",
            "evidence_rules",
        )
        .get()
    )
    windows = list(pathway.windows.all())
    current = next((w for w in windows if w.opens <= today <= w.closes), None)
    upcoming = next((w for w in windows if w.opens > today), None)
    names = dict(credentials_api.credential_types().values_list("code", "name"))
    return PathwayFacts(
        name=pathway.name,
        credential_name=names.get(pathway.credential_type_code, pathway.credential_type_code),
        fee_text=pathway.fee_text,
        open_window=(current.opens, current.closes) if current else None,
        next_window=(upcoming.opens, upcoming.closes) if upcoming else None,
        eligibility=[eligibility_sentence(rule, names) for rule in pathway.eligibility.all()],
        evidence_rules=[
            evidence_sentence(rule)
            for rule in pathway.evidence_rules.all()
            if rule.applies_to == AppliesTo.FIRST_AWARD
        ],
        start_url=reverse("accreditation:start", args=[pathway.code]),
    )


# -- benchmark data (manage.py bench_data) -------------------------------------------------------
def load_bench_applications(**kwargs) -> None:
    """Benchmark applications loaded with COPY (accreditation/benchdata.py)."""
    from accreditation.benchdata import generate

    generate(**kwargs)


def coverage_rules(user, framework):
    """The limits the portfolio's coverage page judges FRAMEWORK by for USER: the rules of
    their open application on a pathway using it, else of the first published pathway using
    it; None when no pathway uses it (the framework's own figures then apply). The checklist
    uses the same (accreditation.services.rules.coverage_rules)."""
    from accreditation.models import OPEN_STATES, Application
    from accreditation.services.rules import coverage_rules as rules_of

    application = (
        Application.objects.filter(
            applicant_id=user.pk, state__in=OPEN_STATES, pathway__framework_code=framework.code
        )
        .select_related("pathway", "renewal_of")
        .order_by("-created_at", "-pk")
        .first()
        if user.is_authenticated
        else None
    )
    if application is not None:
        return rules_of(
            application,
            source=f"the rules of your application {application.reference} for "
            f"{application.pathway.name}",
        )
    pathway = published_pathways().filter(framework_code=framework.code).first()
    if pathway is None:
        return None
    return rules_of(
        Application(pathway=pathway),
        source=f"the rules of the {pathway.name} pathway",
    )


# -- what accreditation adds to portal's pages (collected by portal.contributions) ----------------
_NOTES, _LISTS = card_notes.NOTES, card_notes.LISTS
DASHBOARD_CARDS = (
    Card(
        Role.APPLICANT,
        60,
        "Your applications",
        "Apply for accreditation, see what is missing, submit and follow each step.",
        "accreditation:my_applications",
        note=_NOTES["/accreditation/"],
    ),
    Card(
        Role.ASSESSOR,
        10,
        "Your assessments",
        "The applications allocated to you: declare no conflict, judge and recommend.",
        "accreditation:assessor_queue",
        note=_NOTES["/accreditation/assess/"],
        list=_LISTS["/accreditation/assess/"],
    ),
    Card(
        Role.LEAD_ASSESSOR,
        10,
        "Sign-off and moderation",
        "Applications whose reviews are in, disagreements to moderate, and appeals.",
        "accreditation:lead_queue",
        note=_NOTES["/accreditation/lead/"],
    ),
    Card(
        Role.LEAD_ASSESSOR,
        20,
        "Your assessments",
        "Applications allocated to you as an assessor.",
        "accreditation:assessor_queue",
        note=_NOTES["/accreditation/assess/"],
        list=_LISTS["/accreditation/assess/"],
    ),
    Card(
        Role.FACULTY_STAFF,
        60,
        "Accreditation applications",
        "Completeness checks, fees, assessor allocation, workload and overdue steps.",
        "accreditation:manage_dashboard",
        note=_NOTES["/accreditation/manage/"],
    ),
    Card(
        ADMINISTRATION,
        50,
        "Accreditation applications",
        "Checks, fees, allocation, workload.",
        "accreditation:manage_dashboard",
        note=_NOTES["/accreditation/manage/"],
    ),
)
# Pathways, their rules and windows, trained assessors (Django admin); applications read-only.
ROLE_PERMISSIONS = {
    Role.FACULTY_STAFF: (
        *(
            f"accreditation.{verb}_{model}"
            for model in (
                "pathway",
                "applicationwindow",
                "eligibilityrule",
                "evidencerule",
                "assessortraining",
            )
            for verb in ("view", "add", "change", "delete")
        ),
        "accreditation.view_application",
    ),
}
