"""Coverage of a framework: distinct items, confirmed or not, gaps and limits in words."""

import re
import secrets
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portfolio.models import Confirmation, ConfirmationStatus, Framework, FrameworkStatus
from portfolio.selectors.coverage import framework_coverage, frameworks_for, judge, limits
from tests.portfolio.factories import (
    ClinicianProfileFactory,
    CompetencyFactory,
    DomainFactory,
    EvidenceItemFactory,
    EvidenceLinkFactory,
    FrameworkFactory,
)

pytestmark = pytest.mark.django_db


def _publish(framework):
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    framework.refresh_from_db()
    return framework


def _confirm(item):
    Confirmation.objects.create(
        item=item,
        confirmer_name="Peer",
        confirmer_email="peer@nhs.example",
        token_hash=secrets.token_hex(32),
        status=ConfirmationStatus.CONFIRMED,
        expires_at=timezone.now() + timedelta(days=14),
        responded_at=timezone.now(),
    )


def _item(owner, *competencies, confirmed=False):
    item = EvidenceItemFactory(owner=owner)
    for competency in competencies:
        EvidenceLinkFactory(item=item, competency=competency)
    if confirmed:
        _confirm(item)
    return item


@pytest.fixture
def pillar_framework():
    """Advanced practice shape: a pillar needs 4 to 6 items, each capability 1 to 2, 35 in all."""
    framework = FrameworkFactory(name="MSK advanced practice", max_total_evidence=35)
    pillar = DomainFactory(framework=framework, code="P1", title="Clinical practice")
    pillar.min_evidence, pillar.max_evidence = 4, 6
    pillar.save()
    caps = [
        CompetencyFactory(domain=pillar, code=f"1.{n}", min_evidence=1, max_evidence=2)
        for n in range(1, 4)
    ]
    open_domain = DomainFactory(framework=framework, code="P2", title="Research")
    unlimited = CompetencyFactory(domain=open_domain, code="2.1", min_evidence=0, max_evidence=None)
    return _publish(framework), caps, unlimited


def _row(coverage, code):
    return next(c for d in coverage.domains for c in d.competencies if c.competency.code == code)


def test_counts_confirmed_and_unconfirmed_distinct_items(applicant, outsider, pillar_framework):
    framework, (c1, c2, c3), _ = pillar_framework
    _item(applicant, c1, c2, confirmed=True)  # one item, two capabilities
    _item(applicant, c1)
    _item(outsider, c1, c3, confirmed=True)  # someone else's: never counted
    coverage = framework_coverage(user=applicant, framework=framework)

    row1 = _row(coverage, "1.1")
    assert (row1.confirmed, row1.unconfirmed, row1.total) == (1, 1, 2)
    assert row1.status == "Met"
    row2 = _row(coverage, "1.2")
    assert (row2.confirmed, row2.unconfirmed) == (1, 0)
    row3 = _row(coverage, "1.3")
    assert (row3.total, row3.status) == (0, "Gap: needs 1 more item")

    pillar = coverage.domains[0]
    assert (pillar.total, pillar.confirmed, pillar.unconfirmed) == (2, 1, 1)  # distinct items
    assert pillar.status == "Gap: needs 2 more items"
    assert pillar.limits == "4 to 6"
    assert (coverage.total, coverage.confirmed, coverage.unconfirmed) == (2, 1, 1)
    assert (coverage.met, coverage.gaps, coverage.over) == (3, 1, 0)
    assert not coverage.complete


def test_over_a_capability_maximum_and_the_pillar_rule(applicant, pillar_framework):
    framework, (c1, c2, c3), _ = pillar_framework
    for _ in range(3):
        _item(applicant, c1)
    _item(applicant, c2)
    coverage = framework_coverage(user=applicant, framework=framework)
    assert _row(coverage, "1.1").status == "Over the maximum of 2 by 1"
    assert coverage.domains[0].status == "Met"  # 4 distinct items: inside 4 to 6
    for _ in range(3):
        _item(applicant, c3)
    coverage = framework_coverage(user=applicant, framework=framework)
    assert coverage.domains[0].total == 7
    assert coverage.domains[0].status == "Over the maximum of 6 by 1"
    assert coverage.domains[1].status == "No minimum or maximum"


def test_the_whole_portfolio_maximum_of_35(applicant, pillar_framework):
    framework, _, unlimited = pillar_framework
    for _ in range(35):
        _item(applicant, unlimited)
    assert framework_coverage(user=applicant, framework=framework).status == (
        "Within the maximum of 35"
    )
    _item(applicant, unlimited)
    coverage = framework_coverage(user=applicant, framework=framework)
    assert coverage.total == 36
    assert coverage.status == "Over the maximum of 35 by 1"


def test_words_for_each_rule():
    assert judge(0, 1, 2) == ("gap", "Gap: needs 1 more item")
    assert judge(1, 4, 6) == ("gap", "Gap: needs 3 more items")
    assert judge(2, 1, 2) == ("met", "Met")
    assert judge(5, 1, 2) == ("over", "Over the maximum of 2 by 3")
    assert judge(3, None, None) == ("no_rule", "No minimum or maximum")
    assert [limits(1, 2), limits(2, 2), limits(4, None), limits(None, 35), limits(0, None)] == [
        "1 to 2",
        "exactly 2",
        "at least 4",
        "at most 35",
        "No limit",
    ]


def _big_framework(n_competencies=20):
    framework = FrameworkFactory(max_total_evidence=35)
    domains = [DomainFactory(framework=framework) for _ in range(4)]
    competencies = [
        CompetencyFactory(domain=domains[n % 4], code=f"Q{n}") for n in range(n_competencies)
    ]
    return _publish(framework), competencies


@pytest.mark.parametrize("n_items", [5, 50])
def test_a_fixed_number_of_queries(applicant, django_assert_num_queries, n_items):
    framework, competencies = _big_framework()
    for n in range(n_items):
        _item(
            applicant,
            competencies[n % 20],
            competencies[(n * 7) % 20 if (n * 7) % 20 != n % 20 else (n + 1) % 20],
            confirmed=n % 3 == 0,
        )
    with django_assert_num_queries(3):
        coverage = framework_coverage(user=applicant, framework=framework, rules=None)
    assert coverage.total == n_items


def test_the_page_query_count_does_not_grow_with_items(client, applicant):
    framework, competencies = _big_framework()
    client.force_login(applicant)
    url = f"/portfolio/coverage/{framework.pk}/"
    client.get(url)  # warm the session and caches
    counts = []
    for n_items in (5, 50):
        for n in range(n_items):
            _item(applicant, competencies[n % 20], confirmed=n % 2 == 0)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert 0 < counts[0] == counts[1]


def test_which_frameworks_are_offered(applicant, outsider):
    published = _publish(FrameworkFactory(name="Published"))
    draft = FrameworkFactory(name="Draft nobody uses")
    used_draft_competency = CompetencyFactory(domain=DomainFactory(framework=FrameworkFactory()))
    _item(applicant, used_draft_competency)
    offered = set(frameworks_for(applicant))
    assert published in offered and used_draft_competency.framework in offered
    assert draft not in offered
    assert used_draft_competency.framework not in set(frameworks_for(outsider))


def test_the_coverage_pages(client, applicant, pillar_framework):
    framework, (c1, _c2, _c3), _ = pillar_framework
    _item(applicant, c1, confirmed=True)
    assert client.get("/portfolio/coverage/").status_code == 302  # sign in first
    assert client.get(f"/portfolio/coverage/{framework.pk}/").status_code == 302
    client.force_login(applicant)
    index = client.get("/portfolio/coverage/")
    assert index.status_code == 200
    assert "MSK advanced practice" in index.content.decode()
    chosen = client.get(f"/portfolio/coverage/?framework={framework.pk}")
    assert chosen.status_code == 302
    assert chosen["Location"] == f"/portfolio/coverage/{framework.pk}/"
    bad = client.get("/portfolio/coverage/?framework=999999")
    assert bad.status_code == 200
    assert "Choose a framework from the list." in bad.content.decode()

    html = client.get(chosen["Location"]).content.decode()
    assert "Gap: needs 1 more item" in html  # capabilities 1.2 and 1.3
    assert "Gap: needs 3 more items" in html  # the pillar: 1 of at least 4
    assert "Subtotal for Clinical practice" in html
    assert "Within the maximum of 35" in html
    assert " style=" not in html


def test_a_draft_framework_nobody_used_is_not_found(client, applicant):
    draft = FrameworkFactory()
    client.force_login(applicant)
    for path in (f"/portfolio/coverage/{draft.pk}/", "/portfolio/coverage/999999/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def test_where_confirmation_is_required_only_confirmed_items_meet_a_minimum(applicant):
    framework = FrameworkFactory(name="MSK advanced practice", confirmation_required=True)
    pillar = DomainFactory(framework=framework, code="P1", title="Clinical practice")
    capability = CompetencyFactory(domain=pillar, code="1.1", min_evidence=1, max_evidence=2)
    _item(applicant, capability)
    coverage = framework_coverage(user=applicant, framework=framework)
    [row] = coverage.domains[0].competencies
    assert (row.state, row.status) == ("gap", "Gap: needs 1 more item confirmed")
    assert not coverage.complete
    _item(applicant, capability, confirmed=True)
    [row] = framework_coverage(user=applicant, framework=framework).domains[0].competencies
    assert (row.state, row.status) == ("met", "Met")


def test_coverage_rows_link_to_the_evidence_behind_them(client, applicant):
    framework = FrameworkFactory(
        name="GPwER in MSK", unit_name="capability", unit_name_plural="capabilities"
    )
    domain = DomainFactory(framework=framework, code="D1")
    capability = CompetencyFactory(domain=domain, code="CiP1", title="MDT working")
    _publish(framework)
    item = _item(applicant, capability)
    item.title = "Shoulder MDT case"
    item.save()
    client.force_login(applicant)
    page = client.get(f"/portfolio/coverage/{framework.pk}/").content.decode()
    assert f'<a href="/portfolio/evidence/{item.pk}/">Shoulder MDT case</a>' in page
    assert "(not yet confirmed)" in page
    # The framework's own word, and the status column on a phone (a stacked table).
    assert ">Capability</th>" in page and "competenc" not in page.lower().split("<footer")[0]
    assert 'class="nhsuk-table-responsive portal-coverage"' in page
    assert '<span class="nhsuk-table-responsive__heading" aria-hidden="true">Status </span>' in page


def _route_framework(name, route, code):
    framework = FrameworkFactory(name=name, route=route, unit_name="capability")
    CompetencyFactory(domain=DomainFactory(framework=framework), code=code, min_evidence=1)
    return _publish(framework)


def test_coverage_opens_on_the_framework_of_the_route(client, applicant, outsider):
    gpwer = _route_framework("GPwER in MSK", "gpwer", "CiP1")
    advanced = _route_framework("MSK advanced practice", "advanced_practice", "1.1")
    _route_framework("Safeguarding for everyone", "", "S1")
    profile = ClinicianProfileFactory(user=applicant, profession="gp")
    client.force_login(applicant)
    # The GP's route follows their profession; a chosen route wins.
    assert client.get("/portfolio/coverage/")["Location"] == f"/portfolio/coverage/{gpwer.pk}/"
    profile.route = "advanced_practice"
    profile.save()
    assert client.get("/portfolio/coverage/")["Location"] == f"/portfolio/coverage/{advanced.pk}/"
    # Choosing another framework still works, from the route's page.
    page = client.get(f"/portfolio/coverage/{advanced.pk}/").content.decode()
    assert "Another framework" in page
    chosen = client.get(f"/portfolio/coverage/?framework={gpwer.pk}")
    assert chosen["Location"] == f"/portfolio/coverage/{gpwer.pk}/"
    # Without a profile (so no route) there is a framework to choose.
    client.force_login(outsider)
    choose = client.get("/portfolio/coverage/")
    assert choose.status_code == 200
    assert "Show coverage" in choose.content.decode()


def test_gap_rows_link_to_add_evidence_for_that_capability(client, applicant):
    framework = FrameworkFactory(
        name="GPwER in MSK", unit_name="capability", unit_name_plural="capabilities"
    )
    domain = DomainFactory(framework=framework, code="D1")
    met = CompetencyFactory(domain=domain, code="CiP1", title="MDT working", min_evidence=1)
    gap = CompetencyFactory(domain=domain, code="CiP2", title="Back pain", min_evidence=1)
    _publish(framework)
    _item(applicant, met)
    client.force_login(applicant)
    page = client.get(f"/portfolio/coverage/{framework.pk}/").content.decode()
    link = (
        f"/portfolio/evidence/add/?framework={framework.pk}&amp;capability=CiP2"
        f"&amp;next=/portfolio/coverage/{framework.pk}/"
    )
    assert (
        f'<a href="{link}">Add evidence'
        '<span class="nhsuk-u-visually-hidden"> for CiP2 Back pain</span></a>'
    ) in page
    assert page.count("/portfolio/evidence/add/") == 1  # the met row has none
    # Following it, the capability is already ticked.
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert re.search(rf'<input [^>]*value="{gap.pk}"[^>]* checked>', form)
    assert not re.search(rf'<input [^>]*value="{met.pk}"[^>]* checked>', form)
