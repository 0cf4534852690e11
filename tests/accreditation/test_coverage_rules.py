"""Coverage and the application's checklist judge the same rules: the pathway's.

Before, the coverage page judged the framework's own figures ("G3 Safeguarding: Gap") while
the GPwER checklist asked only for CiP1, CiP2 and the reference."""

import pytest
from django.urls import reverse

from accreditation.models import EvidenceRule, Pathway
from accreditation.services import transitions
from accreditation.services.rules import checklist
from portfolio.demo import seed_frameworks
from portfolio.models import Competency, EvidenceLink, Framework
from tests.accreditation import builders
from tests.portfolio.factories import ClinicianProfileFactory, EvidenceItemFactory

pytestmark = pytest.mark.django_db


def _evidence(user, framework, *codes):
    for code in codes:
        item = EvidenceItemFactory(owner=user, title=f"Case for {code}")
        EvidenceLink.objects.create(
            item=item, competency=Competency.objects.get(framework=framework, code=code)
        )


def _rows(page: str) -> str:
    return " ".join(page.split())


@pytest.fixture
def gpwer(db):
    seed_frameworks()
    return Pathway.objects.get(code="gpwer-msk")


def test_a_gp_with_both_capabilities_in_practice_has_no_gaps_anywhere(client, gpwer, applicant):
    framework = Framework.objects.get(code="gpwer-msk")
    ClinicianProfileFactory(user=applicant)
    _evidence(applicant, framework, "CiP1", "CiP2")
    application = transitions.start_application(
        applicant=applicant,
        pathway=gpwer,
        extended_role="Two MSK sessions a week.",
        supervisor_name="Dr Sup",
        supervisor_email="sup@example.org",
    )
    evidence = [line for line in checklist(application).lines if line.text.startswith("Evidence")]
    assert evidence and all(line.met for line in evidence)

    client.force_login(applicant)
    page = _rows(
        client.get(reverse("portfolio:coverage_framework", args=[framework.pk])).content.decode()
    )
    assert "Gap" not in page
    assert f"the rules of your application {application.reference}" in page
    assert "G3 Safeguarding" in page and "No minimum or maximum" in page


def test_a_gap_shows_the_same_on_both(client, gpwer, applicant):
    framework = Framework.objects.get(code="gpwer-msk")
    _evidence(applicant, framework, "CiP1")
    application = transitions.start_application(applicant=applicant, pathway=gpwer)
    (cip2,) = [line for line in checklist(application).lines if "CiP2" in line.text]
    assert not cip2.met and "CiP2 has 0 items" in cip2.text
    client.force_login(applicant)
    page = _rows(
        client.get(reverse("portfolio:coverage_framework", args=[framework.pk])).content.decode()
    )
    assert page.count("Gap: needs 1 more item") == 1


def test_without_an_application_the_pathway_using_the_framework_sets_the_rules(
    client, gpwer, applicant
):
    framework = Framework.objects.get(code="gpwer-msk")
    client.force_login(applicant)
    page = _rows(
        client.get(reverse("portfolio:coverage_framework", args=[framework.pk])).content.decode()
    )
    assert f"the rules of the {gpwer.name} pathway" in page
    assert page.count("Gap: needs 1 more item") == 2  # CiP1 and CiP2, nothing else


def test_a_framework_no_pathway_uses_keeps_its_own_figures(client, pathway, applicant):
    Pathway.objects.filter(pk=pathway.pk).update(framework_code="another")
    client.force_login(applicant)
    page = _rows(
        client.get(
            reverse("portfolio:coverage_framework", args=[pathway.framework.pk])
        ).content.decode()
    )
    assert page.count("Gap: needs 1 more item") == 2
    assert "the rules of" not in page


def test_a_rule_for_one_capability_wins_over_one_for_each(pathway, ready):
    EvidenceRule.objects.create(pathway=pathway, kind="per_capability", code="CAP1", minimum=2)
    application = builders.draft(pathway, ready)
    lines = [line for line in checklist(application).lines if line.text.startswith("Evidence")]
    assert [line.met for line in lines] == [False, False]
    assert all("CAP1 has 1 item" in line.text for line in lines)
    builders.new_evidence(pathway, ready, "CAP1")
    assert all(
        line.met for line in checklist(application).lines if line.text.startswith("Evidence")
    )


def test_where_every_item_is_confirmed_both_count_only_confirmed_items(pathway, ready):
    Framework.objects.filter(pk=pathway.framework.pk).update(confirmation_required=True)
    application = builders.draft(pathway, ready)
    (line,) = [line for line in checklist(application).lines if line.text.startswith("Evidence")]
    assert not line.met
    assert "CAP1 has 0 items confirmed; CAP2 has 0 items confirmed" in line.text
