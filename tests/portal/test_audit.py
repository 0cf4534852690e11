"""The audit trail: who, what, when, which object, old and new state, source IP; append-only."""

import pytest

from portal.audit import record
from portal.models import AuditEvent
from portal.models.audit import AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def test_a_login_is_recorded_with_who_and_where(client, applicant, password):
    client.post(
        "/accounts/login/",
        {"login": applicant.email, "password": password},
        REMOTE_ADDR="203.0.113.9",
    )
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == applicant
    assert event.actor_email == applicant.email
    assert event.ip_address == "203.0.113.9"
    assert event.object_id == str(applicant.pk)
    assert event.created_at is not None


def test_a_failed_login_is_recorded_with_the_email_typed(client, db):
    client.post(
        "/accounts/login/",
        {"login": "nobody@example.org", "password": "wrong-password"},
        REMOTE_ADDR="198.51.100.7",
    )
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert event.actor_email == "nobody@example.org"
    assert event.ip_address == "198.51.100.7"
    # The password typed is never stored anywhere in the event.
    assert "wrong-password" not in str(event.__dict__)


def test_logout_and_sign_up_are_recorded(client, applicant, password):
    client.post("/accounts/login/", {"login": applicant.email, "password": password})
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="auth.logout", actor=applicant).exists()
    client.post(
        "/accounts/signup/",
        {
            "first_name": "Fresh",
            "last_name": "Person",
            "email": "fresh@example.org",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )
    assert AuditEvent.objects.filter(
        action="auth.signed_up", actor_email="fresh@example.org"
    ).exists()


def test_record_keeps_old_and_new_state(applicant):
    event = record(
        "portal.example_change",
        obj=applicant,
        old={"status": "draft"},
        new={"status": "submitted"},
        actor=applicant,
    )
    event.refresh_from_db()
    assert event.old_state == {"status": "draft"}
    assert event.new_state == {"status": "submitted"}
    assert event.object_repr == str(applicant)


def test_events_cannot_be_changed_or_deleted_through_the_app(applicant):
    event = record("portal.example", obj=applicant, actor=applicant)
    event.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "portal.example"


def test_the_admin_is_read_only(client, superuser):
    event = record("portal.example", obj=superuser, actor=superuser)
    client.force_login(superuser)
    listing = client.get("/admin/portal/auditevent/")
    assert listing.status_code == 200
    assert client.get("/admin/portal/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/portal/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(f"/admin/portal/auditevent/{event.pk}/change/", {"action": "tampered"})
    assert response.status_code == 403
    assert "You do not have permission to do this" in response.content.decode()
    assert AuditEvent.objects.get(pk=event.pk).action == "portal.example"


def test_audit_trail_page_is_for_faculty_staffs_only(client, applicant, faculty_staff):
    client.force_login(applicant)
    assert client.get("/audit/").status_code == 404
    client.force_login(faculty_staff)
    assert client.get("/audit/").status_code == 200


def test_audit_trail_page_uses_a_fixed_number_of_queries(
    client, faculty_staff, django_assert_max_num_queries
):
    for n in range(60):
        record(f"portal.example_{n % 3}", obj=faculty_staff, actor=faculty_staff)
    client.force_login(faculty_staff)
    client.get("/audit/")  # warm per-process caches (content types)
    with django_assert_max_num_queries(12):
        response = client.get("/audit/")
    assert response.status_code == 200
    assert "Page 2 of 2" in response.content.decode()


def test_audit_trail_filters_by_action(client, faculty_staff):
    record("portal.wanted", obj=faculty_staff, actor=faculty_staff)
    record("portal.unwanted", obj=faculty_staff, actor=faculty_staff)
    client.force_login(faculty_staff)
    html = client.get("/audit/", {"action": "portal.wanted"}).content.decode()
    rows = html[html.index("<tbody") :]
    assert "Portal: wanted" in rows
    assert "Portal: unwanted" not in rows
