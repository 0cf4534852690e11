"""Watch lists: pages, validation, and alerts when a watched clinician's credential changes."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from credentials.events import CredentialEvent
from credentials.models import (
    Credential,
    WatchList,
    WatchListEntry,
    WatchNotification,
)
from credentials.services import watchlists as services
from credentials.services.credentials import (
    reinstate_credential,
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from portal.models import AuditEvent
from portal.roles import Role
from portfolio.registration import NOT_A_NUMBER
from tests.credentials.factories import make_credential
from tests.factories import make_persona
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

INDEX = "/watchlists/"
ALERTS = "/watchlists/alerts/"


@pytest.fixture
def commissioner_client(client, commissioner):
    client.force_login(commissioner)
    return client


@pytest.fixture
def watch_list(commissioner):
    return WatchList.objects.create(owner=commissioner, name="Greater Manchester MSK service")


def detail_url(watch_list):
    return reverse("credentials:watchlist_detail", args=[watch_list.pk])


def paste_url(watch_list):
    return reverse("credentials:watchlist_paste", args=[watch_list.pk])


def numbers_on(watch_list):
    return sorted(watch_list.entries.values_list("registration_number", flat=True))


def clinician(number, name="Dr Asha Patel"):
    return ClinicianProfileFactory(registration_number=number, full_name=name).user


def watch(watch_list, *numbers):
    WatchListEntry.objects.bulk_create(
        WatchListEntry(watch_list=watch_list, registration_number=n) for n in numbers
    )


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


# --- who may see what -------------------------------------------------------------------------


def every_page(watch_list):
    entry = watch_list.entries.get()
    return [
        INDEX,
        ALERTS,
        "/watchlists/alerts/read/",
        "/watchlists/new/",
        detail_url(watch_list),
        paste_url(watch_list),
        reverse("credentials:watchlist_rename", args=[watch_list.pk]),
        reverse("credentials:watchlist_delete", args=[watch_list.pk]),
        reverse("credentials:watchlist_remove_entry", args=[watch_list.pk, entry.pk]),
    ]


HOSTILE_POST = {"name": "Taken over", "numbers": "7654321", "registration_number": "7654321"}


def assert_untouched(watch_list, alert):
    watch_list.refresh_from_db()
    assert watch_list.name == "Greater Manchester MSK service"
    assert numbers_on(watch_list) == ["1234567"]
    assert WatchList.objects.count() == 1
    alert.refresh_from_db()
    assert alert.read_at is None
    assert not AuditEvent.objects.filter(action__startswith="watchlist.").exists()


@pytest.fixture
def watched(watch_list):
    watch(watch_list, "1234567")
    alert = notify(make_credential(clinician("1234567")), CredentialEvent.ISSUED)[0]
    return watch_list, alert


def test_signed_out_visitors_are_sent_to_sign_in(client, watched):
    watch_list, alert = watched
    for url in every_page(watch_list):
        for response in (client.get(url), client.post(url, HOSTILE_POST)):
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/")
    assert_untouched(watch_list, alert)


@pytest.mark.parametrize("persona", ["applicant", "outsider", "faculty_staff", "assessor"])
def test_every_page_and_action_is_404_to_other_roles(client, request, persona, watched):
    watch_list, alert = watched
    client.force_login(request.getfixturevalue(persona))
    for url in every_page(watch_list):
        assert client.get(url).status_code == 404, url
        assert client.post(url, HOSTILE_POST).status_code == 404, url
    assert_untouched(watch_list, alert)


@pytest.mark.parametrize("persona", ["applicant", "outsider", "faculty_staff"])
def test_other_roles_get_404(client, request, persona, watch_list):
    client.force_login(request.getfixturevalue(persona))
    for url in (INDEX, ALERTS, "/watchlists/new/", detail_url(watch_list)):
        assert client.get(url).status_code == 404
    assert client.post(detail_url(watch_list), {"registration_number": "1234567"}).status_code == (
        404
    )
    assert not watch_list.entries.exists()


def test_another_commissioners_list_is_404_and_unchanged(client, watch_list):
    other = make_persona(Role.COMMISSIONER, email="other-icb@example.org")
    client.force_login(other)
    watch(watch_list, "1234567")
    entry = watch_list.entries.get()
    urls = [
        detail_url(watch_list),
        paste_url(watch_list),
        reverse("credentials:watchlist_rename", args=[watch_list.pk]),
        reverse("credentials:watchlist_delete", args=[watch_list.pk]),
        reverse("credentials:watchlist_remove_entry", args=[watch_list.pk, entry.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Mine", "numbers": "7654321"}).status_code == 404
    watch_list.refresh_from_db()
    assert watch_list.name == "Greater Manchester MSK service"
    assert numbers_on(watch_list) == ["1234567"]
    assert "Greater Manchester" not in client.get(INDEX).text


def test_another_commissioners_alerts_are_neither_shown_nor_marked_read(client, watched):
    watch_list, alert = watched
    other = make_persona(Role.COMMISSIONER, email="other-icb@example.org")
    client.force_login(other)
    page = client.get(ALERTS).text
    assert "You have no alerts yet." in page
    assert alert.credential.serial not in page and "Greater Manchester" not in page
    assert "new alert" not in client.get("/dashboard/commissioner/").text
    client.post("/watchlists/alerts/read/")
    assert_untouched(watch_list, alert)


def test_the_dashboard_links_to_watch_lists(commissioner_client):
    text = commissioner_client.get("/dashboard/commissioner/").text
    assert 'href="/watchlists/"' in text and 'href="/watchlists/alerts/"' in text


# --- lists ------------------------------------------------------------------------------------


def test_a_commissioner_creates_renames_and_deletes_a_list(commissioner_client, commissioner):
    response = commissioner_client.post("/watchlists/new/", {"name": "  North  Cumbria  "})
    watch_list = WatchList.objects.get(owner=commissioner)
    assert response["Location"] == detail_url(watch_list)
    assert watch_list.name == "North Cumbria"

    rename = reverse("credentials:watchlist_rename", args=[watch_list.pk])
    commissioner_client.post(rename, {"name": "North Cumbria MSK"})
    watch_list.refresh_from_db()
    assert watch_list.name == "North Cumbria MSK"
    assert "North Cumbria MSK" in commissioner_client.get(INDEX).text

    delete = reverse("credentials:watchlist_delete", args=[watch_list.pk])
    assert "Delete this list" in commissioner_client.get(delete).text
    commissioner_client.post(delete)
    assert not WatchList.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"watchlist.created", "watchlist.renamed", "watchlist.deleted"} <= actions


def test_list_names_are_required_and_unique_per_commissioner(commissioner_client, watch_list):
    response = commissioner_client.post("/watchlists/new/", {"name": "   "})
    assert "Enter a name for the list." in response.text
    assert "nhsuk-error-summary" in response.text
    response = commissioner_client.post(
        "/watchlists/new/", {"name": "greater manchester msk SERVICE"}
    )
    assert "You already have a watch list with this name." in response.text
    assert WatchList.objects.count() == 1
    # Another commissioner may use the same name.
    other = make_persona(Role.COMMISSIONER, email="other-icb@example.org")
    services.create_watch_list(owner=other, name="Greater Manchester MSK service")
    assert WatchList.objects.count() == 2


# --- adding numbers ---------------------------------------------------------------------------


def test_one_number_is_added_normalised(commissioner_client, watch_list):
    response = commissioner_client.post(
        detail_url(watch_list), {"registration_number": " ph 123 456 "}
    )
    assert response.status_code == 302
    assert numbers_on(watch_list) == ["PH123456"]
    assert "PH123456" in commissioner_client.get(detail_url(watch_list)).text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a registration number."),
        ("12-34", "“12-34” is not a GMC, HCPC, NMC, GOsC, BASRaT or STO registration number."),
        ("123", "“123” is not a GMC, HCPC, NMC, GOsC, BASRaT or STO registration number."),
    ],
)
def test_a_bad_number_is_refused(commissioner_client, watch_list, typed, message):
    response = commissioner_client.post(detail_url(watch_list), {"registration_number": typed})
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem" in response.text
    assert not watch_list.entries.exists()


def test_a_number_already_on_the_list_is_refused(commissioner_client, watch_list):
    watch(watch_list, "1234567")
    response = commissioner_client.post(detail_url(watch_list), {"registration_number": "1234567"})
    assert "1234567 is already on this list." in response.text
    assert "Row " not in response.text
    assert numbers_on(watch_list) == ["1234567"]


def test_the_database_refuses_a_duplicate_entry(watch_list):
    watch(watch_list, "1234567")
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchListEntry.objects.create(watch_list=watch_list, registration_number="1234567")


def test_many_numbers_are_pasted_one_a_line(commissioner_client, watch_list):
    pasted = "1234567\r\n\r\n  ph123456 \r\n12A3456B\n12345\n"
    response = commissioner_client.post(paste_url(watch_list), {"numbers": pasted})
    assert response.status_code == 302
    assert numbers_on(watch_list) == ["12345", "1234567", "12A3456B", "PH123456"]
    follow = commissioner_client.get(response["Location"])
    assert "4 registration numbers" in follow.text
    event = AuditEvent.objects.get(action="watchlist.entries_added")
    assert event.new_state == {"added": 4, "entries": 4}


def test_a_paste_with_bad_rows_adds_nothing_and_names_each_row(commissioner_client, watch_list):
    watch(watch_list, "7654321")
    pasted = "1234567\nnot-a-number\n\n7654321\n1234567\nPH123456"
    response = commissioner_client.post(paste_url(watch_list), {"numbers": pasted})
    assert response.status_code == 200
    text = response.text
    assert f"Row 2: “not-a-number” {NOT_A_NUMBER}." in text
    assert "Row 5: 1234567 is also on row 1." in text
    assert numbers_on(watch_list) == ["7654321"]
    # Once the paste itself is clean, numbers already on the list are named by row.
    response = commissioner_client.post(paste_url(watch_list), {"numbers": "1234567\n7654321"})
    assert "Row 2: 7654321 is already on this list." in response.text
    assert numbers_on(watch_list) == ["7654321"]
    response = commissioner_client.post(paste_url(watch_list), {"numbers": " \n "})
    assert "Paste at least one registration number." in response.text


def test_a_long_list_of_errors_is_shortened(watch_list, commissioner):
    with pytest.raises(services.WatchListError) as caught:
        services.add_entries(watch_list=watch_list, lines=["bad!"] * 40, actor=commissioner)
    assert len(caught.value.messages) == services.MAX_ERRORS_SHOWN + 1
    assert caught.value.messages[-1] == "And 15 more rows."


def test_a_list_holds_at_most_the_cap(commissioner_client, watch_list, monkeypatch):
    monkeypatch.setattr(WatchList, "MAX_ENTRIES", 3)
    watch(watch_list, "1111111")
    response = commissioner_client.post(
        paste_url(watch_list), {"numbers": "2222222\n3333333\n4444444"}
    )
    assert "at most 3 registration numbers" in response.text
    assert "you can add 2 more" in response.text
    assert numbers_on(watch_list) == ["1111111"]
    commissioner_client.post(paste_url(watch_list), {"numbers": "2222222\n3333333"})
    assert len(numbers_on(watch_list)) == 3


def test_a_number_is_removed_after_confirming(commissioner_client, watch_list):
    watch(watch_list, "1234567", "7654321")
    entry = watch_list.entries.get(registration_number="1234567")
    url = reverse("credentials:watchlist_remove_entry", args=[watch_list.pk, entry.pk])
    assert "Remove 1234567 from the list" in commissioner_client.get(url).text
    assert numbers_on(watch_list) == ["1234567", "7654321"]
    commissioner_client.post(url)
    assert numbers_on(watch_list) == ["7654321"]


# --- current status on the list ---------------------------------------------------------------


def test_each_number_shows_its_current_credentials(commissioner_client, watch_list, superuser):
    active = make_credential(clinician("1234567", "Dr Asha Patel"))
    suspended = make_credential(clinician("PH123456", "Sam Jones"), kind="msk_advanced_practice")
    suspend_credential(credential=suspended, reason="Under investigation", actor=superuser)
    renewed = make_credential(clinician("7654321", "Dr Lee Chan"))
    renew_credential(
        credential=renewed,
        source_type="tests.renewal",
        source_id="1",
        valid_from=timezone.localdate(),  # starts today: superseded at once
        valid_until=datetime.date(2032, 12, 31),
    )
    watch(watch_list, "1234567", "PH123456", "7654321", "12345")
    text = commissioner_client.get(detail_url(watch_list)).text
    assert f"Dr Asha Patel: GP with Extended Role (GPwER) in MSK ({active.serial})" in text
    assert "Valid" in text and "Suspended" in text and "Under investigation" in text
    # The renewal is shown; the credential it superseded is not.
    assert text.count("Dr Lee Chan: GP with Extended Role (GPwER) in MSK (") == 1
    assert renewed.serial not in text
    assert "No public credential" in text


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (the site menu, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_page_takes_a_fixed_number_of_queries(
    commissioner_client, watch_list, django_assert_num_queries
):
    for n in range(3):
        make_credential(clinician(f"{1000000 + n}"))
    watch(watch_list, *(f"{1000000 + n}" for n in range(3)))
    url = detail_url(watch_list)
    small = count_queries(commissioner_client, url)
    for n in range(3, 40):
        make_credential(clinician(f"{1000000 + n}"))
    watch(watch_list, *(f"{1000000 + n}" for n in range(3, 120)))
    with django_assert_num_queries(small):
        response = commissioner_client.get(url)
    assert "Page 2 of 2" in response.text  # the link to the next page
    assert response.text.count("nhsuk-tag--green") == 40
    with django_assert_num_queries(small):
        second = commissioner_client.get(url, {"page": 2})
    assert "1000119" in second.text and "1000000" not in second.text
    # The user with their roles; the list; the count and page of numbers; the commissioner's
    # organisation; their credentials.
    assert small == 6


def test_the_index_and_alerts_pages_take_a_fixed_number_of_queries(
    commissioner_client, commissioner, django_assert_num_queries
):
    first = WatchList.objects.create(owner=commissioner, name="First")
    watch(first, "1234567")
    notify(make_credential(clinician("1234567")), CredentialEvent.ISSUED)
    index, alerts = (
        count_queries(commissioner_client, INDEX),
        count_queries(commissioner_client, ALERTS),
    )
    for n in range(5):
        extra = WatchList.objects.create(owner=commissioner, name=f"List {n}")
        watch(extra, f"{2000000 + n}", "1234567")
        notify(make_credential(clinician(f"{2000000 + n}")), CredentialEvent.ISSUED)
    with django_assert_num_queries(index):
        commissioner_client.get(INDEX)
    with django_assert_num_queries(alerts):
        assert "List 4" in commissioner_client.get(ALERTS).text


# --- alerts -----------------------------------------------------------------------------------


def notify(credential, event):
    return services.notify_watchers(credential=credential, event=event)


def test_issue_suspend_reinstate_revoke_alert_watchers_by_email_and_on_the_dashboard(
    commissioner_client, commissioner, watch_list, superuser, django_capture_on_commit_callbacks
):
    watch(watch_list, "1234567")
    holder = clinician("1234567", "Dr Asha Patel")
    with django_capture_on_commit_callbacks(execute=True):
        credential = make_credential(holder)
    [email] = to(commissioner.email)
    assert email.subject == "GP with Extended Role (GPwER) in MSK for Dr Asha Patel: issued"
    assert "Greater Manchester MSK service" in email.body
    assert credential.serial in email.body
    assert f"/verify/{credential.token}/" in email.body

    dashboard = commissioner_client.get("/dashboard/commissioner/").text
    assert "1 new alert" in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        suspend_credential(credential=credential, reason="Under investigation", actor=superuser)
    assert "Reason given: Under investigation" in to(commissioner.email)[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        reinstate_credential(credential=credential, reason="Cleared", actor=superuser)
    with django_capture_on_commit_callbacks(execute=True):
        revoke_credential(credential=credential, reason="Registration lapsed", actor=superuser)
    assert [m.subject.rsplit(": ", 1)[1] for m in to(commissioner.email)] == [
        "issued",
        "suspended",
        "reinstated",
        "revoked",
    ]
    assert list(WatchNotification.objects.order_by("id").values_list("event", flat=True)) == [
        "issued",
        "suspended",
        "reinstated",
        "revoked",
    ]
    assert "4 new alerts" in commissioner_client.get("/dashboard/commissioner/").text

    page = commissioner_client.get(ALERTS).text
    assert page.count(">New</strong>") == 4
    assert "Dr Asha Patel, GMC 1234567" in page
    commissioner_client.post("/watchlists/alerts/read/")
    assert not services.unread_alerts(commissioner).exists()
    assert "new alert" not in commissioner_client.get("/dashboard/commissioner/").text


def test_a_renewal_alerts_about_the_old_and_the_new_credential(
    commissioner, watch_list, django_capture_on_commit_callbacks
):
    watch(watch_list, "1234567")
    old = make_credential(clinician("1234567"))
    with django_capture_on_commit_callbacks(execute=True):
        renew_credential(
            credential=old,
            source_type="tests.renewal",
            source_id="r1",
            valid_from=timezone.localdate(),  # starts today: superseded at once
            valid_until=datetime.date(2032, 12, 31),
        )
    events = set(WatchNotification.objects.values_list("credential_id", "event"))
    new = Credential.objects.get(supersedes=old)
    assert events == {(old.pk, "superseded"), (new.pk, "issued")}
    assert len(to(commissioner.email)) == 2


def test_every_watching_commissioner_gets_one_email_however_many_lists(
    commissioner, watch_list, django_capture_on_commit_callbacks
):
    second_list = WatchList.objects.create(owner=commissioner, name="Bolton")
    other = make_persona(Role.COMMISSIONER, email="other-icb@example.org")
    others_list = WatchList.objects.create(owner=other, name="Theirs")
    former = make_persona(None, email="former-commissioner@example.org")
    formers_list = WatchList.objects.create(owner=former, name="Old job")
    for each in (watch_list, second_list, others_list, formers_list):
        watch(each, "1234567")
    with django_capture_on_commit_callbacks(execute=True):
        make_credential(clinician("1234567"))
        make_credential(clinician("7654321"))  # nobody watches this one
    assert len(to(commissioner.email)) == 1
    assert "Bolton, Greater Manchester MSK service" in to(commissioner.email)[0].body
    assert len(to(other.email)) == 1
    assert to(former.email) == []  # no longer a commissioner
    assert WatchNotification.objects.count() == 3
    assert len(mail.outbox) == 2


def test_alerting_twice_sends_nothing_new(
    commissioner, watch_list, superuser, django_capture_on_commit_callbacks
):
    watch(watch_list, "1234567")
    credential = make_credential(clinician("1234567"))
    with django_capture_on_commit_callbacks(execute=True):
        assert len(notify(credential, CredentialEvent.ISSUED)) == 1
        assert notify(credential, CredentialEvent.ISSUED) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(credential, CredentialEvent.ISSUED) == []
    assert len(mail.outbox) == 1
    assert WatchNotification.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchNotification.objects.create(
            watch_list=watch_list,
            credential=credential,
            registration_number="1234567",
            event=CredentialEvent.ISSUED,
        )


def test_a_second_suspension_after_reinstatement_is_a_new_alert(
    commissioner, watch_list, superuser, django_capture_on_commit_callbacks
):
    watch(watch_list, "1234567")
    credential = make_credential(clinician("1234567"))
    for reason in ("First concern", "Second concern"):
        with django_capture_on_commit_callbacks(execute=True):
            suspend_credential(credential=credential, reason=reason, actor=superuser)
        with django_capture_on_commit_callbacks(execute=True):
            reinstate_credential(credential=credential, reason="Cleared", actor=superuser)
    assert WatchNotification.objects.filter(event=CredentialEvent.SUSPENDED).count() == 2
    assert len(to(commissioner.email)) == 4


def test_a_credential_without_a_registration_number_alerts_nobody(
    watch_list, django_capture_on_commit_callbacks
):
    watch(watch_list, "1234567")
    with django_capture_on_commit_callbacks(execute=True):
        make_credential()  # holder has no clinician profile
    assert not WatchNotification.objects.exists()
    assert mail.outbox == []


def test_lists_and_numbers_per_commissioner_are_capped(commissioner, monkeypatch):
    monkeypatch.setattr(services, "MAX_LISTS_PER_OWNER", 3)
    monkeypatch.setattr(services, "MAX_NUMBERS_PER_OWNER", 4)
    lists = [services.create_watch_list(owner=commissioner, name=f"List {n}") for n in range(3)]
    with pytest.raises(services.WatchListError, match="at most 3 watch lists"):
        services.create_watch_list(owner=commissioner, name="One more")
    services.add_entries(
        watch_list=lists[0], lines=["7000001", "7000002", "7000003"], actor=commissioner
    )
    with pytest.raises(services.WatchListError, match="You watch 3, so you can add 1 more"):
        services.add_entries(watch_list=lists[1], lines=["7000004", "7000005"], actor=commissioner)
    assert WatchListEntry.objects.filter(watch_list=lists[1]).count() == 0
    services.add_entries(watch_list=lists[1], lines=["7000004"], actor=commissioner)


# --- consent: a watch list is not a way round the register (ADR 0006) ------------------------


def _withheld(number, region="kent_medway", name="Dr Hidden Holder"):
    """A clinician who did not agree to appear on the public register."""
    return ClinicianProfileFactory(
        registration_number=number, full_name=name, consent_to_public_register=False, region=region
    ).user


def _acting_for(commissioner, region):
    from django.utils import timezone

    from portal.models import OrganisationType, RoleGrant

    RoleGrant.objects.update_or_create(
        user=commissioner,
        role="commissioner",
        defaults={
            "organisation_type": OrganisationType.ICB,
            "region": region,
            "granted_at": timezone.now(),
        },
    )


def test_a_withheld_credential_shows_only_no_public_credential(
    commissioner_client, watch_list, superuser
):
    credential = make_credential(_withheld("7000111"))
    suspend_credential(credential=credential, reason="Private matter", actor=superuser)
    watch(watch_list, "7000111")
    text = commissioner_client.get(detail_url(watch_list)).text
    assert "No public credential" in text
    for hidden in ("Dr Hidden Holder", credential.serial, "Private matter", credential.token):
        assert hidden not in text


def test_the_commissioners_own_icb_sees_its_clinicians(
    commissioner_client, commissioner, watch_list
):
    credential = make_credential(_withheld("7000112", region="greater_manchester"))
    watch(watch_list, "7000112")
    _acting_for(commissioner, "kent_medway")
    assert credential.serial not in commissioner_client.get(detail_url(watch_list)).text
    _acting_for(commissioner, "greater_manchester")
    assert credential.serial in commissioner_client.get(detail_url(watch_list)).text


def test_withheld_changes_alert_only_the_holders_own_icb(
    commissioner, watch_list, django_capture_on_commit_callbacks, superuser
):
    other = make_persona(Role.COMMISSIONER, email="kent@example.org")
    _acting_for(commissioner, "greater_manchester")
    _acting_for(other, "kent_medway")
    theirs = services.create_watch_list(owner=other, name="Kent MSK")
    watch(watch_list, "7000113")
    watch(theirs, "7000113")
    with django_capture_on_commit_callbacks(execute=True):
        make_credential(_withheld("7000113", region="greater_manchester"))
    assert len(to(commissioner.email)) == 1
    assert to(other.email) == []
    assert not WatchNotification.objects.filter(watch_list=theirs).exists()


def test_withdrawing_consent_hides_earlier_alerts(commissioner_client, commissioner, watch_list):
    holder = clinician("7000114", "Dr Changed Mind")
    watch(watch_list, "7000114")
    notify(make_credential(holder), CredentialEvent.ISSUED)
    assert "Dr Changed Mind" in commissioner_client.get(ALERTS).text
    profile = holder.clinician
    profile.consent_to_public_register = False
    profile.save()
    assert "Dr Changed Mind" not in commissioner_client.get(ALERTS).text
    assert services.unread_alerts(commissioner).count() == 0
