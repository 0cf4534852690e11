"""The Django admin for portfolios: read-only published versions, services behind the actions,
an import that refuses what the portal refuses, and read-only profiles and evidence."""

import pytest

from portal.models import AuditEvent
from portal.roles import Role
from portfolio.models import Competency, Domain, Framework, FrameworkStatus
from portfolio.services.frameworks import publish_framework
from tests.factories import make_persona
from tests.portfolio.factories import CompetencyFactory, DomainFactory, FrameworkFactory
from tests.portfolio.test_framework_import import (
    GOOD_ROWS,
    _csv,
    _row,
    _snapshot,
    _upload,
    _xlsx,
)
from tests.portfolio.test_frameworks import _draft, _published

pytestmark = pytest.mark.django_db


def test_the_admin_shows_a_published_version_read_only(client, superuser):
    framework = _published()
    competency = framework.competencies.first()
    client.force_login(superuser)
    assert client.get(f"/admin/portfolio/framework/{framework.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/portfolio/framework/{framework.pk}/change/", {"name": "Changed in admin"}
    )
    assert response.status_code == 403
    response = client.post(
        f"/admin/portfolio/competency/{competency.pk}/change/",
        {
            "framework": framework.pk,
            "domain": competency.domain_id,
            "code": competency.code,
            "title": "Changed in admin",
            "min_evidence": 1,
            "order": 0,
        },
    )
    assert response.status_code == 403
    framework.refresh_from_db()
    competency.refresh_from_db()
    assert framework.name != "Changed in admin" and competency.title != "Changed in admin"
    assert client.post(f"/admin/portfolio/domain/{competency.domain_id}/delete/").status_code == 403


def test_admin_actions_go_through_the_services(client, superuser):
    draft = _draft()
    empty = FrameworkFactory()
    client.force_login(superuser)
    response = client.post(
        "/admin/portfolio/framework/",
        {"action": "publish", "_selected_action": [draft.pk, empty.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 framework version(s) published" in html and "no competencies" in html
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED
    assert AuditEvent.objects.filter(action="portfolio.framework_published").count() == 1


def test_the_admin_edits_a_draft_through_the_service(client, superuser):
    draft = _draft()
    client.force_login(superuser)
    response = client.post(
        f"/admin/portfolio/framework/{draft.pk}/change/",
        {"name": "Edited in admin", "description": "", "max_total_evidence": ""},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Edited in admin"
    assert AuditEvent.objects.filter(action="portfolio.framework_changed").exists()


def test_the_admin_adds_a_framework_as_a_draft_through_the_service(client, faculty_staff):
    client.force_login(faculty_staff)
    response = client.post(
        "/admin/portfolio/framework/add/",
        {"code": "new-route", "name": "New route", "description": "", "max_total_evidence": ""},
    )
    assert response.status_code == 302
    framework = Framework.objects.get(code="new-route")
    assert (framework.version, framework.status) == (1, FrameworkStatus.DRAFT)
    assert AuditEvent.objects.filter(action="portfolio.framework_created").exists()


@pytest.mark.parametrize("model", ["clinicianprofile", "evidenceitem"])
def test_profiles_and_evidence_are_read_only_in_the_admin(client, superuser, model):
    client.force_login(superuser)
    listing = client.get(f"/admin/portfolio/{model}/")
    assert listing.status_code == 200
    assert "to view</h1>" in listing.content.decode()  # "Select … to view", not "to change"
    adding = client.get(f"/admin/portfolio/{model}/add/")
    assert adding.status_code == 403
    assert "You do not have permission to do this" in adding.content.decode()


@pytest.fixture
def target():
    return FrameworkFactory(code="msk-advanced-practice", name="MSK advanced practice")


def _admin_import(client, framework, data, name="framework.csv", file_format="0"):
    return client.post(
        "/admin/portfolio/competency/import/",
        {
            "framework": framework.pk,
            "format": file_format,
            "resource": "0",
            "import_file": _upload(data, name),
        },
    )


def test_the_admin_import_refuses_formulas_and_writes_nothing(client, superuser, target):
    client.force_login(superuser)
    response = _admin_import(client, target, _csv([_row(), _row(code="C2", title="=1+1")]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "column title: formulas are not allowed" in html
    assert response.context.get("confirm_form") is None
    assert not Domain.objects.exists()
    data = _xlsx([_row(), _row(code="C2", max_evidence="=2")])
    response = _admin_import(client, target, data, "framework.xlsx", file_format="1")
    assert "column max_evidence: formulas are not allowed" in response.content.decode()
    assert not Domain.objects.exists()


@pytest.mark.parametrize("persona", ["faculty_staff", "superuser"])
def test_the_admin_import_previews_then_writes_into_a_draft(client, request, persona, target):
    client.force_login(request.getfixturevalue(persona))
    response = _admin_import(client, target, _csv(GOOD_ROWS))
    confirm = response.context["confirm_form"]
    assert not Competency.objects.exists()
    response = client.post(
        "/admin/portfolio/competency/process_import/",
        {name: confirm.initial[name] for name in confirm.initial},
    )
    assert response.status_code == 302
    assert Competency.objects.filter(framework=target).count() == 3
    assert AuditEvent.objects.filter(action="portfolio.framework_imported").exists()


def test_the_admin_import_cannot_target_a_published_version(client, superuser, target):
    CompetencyFactory(domain=DomainFactory(framework=target, code="D0"), code="OLD")
    publish_framework(framework=target)
    client.force_login(superuser)
    before = _snapshot()
    response = _admin_import(client, target, _csv([_row(code="NEW")]))
    assert "Select a valid choice" in response.content.decode()
    assert _snapshot() == before
    assert Framework.objects.get(pk=target.pk).status == FrameworkStatus.PUBLISHED


def test_the_admin_import_and_export_are_closed_to_other_staff(client, target):

    client.force_login(make_persona(Role.ASSESSOR, mfa=True))
    response = client.get("/admin/portfolio/competency/import/")
    # To the admin's sign-in, which tells a signed-in non-administrator they may not.
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/portfolio/competency/import/"
    refused = client.get(response["Location"])
    assert refused.status_code == 403
    assert "You do not have permission to do this" in refused.content.decode()
    assert _admin_import(client, target, _csv([_row()]))["Location"] == response["Location"]
    assert not Competency.objects.exists()
