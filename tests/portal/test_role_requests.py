"""How a commissioner or employer gets their role: ask, confirm the work email, staff decide."""

import datetime
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from portal import role_requests as service
from portal.models import AuditEvent, RoleGrant, RoleRequest, RoleRequestStatus
from portal.organisations import commissioner_grant, commissioner_region
from portal.regions import Region
from portal.roles import Role, has_role
from tests.factories import make_persona

pytestmark = pytest.mark.django_db

SERVICE = "MSK accreditation and examinations"
URL = "/account/role-request/"


def _icb(**overrides):
    data = {
        "full_name": "Priya Desai",
        "organisation_type": "icb",
        "region": Region.GREATER_MANCHESTER,
        "organisation_name": "",
        "job_title": "MSK commissioning manager",
        "work_email": "",
    }
    return {**data, **overrides}


def _employer(**overrides):
    employer = {
        "organisation_type": "employer",
        "region": "",
        "organisation_name": "Salford Royal NHS Foundation Trust",
        "job_title": "Clinical lead",
    }
    return _icb(**{**employer, **overrides})


def _ask(client, user, data, capture=None):
    client.force_login(user)
    data = {**data, "work_email": data["work_email"] or user.email}
    if capture is None:
        return client.post(URL, data)
    with capture(execute=True):
        return client.post(URL, data)


def _summary(html):
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)


# Asking ----------------------------------------------------------------------------------


def test_the_form_names_each_missing_answer(client, applicant):
    client.force_login(applicant)
    page = client.get(URL).content.decode()
    assert 'name="region"' in page and "NHS Greater Manchester ICB" in page
    response = client.post(URL, {"full_name": "", "work_email": ""})
    assert _summary(response.content.decode()) == [
        ("id_full_name", "Enter your full name"),
        ("id_organisation_type_0", "Choose who you work for"),
        ("id_job_title", "Enter your job title"),
        ("id_work_email", "Enter your work email address"),
    ]
    assert not RoleRequest.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_icb(region=""), [("id_region", "Choose your integrated care board")]),
        (
            _icb(region="atlantis"),
            [("id_region", "Choose your integrated care board from the list")],
        ),
        (_icb(region=Region.OUTSIDE_UK), None),
        (
            _employer(organisation_name=""),
            [("id_organisation_name", "Enter the name of your employer")],
        ),
        (
            _employer(organisation_name="Trust\u200b"),
            [("id_organisation_name", "Name of your employer must only include visible text")],
        ),
        (_icb(organisation_type="ministry"), None),
    ],
)
def test_the_organisation_is_an_icb_from_the_list_or_a_named_employer(
    client, applicant, data, expected
):
    response = _ask(client, applicant, data)
    assert response.status_code == 200
    summary = _summary(response.content.decode())
    if expected is not None:
        assert summary == expected
    else:
        assert summary  # refused, whatever the words
    assert not RoleRequest.objects.exists()


def test_asking_with_the_verified_sign_in_address_goes_straight_to_staff(
    client, applicant, django_capture_on_commit_callbacks
):
    response = _ask(client, applicant, _icb(), django_capture_on_commit_callbacks)
    assert response["Location"] == URL
    role_request = RoleRequest.objects.get()
    assert role_request.status == RoleRequestStatus.OPEN
    assert role_request.work_email_confirmed_at is not None
    assert role_request.organisation == "NHS Greater Manchester ICB"
    assert mail.outbox == []  # nothing to confirm
    event = AuditEvent.objects.get(action="role_request.submitted")
    assert event.actor == applicant and event.new_state["status"] == "open"
    html = client.get(URL).content.decode()
    assert "Waiting for a decision" in html
    assert "Withdraw this request" in html
    assert 'name="job_title"' not in html  # one open request at a time: no form


def test_extra_posted_fields_are_ignored(client, applicant):
    _ask(client, applicant, {**_icb(), "status": "approved", "role": "faculty_staff"})
    role_request = RoleRequest.objects.get()
    assert role_request.role == Role.COMMISSIONER
    assert role_request.status == RoleRequestStatus.OPEN
    assert not has_role(applicant, Role.COMMISSIONER)


def test_a_second_open_request_is_refused(client, applicant):
    _ask(client, applicant, _icb())
    with pytest.raises(service.RoleRequestError, match="already have a request waiting"):
        service.submit_role_request(requester=applicant, **{**_icb(), "work_email": "a@b.org"})
    assert RoleRequest.objects.count() == 1
    # The database backs the rule, whatever code writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleRequest.objects.create(
            requester=applicant,
            full_name="X",
            organisation_type="employer",
            organisation_name="Y",
            job_title="Z",
            work_email="x@example.org",
        )


def test_requests_are_limited_per_person_per_day(client, applicant):
    for _ in range(service.MAX_REQUESTS_PER_DAY):
        _ask(client, applicant, _icb())
        waiting = RoleRequest.objects.get(status=RoleRequestStatus.OPEN)
        client.post(f"/account/role-request/{waiting.pk}/withdraw/")
    response = _ask(client, applicant, _icb())
    assert "times in the last 24 hours. Try again tomorrow." in response.content.decode()
    assert RoleRequest.objects.count() == service.MAX_REQUESTS_PER_DAY
    # A day later, asking works again.
    RoleRequest.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    _ask(client, applicant, _icb())
    assert RoleRequest.objects.filter(status=RoleRequestStatus.OPEN).count() == 1


def test_withdrawing_is_for_the_requester_only(client, applicant, outsider):
    _ask(client, applicant, _icb())
    role_request = RoleRequest.objects.get()
    client.force_login(outsider)
    assert client.post(f"/account/role-request/{role_request.pk}/withdraw/").status_code == 404
    # Withdrawing is a form's POST: a GET is refused for anyone, before looking for the request.
    response = client.get(f"/account/role-request/{role_request.pk}/withdraw/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    client.force_login(applicant)
    client.post(f"/account/role-request/{role_request.pk}/withdraw/")
    role_request.refresh_from_db()
    assert role_request.status == RoleRequestStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action="role_request.withdrawn").count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    for url in [URL, "/manage/role-requests/", "/account/role-request/confirm/abc/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


# Confirming another work address ---------------------------------------------------------


def _link(message) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/account/role-request/confirm/\S+/)", message.body)[
        1
    ]


def test_another_work_address_is_confirmed_by_a_link(
    client, applicant, outsider, faculty_staff, django_capture_on_commit_callbacks
):
    _ask(
        client,
        applicant,
        _icb(work_email="Priya.Desai@NHS.example"),
        django_capture_on_commit_callbacks,
    )
    role_request = RoleRequest.objects.get()
    assert role_request.status == RoleRequestStatus.AWAITING_EMAIL
    assert role_request.work_email == "priya.desai@nhs.example"
    (message,) = mail.outbox
    assert message.to == ["priya.desai@nhs.example"]
    assert message.subject == f"{SERVICE}: Confirm your work email address"
    link = _link(message)

    # Staff do not see it until it is confirmed.
    client.force_login(faculty_staff)
    listing = client.get("/manage/role-requests/").content.decode()
    assert "Priya Desai" not in listing
    assert "1 more request will appear here" in listing

    # Someone else, even signed in, cannot use the link; a changed token is refused.
    client.force_login(outsider)
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    client.force_login(applicant)
    assert client.get(link[:-3] + "xx/").status_code == 404

    page = client.get(link)
    assert page.status_code == 200
    # same-origin, not no-referrer: with no-referrer Chromium posts the form with
    # "Origin: null" and Django refuses it (403 CSRF).
    assert page["Referrer-Policy"] == "same-origin"
    assert "Confirm work email address" in page.content.decode()
    role_request.refresh_from_db()
    assert role_request.status == RoleRequestStatus.AWAITING_EMAIL  # nothing changes on GET

    assert client.post(link)["Location"] == URL
    role_request.refresh_from_db()
    assert role_request.status == RoleRequestStatus.OPEN
    assert AuditEvent.objects.filter(action="role_request.email_confirmed").count() == 1
    # Used once: opening it again changes nothing and says so.
    assert "not waiting for its email address" in client.get(link).content.decode()
    client.post(link)
    assert AuditEvent.objects.filter(action="role_request.email_confirmed").count() == 1

    client.force_login(faculty_staff)
    assert "Priya Desai" in client.get("/manage/role-requests/").content.decode()


def test_an_expired_link_does_not_confirm(
    client, applicant, monkeypatch, django_capture_on_commit_callbacks
):
    _ask(client, applicant, _icb(work_email="p@nhs.example"), django_capture_on_commit_callbacks)
    monkeypatch.setattr(service, "EMAIL_LINK_MAX_AGE", datetime.timedelta(seconds=-1))
    response = client.post(_link(mail.outbox[0]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert RoleRequest.objects.get().status == RoleRequestStatus.AWAITING_EMAIL


# Deciding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["applicant", "commissioner", "content_editor", "assessor", "outsider"]
)
def test_staff_pages_are_not_found_for_anyone_else(client, request, persona, applicant):
    _ask(client, applicant, _icb())
    role_request = RoleRequest.objects.get()
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/manage/role-requests/").status_code == 404
    url = f"/manage/role-requests/{role_request.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert RoleRequest.objects.get().status == RoleRequestStatus.OPEN


def test_approving_gives_the_role_and_records_the_icb(
    client, applicant, faculty_staff, django_capture_on_commit_callbacks
):
    _ask(client, applicant, _icb())
    role_request = RoleRequest.objects.get()
    client.force_login(faculty_staff)
    dashboard = client.get("/dashboard/faculty-staff/").content.decode()
    assert "1 waiting" in dashboard
    page = client.get(f"/manage/role-requests/{role_request.pk}/").content.decode()
    assert "NHS Greater Manchester ICB" in page and "Asked for a role" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/manage/role-requests/{role_request.pk}/", {"decision": "approve", "reason": ""}
        )
    assert response["Location"] == "/manage/role-requests/"
    role_request.refresh_from_db()
    assert role_request.status == RoleRequestStatus.APPROVED
    assert role_request.decided_by == faculty_staff
    applicant.__dict__.pop("_portal_roles", None)
    assert has_role(applicant, Role.COMMISSIONER)
    assert commissioner_region(applicant) == "greater_manchester"
    grant = RoleGrant.objects.get(user=applicant)
    assert (grant.job_title, grant.request) == ("MSK commissioning manager", role_request)
    (message,) = mail.outbox
    assert message.to == [applicant.email]
    assert message.subject == f"{SERVICE}: You now have the commissioner role"
    assert "NHS Greater Manchester ICB" in message.body
    event = AuditEvent.objects.get(action="role_request.approved")
    assert event.actor == faculty_staff
    assert event.new_state["organisation"] == "NHS Greater Manchester ICB"
    # The audit trail says it in words.
    html = client.get("/audit/").content.decode()
    assert "Role request approved: role given" in html
    # The new commissioner sees their organisation and lands on their dashboard.
    client.force_login(applicant)
    assert "NHS Greater Manchester ICB (MSK commissioning manager)" in (
        client.get("/account/").content.decode()
    )
    assert client.get("/dashboard/")["Location"] == "/dashboard/commissioner/"


def test_an_employers_commissioner_has_no_region(client, applicant, superuser):
    _ask(client, applicant, _employer())
    role_request = RoleRequest.objects.get()
    client.force_login(superuser)  # superusers decide too
    client.post(f"/manage/role-requests/{role_request.pk}/", {"decision": "approve"})
    applicant.__dict__.pop("_portal_roles", None)
    assert has_role(applicant, Role.COMMISSIONER)
    assert commissioner_grant(applicant).organisation == "Salford Royal NHS Foundation Trust"
    assert commissioner_region(applicant) is None


def test_a_later_approval_replaces_the_organisation(client, applicant, faculty_staff):
    for data in (_icb(), _icb(region=Region.WEST_YORKSHIRE)):
        _ask(client, applicant, data)
        role_request = RoleRequest.objects.get(status=RoleRequestStatus.OPEN)
        service.approve_role_request(role_request=role_request, actor=faculty_staff)
    assert RoleGrant.objects.filter(user=applicant).count() == 1
    applicant.__dict__.pop("_portal_roles", None)
    assert commissioner_region(applicant) == "west_yorkshire"


def test_declining_needs_a_reason_which_the_requester_is_sent(
    client, applicant, faculty_staff, django_capture_on_commit_callbacks
):
    _ask(client, applicant, _icb())
    role_request = RoleRequest.objects.get()
    url = f"/manage/role-requests/{role_request.pk}/"
    client.force_login(faculty_staff)
    response = client.post(url, {"decision": "decline", "reason": "  "})
    assert _summary(response.content.decode()) == [("id_reason", "Enter the reason for declining")]
    response = client.post(url, {})
    assert _summary(response.content.decode()) == [
        ("id_decision_0", "Choose whether to approve or decline the request")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "decline", "reason": "We could not find you at the ICB."})
    role_request.refresh_from_db()
    assert role_request.status == RoleRequestStatus.DECLINED
    assert not has_role(applicant, Role.COMMISSIONER)
    assert not RoleGrant.objects.exists()
    (message,) = mail.outbox
    assert message.subject == f"{SERVICE}: Your request for the commissioner role"
    assert "We could not find you at the ICB." in message.body
    event = AuditEvent.objects.get(action="role_request.declined")
    assert event.detail == "We could not find you at the ICB."
    # Decided once: a second decision changes nothing.
    client.post(url, {"decision": "approve"})
    role_request.refresh_from_db()
    assert role_request.status == RoleRequestStatus.DECLINED
    # The requester sees why, and may ask again.
    client.force_login(applicant)
    html = client.get(URL).content.decode()
    assert "We could not find you at the ICB." in html
    assert 'name="job_title"' in html


def test_nobody_decides_their_own_request(client, faculty_staff):
    _ask(client, faculty_staff, _employer())
    role_request = RoleRequest.objects.get()
    page = client.get(f"/manage/role-requests/{role_request.pk}/").content.decode()
    assert "another administrator must decide it" in page
    client.post(f"/manage/role-requests/{role_request.pk}/", {"decision": "approve"})
    assert RoleRequest.objects.get().status == RoleRequestStatus.OPEN
    with pytest.raises(service.RoleRequestError, match="your own request"):
        service.approve_role_request(role_request=role_request, actor=faculty_staff)


def test_commissioner_region_for_people_without_a_grant(commissioner, superuser, applicant):
    assert commissioner_region(commissioner) is None  # a commissioner from before requests
    assert commissioner_region(superuser) is None
    assert commissioner_region(applicant) is None
    assert commissioner_region(None) is None


def test_the_staff_list_uses_a_fixed_number_of_queries(
    client, faculty_staff, django_assert_max_num_queries
):
    client.force_login(faculty_staff)
    for size in (2, 12):
        while RoleRequest.objects.count() < size:
            requester = make_persona(Role.APPLICANT)
            service.submit_role_request(
                requester=requester, **{**_icb(), "work_email": requester.email}
            )
        decided = RoleRequest.objects.filter(status=RoleRequestStatus.OPEN).first()
        service.decline_role_request(role_request=decided, actor=faculty_staff, reason="No")
        with django_assert_max_num_queries(10):
            response = client.get("/manage/role-requests/")
        assert response.status_code == 200


def test_a_new_users_dashboard_offers_the_role_request_then_says_where_it_stands(
    client, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    page = client.get("/dashboard/applicant/").content.decode()
    assert "Ask for a commissioner or employer role" in page
    assert 'href="/account/role-request/"' in page
    _ask(client, applicant, _icb(), django_capture_on_commit_callbacks)
    page = client.get("/dashboard/applicant/").content.decode()
    assert "Your request for a commissioner or employer role" in page
    assert "Waiting for a decision" in page


def test_a_commissioners_dashboard_does_not_offer_it(client, commissioner):
    client.force_login(commissioner)
    page = client.get("/dashboard/commissioner/").content.decode()
    assert "Ask for a commissioner or employer role" not in page
