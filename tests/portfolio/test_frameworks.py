"""Framework versions: draft → published → retired, copies, guards, pages, admin and demo."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import AuditEvent
from portfolio.demo import seed_frameworks
from portfolio.errors import PortfolioError
from portfolio.models import Competency, Domain, EvidenceLink, Framework, FrameworkStatus
from portfolio.models.frameworks import FrameworkIsPublished
from portfolio.services.frameworks import (
    create_framework,
    delete_draft,
    new_draft_version,
    publish_framework,
    retire_framework,
    update_framework,
)
from tests.portfolio.factories import (
    CompetencyFactory,
    DomainFactory,
    EvidenceLinkFactory,
    FrameworkFactory,
)

pytestmark = pytest.mark.django_db


def _draft(code="gpwer-msk", domains=1, per_domain=2, **kwargs):
    framework = FrameworkFactory(code=code, **kwargs)
    for d in range(domains):
        domain = DomainFactory(framework=framework, code=f"D{d}", min_evidence=1, max_evidence=4)
        for c in range(per_domain):
            CompetencyFactory(domain=domain, code=f"C{d}.{c}", level="Entrusted")
    return framework


def _published(**kwargs):
    return publish_framework(framework=_draft(**kwargs))


# Services -------------------------------------------------------------------------------


def test_publishing_a_draft_stamps_it_and_audits_it():
    framework = publish_framework(framework=_draft())
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.PUBLISHED
    assert framework.published_at is not None
    event = AuditEvent.objects.get(action="portfolio.framework_published")
    assert (event.old_state, event.new_state) == ("draft", "published")


def test_publishing_a_new_version_retires_the_previous_one():
    first = _published()
    second = new_draft_version(framework=first)
    publish_framework(framework=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (FrameworkStatus.RETIRED, FrameworkStatus.PUBLISHED)
    assert Framework.objects.filter(code=first.code, status="published").get() == second


def test_a_framework_with_no_competencies_cannot_be_published():
    framework = FrameworkFactory()
    DomainFactory(framework=framework)
    with pytest.raises(PortfolioError, match="no competencies"):
        publish_framework(framework=framework)
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.DRAFT
    assert framework.published_at is None


@pytest.mark.parametrize("service", [publish_framework, update_framework, delete_draft])
def test_draft_only_moves_are_refused_for_a_published_version(service):
    framework = _published()
    kwargs = {"framework": framework}
    if service is update_framework:
        kwargs.update(name="Changed", description="Changed", max_total_evidence=3)
    with pytest.raises(PortfolioError, match="published"):
        service(**kwargs)
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.PUBLISHED
    assert framework.name != "Changed"
    assert framework.competencies.count() == 2


def test_a_published_version_never_changes():
    framework = _published()
    competency = framework.competencies.first()
    competency.title = "Quietly changed"
    with pytest.raises(FrameworkIsPublished):
        competency.save()
    with pytest.raises(FrameworkIsPublished):
        framework.domains.first().delete()
    with pytest.raises(FrameworkIsPublished):
        CompetencyFactory(domain=framework.domains.first(), code="NEW")
    assert Competency.objects.filter(title="Quietly changed").count() == 0


def test_a_draft_can_change_its_details():
    framework = _draft()
    update_framework(framework=framework, name="New name", description="New", max_total_evidence=9)
    framework.refresh_from_db()
    assert (framework.name, framework.max_total_evidence) == ("New name", 9)
    assert AuditEvent.objects.filter(action="portfolio.framework_changed").count() == 1


def test_a_new_draft_version_copies_every_domain_and_competency():
    source = _published(domains=2, per_domain=3, max_total_evidence=35, description="About")
    copy = new_draft_version(framework=source)
    assert (copy.version, copy.status, copy.code) == (2, FrameworkStatus.DRAFT, source.code)
    assert (copy.name, copy.description, copy.max_total_evidence) == (source.name, "About", 35)
    fields = ["code", "title", "order", "min_evidence", "max_evidence"]
    assert list(copy.domains.order_by("code").values(*fields)) == list(
        source.domains.order_by("code").values(*fields)
    )
    fields = ["code", "title", "descriptor", "level", "min_evidence", "max_evidence", "order"]
    fields.append("domain__code")
    assert list(copy.competencies.order_by("code").values(*fields)) == list(
        source.competencies.order_by("code").values(*fields)
    )
    assert not copy.competencies.exclude(domain__framework=copy).exists()
    assert source.competencies.count() == 6  # the source is untouched


def test_only_one_draft_per_code_at_a_time():
    source = _published()
    new_draft_version(framework=source)
    with pytest.raises(PortfolioError, match="already a draft"):
        new_draft_version(framework=source)
    assert Framework.objects.filter(code=source.code).count() == 2


def test_a_draft_is_edited_not_copied():
    with pytest.raises(PortfolioError, match="already a draft"):
        new_draft_version(framework=_draft())


def test_a_retired_version_can_be_copied_with_the_next_number():
    first = _published()
    second = new_draft_version(framework=first)
    publish_framework(framework=second)
    retire_framework(framework=second)
    third = new_draft_version(framework=first)
    assert third.version == 3


def test_only_a_published_version_can_be_retired():
    with pytest.raises(PortfolioError, match="Only a published version"):
        retire_framework(framework=_draft(code="a-draft"))
    framework = retire_framework(framework=_published())
    assert framework.status == FrameworkStatus.RETIRED
    with pytest.raises(PortfolioError):
        retire_framework(framework=framework)


def test_evidence_keeps_the_version_it_was_mapped_under():
    first = _published()
    competency = first.competencies.get(code="C0.0")
    link = EvidenceLinkFactory(competency=competency)
    second = new_draft_version(framework=first)
    publish_framework(framework=second)
    link.refresh_from_db()
    assert link.competency == competency
    assert link.competency.framework == first
    first.refresh_from_db()
    assert first.status == FrameworkStatus.RETIRED
    assert not EvidenceLink.objects.filter(competency__framework=second).exists()
    # The same code exists in the new version, as a different competency.
    assert second.competencies.get(code="C0.0").pk != competency.pk


def test_create_framework_refuses_a_code_in_use():
    _draft(code="taken")
    with pytest.raises(PortfolioError, match="already exists"):
        create_framework(code="taken", name="Again")
    assert Framework.objects.filter(code="taken").count() == 1


def test_deleting_a_draft_removes_its_parts_only():
    published = _published()
    draft = new_draft_version(framework=published)
    delete_draft(framework=draft)
    assert not Framework.objects.filter(pk=draft.pk).exists()
    assert Competency.objects.filter(framework=published).count() == 2
    assert AuditEvent.objects.filter(action="portfolio.framework_draft_deleted").exists()


# Pages -----------------------------------------------------------------------------------

PAGES = [
    "/portfolio/frameworks/",
    "/portfolio/frameworks/new/",
    "/portfolio/frameworks/{pk}/",
    "/portfolio/frameworks/{pk}/edit/",
    "/portfolio/frameworks/{pk}/import/",
    "/portfolio/frameworks/{pk}/export.csv",
    "/portfolio/frameworks/{pk}/export.xlsx",
    "/portfolio/frameworks/{pk}/publish/",
]


@pytest.mark.parametrize("persona", ["applicant", "outsider", "assessor", "content_editor"])
def test_pages_are_not_found_for_anyone_but_faculty_staffs(client, request, persona):
    framework = _draft()
    client.force_login(request.getfixturevalue(persona))
    for page in PAGES:
        assert client.get(page.format(pk=framework.pk)).status_code == 404, page
    assert client.post(f"/portfolio/frameworks/{framework.pk}/publish/").status_code == 404
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.DRAFT


def test_signed_out_visitors_are_sent_to_sign_in(client):
    framework = _draft()
    for page in PAGES:
        response = client.get(page.format(pk=framework.pk))
        assert response.status_code == 302, page
        assert response["Location"].startswith("/accounts/login/?next="), page


@pytest.mark.parametrize("persona", ["faculty_staff", "superuser"])
def test_the_list_shows_every_framework_and_version(client, request, persona):
    first = _published(name="GPwER in MSK")
    new_draft_version(framework=first)
    client.force_login(request.getfixturevalue(persona))
    html = client.get("/portfolio/frameworks/").content.decode()
    assert "GPwER in MSK" in html
    assert "Version 1" in html and "Version 2" in html
    assert "Retired" not in html and "Published" in html and "Draft" in html


def test_the_detail_page_uses_a_fixed_number_of_queries(client, faculty_staff):
    small = _draft(code="small", domains=1, per_domain=1)
    large = _draft(code="large", domains=6, per_domain=8)
    client.force_login(faculty_staff)
    client.get(f"/portfolio/frameworks/{small.pk}/")  # warm per-process caches

    def count(framework):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/portfolio/frameworks/{framework.pk}/")
        assert response.status_code == 200
        return len(queries)

    assert count(small) == count(large) <= 14


def test_the_detail_page_shows_domains_competencies_and_the_right_buttons(client, faculty_staff):
    draft = _draft()
    client.force_login(faculty_staff)
    html = client.get(f"/portfolio/frameworks/{draft.pk}/").content.decode()
    assert "C0.1" in html and "Entrusted" in html
    assert "Import from a spreadsheet" in html and "Publish this version" in html
    publish_framework(framework=draft)
    html = client.get(f"/portfolio/frameworks/{draft.pk}/").content.decode()
    assert "Import from a spreadsheet" not in html
    assert "Start a new draft version" in html and "Retire this version" in html


def test_publishing_through_the_page(client, faculty_staff):
    first = _published()
    draft = new_draft_version(framework=first)
    client.force_login(faculty_staff)
    page = client.get(f"/portfolio/frameworks/{draft.pk}/publish/").content.decode()
    assert "Version 1 is published now and will be retired" in page
    response = client.post(f"/portfolio/frameworks/{draft.pk}/publish/")
    assert response["Location"] == f"/portfolio/frameworks/{draft.pk}/"
    draft.refresh_from_db()
    first.refresh_from_db()
    assert (draft.status, first.status) == ("published", "retired")


def test_a_new_version_through_the_page_opens_the_copy(client, faculty_staff):
    first = _published()
    client.force_login(faculty_staff)
    response = client.post(f"/portfolio/frameworks/{first.pk}/new-version/")
    copy = Framework.objects.get(code=first.code, version=2)
    assert response["Location"] == f"/portfolio/frameworks/{copy.pk}/"


def test_a_refused_move_shows_why_and_changes_nothing(client, faculty_staff):
    empty = FrameworkFactory()
    client.force_login(faculty_staff)
    response = client.post(f"/portfolio/frameworks/{empty.pk}/publish/", follow=True)
    assert "no competencies cannot be published" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == FrameworkStatus.DRAFT


def test_retire_and_delete_through_the_pages(client, faculty_staff):
    published = _published()
    draft = new_draft_version(framework=published)
    client.force_login(faculty_staff)
    assert client.post(f"/portfolio/frameworks/{draft.pk}/delete/")["Location"] == (
        "/portfolio/frameworks/"
    )
    assert not Framework.objects.filter(pk=draft.pk).exists()
    client.post(f"/portfolio/frameworks/{published.pk}/retire/")
    published.refresh_from_db()
    assert published.status == FrameworkStatus.RETIRED


def test_an_unknown_action_is_not_found(client, faculty_staff):
    client.force_login(faculty_staff)
    for response in (
        client.post(f"/portfolio/frameworks/{_draft().pk}/explode/"),
        client.get("/portfolio/frameworks/999999/"),
    ):
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def test_creating_a_framework_through_the_page(client, faculty_staff):
    client.force_login(faculty_staff)
    response = client.post(
        "/portfolio/frameworks/new/",
        {"code": "new-route", "name": "A new route", "max_total_evidence": "20"},
    )
    framework = Framework.objects.get(code="new-route")
    assert response["Location"] == f"/portfolio/frameworks/{framework.pk}/"
    assert (framework.version, framework.status) == (1, FrameworkStatus.DRAFT)
    response = client.post("/portfolio/frameworks/new/", {"code": "new-route", "name": "Again"})
    assert "already exists" in response.content.decode()
    response = client.post("/portfolio/frameworks/new/", {"code": "Bad Code!", "name": ""})
    html = response.content.decode()
    assert "There is a problem" in html and "Enter the framework" in html
    assert Framework.objects.count() == 1


def test_editing_details_only_for_a_draft(client, faculty_staff):
    draft = _draft()
    client.force_login(faculty_staff)
    client.post(f"/portfolio/frameworks/{draft.pk}/edit/", {"name": "Renamed", "description": ""})
    draft.refresh_from_db()
    assert draft.name == "Renamed"
    publish_framework(framework=draft)
    response = client.post(f"/portfolio/frameworks/{draft.pk}/edit/", {"name": "Again"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Renamed"
    response = client.post(
        f"/portfolio/frameworks/{_draft(code='x').pk}/edit/",
        {"name": "Fine", "max_total_evidence": "lots"},
    )
    assert "Enter a whole number, like 35" in response.content.decode()


def test_the_faculty_staff_dashboard_links_to_the_frameworks(client, faculty_staff):
    client.force_login(faculty_staff)
    html = client.get("/dashboard/faculty-staff/").content.decode()
    assert 'href="/portfolio/frameworks/"' in html


# Demo data -------------------------------------------------------------------------------


def test_seed_frameworks_is_safe_to_run_twice():
    seed_frameworks()
    counts = (Framework.objects.count(), Domain.objects.count(), Competency.objects.count())
    assert seed_frameworks() == []
    assert (Framework.objects.count(), Domain.objects.count(), Competency.objects.count()) == (
        counts
    )
    assert set(Framework.objects.values_list("code", "status")) == {
        ("gpwer-msk", "published"),
        ("msk-advanced-practice", "published"),
        ("sports-exercise-therapist", "published"),
        ("fcp-roadmap", "published"),
    }


def test_the_demo_frameworks_have_the_documented_shape():
    seed_frameworks()
    gpwer = Framework.objects.get(code="gpwer-msk")
    assert 8 <= gpwer.competencies.count() <= 10
    cips = gpwer.competencies.filter(
        title__in=[
            "Working in a multidisciplinary team",
            "Comprehensive community-based MSK management",
        ]
    )
    assert [(c.min_evidence, c.level) for c in cips] == [(1, "Entrusted to act independently")] * 2
    advanced = Framework.objects.get(code="msk-advanced-practice")
    assert advanced.max_total_evidence == 35
    pillars = advanced.domains.all()
    assert [p.title for p in pillars] == [
        "Clinical practice",
        "Leadership and management",
        "Education",
        "Research",
    ]
    for pillar in pillars:
        assert (pillar.min_evidence, pillar.max_evidence) == (4, 6)
        assert 3 <= pillar.competencies.count() <= 4
        assert set(pillar.competencies.values_list("min_evidence", "max_evidence")) == {(1, 2)}
    sports = Framework.objects.get(code="sports-exercise-therapist")
    assert sports.domains.count() == 3 and 7 <= sports.competencies.count() <= 9
    roadmap = Framework.objects.get(code="fcp-roadmap")
    assert roadmap.domains.first().title.startswith("Stage 1")
