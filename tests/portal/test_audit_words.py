"""Staff pages show audit events in words; links to the admin only where they open."""

import re
from pathlib import Path

import pytest

from portal.audit import record
from portal.audit_words import describe_action, describe_changes
from tests.portfolio.factories import FrameworkFactory

pytestmark = pytest.mark.django_db

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def test_known_actions_read_as_sentences():
    assert describe_action("credential.suspended") == "Credential suspended"
    assert describe_action("auth.login_failed") == "Failed to sign in"
    assert describe_action("role_request.approved") == "Role request approved: role given"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("exams.sitting_opened", "Exams: sitting opened"),
        ("accreditation.application.submitted", "Accreditation: application submitted"),
        ("oddity", "Oddity"),
        ("", "Event"),
    ],
)
def test_unknown_actions_fall_back_to_words(code, words):
    assert describe_action(code) == words


def test_old_and_new_state_become_field_value_lines():
    old = {"status": "active", "status_reason": "", "valid_until": "2029-12-31"}
    new = {"status": "suspended", "status_reason": "Under review", "valid_until": "2029-12-31"}
    assert describe_changes(old, new) == [
        "Status: active → suspended",
        "Status reason: none → Under review",
    ]
    assert describe_changes(None, {"type": "totp"}) == ["Method: authenticator app"]
    assert describe_changes({"name": "Team", "entries": 3}, None) == ["Name: Team", "Entries: 3"]
    assert describe_changes("draft", "published") == ["draft → published"]
    assert describe_changes(None, None) == []
    assert describe_changes(
        None, {"competencies": ["C1", "C2"], "consent": True, "when": "2026-03-05T09:30:00+00:00"}
    ) == ["Capabilities: C1, C2", "Consent: yes", "When: 5 March 2026, 09:30"]
    assert describe_changes({"a": 1}, {"a": 1}) == ["No change"]


def test_very_long_values_are_clipped():
    (line,) = describe_changes(None, {"body": "x" * 5000})
    assert len(line) < 400 and line.endswith("…")


def test_the_audit_trail_shows_words_not_codes_or_dicts(client, faculty_staff):
    record(
        "credential.suspended",
        obj=faculty_staff,
        old={"status": "active", "status_reason": ""},
        new={"status": "suspended", "status_reason": "Under review"},
        detail="Suspended while the registration is checked.",
    )
    record("credential.certificate_generated", new={"certificate": "c.pdf", "sha256": SHA})
    record("exams.sitting_opened", new={"sitting": "Spring 2027"})
    client.force_login(faculty_staff)
    html = client.get("/audit/").content.decode()
    body = html[html.index("<tbody") :]
    assert "Credential suspended" in body
    assert "<li>Status: active → suspended</li>" in body
    assert "<li>Status reason: none → Under review</li>" in body
    assert "Suspended while the registration is checked." in body
    assert f"<li>SHA-256 fingerprint: {SHA}</li>" in body
    assert "Exams: sitting opened" in body
    for code in ("credential.suspended", "credential.certificate_generated", "exams."):
        assert code not in body
    assert "{'" not in body and "&#x27;" not in body


def test_the_audit_trail_filters_by_what_happened_in_words(client, faculty_staff):
    record("credential.suspended", obj=faculty_staff)
    record("credential.revoked", obj=faculty_staff)
    client.force_login(faculty_staff)
    page = client.get("/audit/")
    assert '<option value="credential.suspended">Credential suspended</option>' in (
        page.content.decode()
    )
    body = client.get("/audit/", {"action": "credential.revoked"}).content.decode()
    body = body[body.index("<tbody") :]
    assert "Credential revoked" in body
    assert "Credential suspended" not in body
    bad = client.get("/audit/", {"action": "<script>"}).content.decode()
    assert "Choose what happened from the list" in bad


def test_long_values_wrap_in_the_table():
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css").read_text()
    assert re.search(
        r"\.portal-audit-cell, \.portal-audit-details \{ overflow-wrap: anywhere;", css
    )


def _admin_links(html):
    return re.findall(r'<a href="(/admin/[^"]+)"', html[html.index("<tbody") :])


def test_admin_links_only_where_the_viewer_may_open_them(client, faculty_staff, superuser):
    framework = FrameworkFactory()
    record("portfolio.framework_created", obj=framework, actor=faculty_staff)
    record("auth.login", obj=superuser, actor=superuser)

    # The exam administrator may view frameworks in the admin, but not users.
    client.force_login(faculty_staff)
    links = _admin_links(client.get("/audit/").content.decode())
    assert links == [f"/admin/portfolio/framework/{framework.pk}/change/"]
    for link in links:
        assert client.get(link).status_code == 200
    assert client.get(f"/admin/portal/user/{superuser.pk}/change/").status_code == 403

    client.force_login(superuser)
    links = _admin_links(client.get("/audit/").content.decode())
    # The superuser may open every record: sign-ins (force_login records them) link too.
    assert f"/admin/portal/user/{superuser.pk}/change/" in links
    assert f"/admin/portfolio/framework/{framework.pk}/change/" in links
    for link in links:
        assert client.get(link).status_code == 200


def test_a_refusal_says_permission_and_not_too_many_attempts(client, faculty_staff):
    client.force_login(faculty_staff)
    response = client.get("/admin/portal/user/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have permission" in html
    assert "Too many" not in html and "try again" not in html.lower()


@pytest.mark.parametrize("url", ["/dashboard/administration/", "/account/"])
def test_the_superusers_roles_read_as_all_roles(client, superuser, url):
    client.force_login(superuser)
    html = client.get(url).content.decode()
    assert "Superuser (all roles)" in html
    assert "None yet" not in html


def test_other_peoples_roles_are_listed(client, applicant):
    client.force_login(applicant)
    assert '<dd class="nhsuk-summary-list__value">Applicant</dd>' in (
        client.get("/account/").content.decode()
    )
