"""Staff credential pages: list, detail with history, suspend/reinstate/revoke, renew."""

import datetime
import re
import uuid

import pytest
from django.core import mail

from credentials.models import Credential, CredentialStatus, WatchList, WatchListEntry
from credentials.services.credentials import (
    reinstate_credential,
    revoke_credential,
    suspend_credential,
)
from portal.models import AuditEvent
from tests.credentials.factories import make_credential
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

LIST = "/manage/credentials/"


@pytest.fixture
def staff_client(client, faculty_staff):
    client.force_login(faculty_staff)
    return client


@pytest.fixture
def credential():
    holder = ClinicianProfileFactory(full_name="Dr Asha Patel", registration_number="1234567").user
    return make_credential(holder, valid_until=datetime.date(2029, 12, 31))


def url(credential, action=""):
    base = f"/manage/credentials/{credential.serial}/"
    return f"{base}{action}/" if action else base


def fresh(credential):
    credential.refresh_from_db()
    return credential


# --- who may see what -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["commissioner", "applicant", "outsider", "assessor"])
def test_only_faculty_staffs_and_superusers_get_in(client, request, persona, credential):
    client.force_login(request.getfixturevalue(persona))
    for page in (LIST, url(credential), url(credential, "suspend"), url(credential, "renew")):
        assert client.get(page).status_code == 404
    assert client.post(url(credential, "suspend"), {"reason": "x"}).status_code == 404
    assert fresh(credential).status == CredentialStatus.ACTIVE


ACTIONS = ("suspend", "reinstate", "revoke", "renew")


def every_page(credential):
    return [LIST, url(credential), *(url(credential, action) for action in ACTIONS)]


def unchanged(credential):
    credential = fresh(credential)
    assert credential.status == CredentialStatus.ACTIVE
    assert credential.status_reason == ""
    assert Credential.objects.count() == 1
    assert (
        not AuditEvent.objects.exclude(action="credential.issued")
        .filter(action__startswith="credential.")
        .exists()
    )


def test_signed_out_visitors_are_sent_to_sign_in(client, credential):
    for page in every_page(credential):
        for response in (
            client.get(page),
            client.post(page, {"reason": "x", "confirm": "on", "valid_from_year": "2030"}),
        ):
            assert response.status_code == 302, page
            assert response["Location"].startswith("/accounts/login/")
    unchanged(credential)


@pytest.mark.parametrize("persona", ["commissioner", "applicant", "outsider", "content_editor"])
def test_every_page_and_action_is_404_to_other_roles(client, request, persona, credential):
    client.force_login(request.getfixturevalue(persona))
    for page in every_page(credential):
        assert client.get(page).status_code == 404, page
        assert client.post(page, {"reason": "x", "confirm": "on"}).status_code == 404, page
    unchanged(credential)
    # The holder is no administrator either.
    client.force_login(credential.holder)
    assert client.get(LIST).status_code == 404
    assert client.post(url(credential, "revoke"), {"reason": "x", "confirm": "on"}).status_code == (
        404
    )
    unchanged(credential)


def test_a_superuser_gets_in(client, superuser, credential):
    client.force_login(superuser)
    assert client.get(LIST).status_code == 200
    assert client.get(url(credential)).status_code == 200


def test_an_unknown_serial_is_404(staff_client):
    assert staff_client.get("/manage/credentials/GPWER-1999-00001/").status_code == 404


def test_the_dashboard_links_to_the_credentials(staff_client):
    assert 'href="/manage/credentials/"' in staff_client.get("/dashboard/faculty-staff/").text


# --- list -------------------------------------------------------------------------------------


def test_search_by_serial_name_or_number_and_filter_by_status(staff_client, superuser):
    asha = make_credential(
        ClinicianProfileFactory(full_name="Dr Asha Patel", registration_number="1234567").user
    )
    sam = make_credential(
        ClinicianProfileFactory(full_name="Sam Jones", registration_number="7654321").user,
        valid_until=datetime.date(2020, 12, 31),
        valid_from=datetime.date(2019, 1, 1),
    )
    lee = make_credential(ClinicianProfileFactory(full_name="Dr Lee Chan").user)
    suspend_credential(credential=lee, reason="Under investigation", actor=superuser)

    def serials(**params):
        text = staff_client.get(LIST, params).text
        return {c.serial for c in (asha, sam, lee) if f">{c.serial}</a>" in text}

    assert serials() == {asha.serial, sam.serial, lee.serial}
    assert serials(q="patel") == {asha.serial}
    assert serials(q=asha.serial.lower()) == {asha.serial}
    assert serials(q="76 54 321") == {sam.serial}
    assert serials(status="suspended") == {lee.serial}
    assert serials(status="expired") == {sam.serial}
    assert serials(status="active") == {asha.serial}
    assert serials(status="active", q="jones") == set()
    response = staff_client.get(LIST, {"status": "nonsense"})
    assert "Choose a status from the list." in response.text


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    staff_client, django_assert_num_queries
):
    for _ in range(3):
        make_credential()
    staff_client.get(LIST)  # warm the caches
    with django_assert_num_queries(3) as captured:
        staff_client.get(LIST)
    small = len(captured)
    for _ in range(60):
        make_credential()
    with django_assert_num_queries(small):
        first = staff_client.get(LIST)
    assert "Page 2 of 2" in first.text
    assert "63 credentials" in first.text
    with django_assert_num_queries(small):
        staff_client.get(LIST, {"page": 2, "q": "GPWER"})


# --- detail -----------------------------------------------------------------------------------


def test_the_detail_page_shows_the_credential_and_its_history(staff_client, credential, superuser):
    suspend_credential(credential=credential, reason="Under investigation", actor=superuser)
    text = staff_client.get(url(credential)).text
    assert credential.serial in text and "Dr Asha Patel" in text and "1234567" in text
    assert "Credential issued" in text and "Credential suspended" in text
    assert "Status: active → suspended" in text  # the change in words, not a dict
    assert superuser.email in text
    assert "Under investigation" in text
    assert "Reinstate this credential" in text and "Revoke this credential" in text
    assert "Suspend this credential" not in text  # not possible from suspended
    assert f"/verify/{credential.token}/" in text


def test_the_detail_page_takes_a_fixed_number_of_queries(
    staff_client, credential, superuser, django_assert_num_queries
):
    staff_client.get(url(credential))  # warm the caches
    with django_assert_num_queries(4) as captured:
        staff_client.get(url(credential))
    for n in range(5):
        suspend_credential(credential=credential, reason=f"Concern {n}", actor=superuser)
        reinstate_credential(credential=credential, reason="Cleared", actor=superuser)
    with django_assert_num_queries(len(captured)):
        text = staff_client.get(url(credential)).text
    assert text.count("Credential reinstated") == 5


# --- suspend, reinstate, revoke ---------------------------------------------------------------


def test_suspend_then_reinstate_with_reasons(staff_client, credential, faculty_staff):
    page = staff_client.get(url(credential, "suspend")).text
    assert "Reason for suspending" in page and "Shown on the public register" in page
    response = staff_client.post(url(credential, "suspend"), {"reason": "Under investigation"})
    assert response["Location"] == url(credential)
    credential = fresh(credential)
    assert credential.status == CredentialStatus.SUSPENDED
    assert credential.status_reason == "Under investigation"
    assert "The credential was suspended." in staff_client.get(url(credential)).text

    staff_client.post(url(credential, "reinstate"), {"reason": "Investigation closed"})
    credential = fresh(credential)
    assert credential.status == CredentialStatus.ACTIVE
    assert credential.status_reason == ""
    event = AuditEvent.objects.get(action="credential.reinstated")
    assert event.actor == faculty_staff
    assert event.detail == "Investigation closed"  # kept in the audit trail, not public


def test_a_missing_reason_is_an_error_and_changes_nothing(staff_client, credential):
    for action in ("suspend", "revoke"):
        response = staff_client.post(url(credential, action), {"reason": "   ", "confirm": "on"})
        assert response.status_code == 200
        assert "There is a problem" in response.text
        assert "Enter the reason for " in response.text
    assert fresh(credential).status == CredentialStatus.ACTIVE
    assert not AuditEvent.objects.filter(action="credential.suspended").exists()


def test_revoking_asks_for_confirmation(staff_client, credential):
    response = staff_client.post(url(credential, "revoke"), {"reason": "Registration lapsed"})
    assert "Confirm that you understand." in response.text
    assert fresh(credential).status == CredentialStatus.ACTIVE
    staff_client.post(url(credential, "revoke"), {"reason": "Registration lapsed", "confirm": "on"})
    credential = fresh(credential)
    assert credential.status == CredentialStatus.REVOKED
    assert credential.status_reason == "Registration lapsed"


def test_an_illegal_move_shows_the_services_message_and_changes_nothing(
    staff_client, credential, superuser
):
    response = staff_client.post(url(credential, "reinstate"), {"reason": "No reason"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert f"{credential.serial} is active, so it cannot be reinstated." in response.text
    revoke_credential(credential=credential, reason="Lapsed", actor=superuser)
    response = staff_client.post(url(credential, "suspend"), {"reason": "Again"})
    assert f"{credential.serial} has been revoked, so it cannot be suspended." in response.text
    credential = fresh(credential)
    assert credential.status == CredentialStatus.REVOKED
    assert credential.status_reason == "Lapsed"


def test_a_suspension_from_the_page_alerts_watchers(
    staff_client, credential, commissioner, django_capture_on_commit_callbacks
):
    watch_list = WatchList.objects.create(owner=commissioner, name="Greater Manchester")
    WatchListEntry.objects.create(watch_list=watch_list, registration_number="1234567")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url(credential, "suspend"), {"reason": "Under investigation"})
    [email] = [m for m in mail.outbox if m.to == [commissioner.email]]
    assert "Reason given: Under investigation" in email.body
    # The holder is told too (tests/credentials/test_holder_emails.py).
    assert [m.to for m in mail.outbox if m is not email] == [[credential.holder.email]]


# --- renewal ----------------------------------------------------------------------------------


def renewal_form(staff_client, credential):
    text = staff_client.get(url(credential, "renew")).text
    key = re.search(r'name="request_key" value="([0-9a-f]{32})"', text).group(1)
    return {
        "request_key": key,
        "valid_from_day": "1",
        "valid_from_month": "1",
        "valid_from_year": "2030",
        "valid_until_day": "31",
        "valid_until_month": "12",
        "valid_until_year": "2032",
    }


def test_a_double_submitted_renewal_gives_one_new_credential(staff_client, credential):
    data = renewal_form(staff_client, credential)
    first = staff_client.post(url(credential, "renew"), data)
    second = staff_client.post(url(credential, "renew"), data)
    renewal = Credential.objects.get(supersedes=credential)
    assert first["Location"] == second["Location"] == url(renewal)
    assert Credential.objects.count() == 2
    assert renewal.source_type == "manage.renewal"
    assert renewal.valid_from == datetime.date(2030, 1, 1)
    assert renewal.valid_until == datetime.date(2032, 12, 31)
    # The renewal starts in 2030: until then the old credential stays valid.
    assert fresh(credential).status == CredentialStatus.ACTIVE
    text = staff_client.get(url(renewal)).text
    assert f"was renewed as {renewal.serial}" in text
    assert credential.serial in text  # "Renews" links back
    # The page no longer offers a renewal; a new request (a new key) is refused by the service.
    assert "Renew this credential</a>" not in staff_client.get(url(credential)).text
    assert "so it cannot be renewed again" in staff_client.get(url(credential, "renew")).text
    again = {**data, "request_key": uuid.uuid4().hex}
    response = staff_client.post(url(credential, "renew"), again)
    assert f"{credential.serial} has been renewed already, as {renewal.serial}." in response.text
    assert Credential.objects.count() == 2


def test_the_renewal_form_suggests_the_next_period(staff_client, credential):
    text = staff_client.get(url(credential, "renew")).text
    assert 'name="valid_from_year" value="2030"' in text
    assert 'name="valid_until_year" value="2033"' in text


def test_bad_renewal_dates_are_refused(staff_client, credential):
    data = renewal_form(staff_client, credential)
    data.update(valid_until_year="2029")
    response = staff_client.post(url(credential, "renew"), data)
    assert "The end date must be the same as or after the start." in response.text
    data = renewal_form(staff_client, credential)
    data.update(valid_from_day="", valid_from_month="", valid_from_year="")
    response = staff_client.post(url(credential, "renew"), data)
    assert "Enter the date the renewal starts." in response.text
    data = renewal_form(staff_client, credential)
    data["request_key"] = "not-a-key"
    response = staff_client.post(url(credential, "renew"), data)
    assert "This form is out of date." in response.text
    assert "There is a problem" in response.text
    assert Credential.objects.count() == 1
    assert fresh(credential).status == CredentialStatus.ACTIVE


def test_a_revoked_credential_cannot_be_renewed(staff_client, credential, superuser):
    revoke_credential(credential=credential, reason="Lapsed", actor=superuser)
    assert "cannot be renewed" in staff_client.get(url(credential, "renew")).text
    assert "Renew this credential</a>" not in staff_client.get(url(credential)).text


def test_a_suspended_credential_is_reinstated_before_it_is_renewed(
    staff_client, credential, superuser
):
    data = renewal_form(staff_client, credential)  # the form, as opened before suspending
    suspend_credential(credential=credential, reason="Under investigation", actor=superuser)
    page = staff_client.get(url(credential)).text
    assert "Renew this credential</a>" not in page
    assert "Reinstate this credential" in page
    assert "cannot be renewed" in staff_client.get(url(credential, "renew")).text
    response = staff_client.post(url(credential, "renew"), data)
    assert (
        f"{credential.serial} is suspended, so it cannot be renewed. Reinstate it first, giving "
        "a reason." in response.text
    )
    assert Credential.objects.count() == 1
    after = fresh(credential)
    assert after.status == CredentialStatus.SUSPENDED
    assert after.status_reason == "Under investigation"  # never overwritten


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("99999999999999999999", "The year must be 4 numbers"),
        ("9999", "The date must be on or before 31 December 2100."),
        ("0001", "The date must be on or after 1 January 1900."),
        ("２０３２", "The year must be 4 numbers"),
    ],
)
def test_absurd_renewal_dates_are_form_errors(staff_client, credential, year, message):
    data = renewal_form(staff_client, credential)
    data.update(valid_until_year=year)
    response = staff_client.post(url(credential, "renew"), data)
    assert response.status_code == 200
    assert message in response.text
    assert Credential.objects.count() == 1


@pytest.mark.parametrize("day", ["99999999999999999999", "٣", "3.0"])
def test_absurd_days_are_form_errors(staff_client, credential, day):
    data = renewal_form(staff_client, credential)
    data.update(valid_until_day=day)
    response = staff_client.post(url(credential, "renew"), data)
    assert response.status_code == 200
    assert "The date must be a real date" in response.text
    assert Credential.objects.count() == 1
