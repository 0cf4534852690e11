"""The daily run: reminders to holders 90, 30 and 7 days before expiry; expiry alerts."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from credentials.events import CredentialEvent, credential_event
from credentials.models import (
    CredentialExpiryNotice,
    CredentialReminder,
    WatchList,
    WatchListEntry,
    WatchNotification,
)
from credentials.services.credentials import (
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from credentials.services.lifecycle import due_reminder, run_daily_checks
from credentials.tasks import run_daily_credential_checks
from portal.models import AuditEvent
from tests.credentials.factories import make_credential
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

ENDS = datetime.date(2029, 12, 31)
DAY = datetime.timedelta(days=1)


def days_before(n: int) -> datetime.date:
    return ENDS - n * DAY


@pytest.fixture
def holder():
    return ClinicianProfileFactory(registration_number="1234567", full_name="Dr Asha Patel").user


@pytest.fixture
def credential(holder):
    return make_credential(holder, valid_until=ENDS)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            return run_daily_checks(today=today)

    return run


def reminders_to(address):
    return [m for m in mail.outbox if m.to == [address] and m.subject.startswith("Your ")]


def sent(credential):
    return sorted(
        CredentialReminder.objects.filter(credential=credential).values_list(
            "days_before", flat=True
        )
    )


def test_the_most_urgent_due_reminder_is_chosen():
    assert due_reminder(ENDS, days_before(91)) is None
    assert due_reminder(ENDS, days_before(90)) == 90
    assert due_reminder(ENDS, days_before(31)) == 90
    assert due_reminder(ENDS, days_before(30)) == 30
    assert due_reminder(ENDS, days_before(8)) == 30
    assert due_reminder(ENDS, days_before(7)) == 7
    assert due_reminder(ENDS, ENDS) == 7
    assert due_reminder(ENDS, ENDS + DAY) is None


def test_reminders_go_at_90_30_and_7_days_exactly_once_each(run, credential, holder):
    for day in range(120, -1, -1):
        run(days_before(day))
        run(days_before(day))  # twice the same day is safe
    emails = reminders_to(holder.email)
    assert len(emails) == 3
    assert [e.subject for e in emails] == [
        "Your GP with Extended Role (GPwER) in MSK expires on 31 December 2029"
    ] * 3
    assert "in 90 days" in emails[0].body
    assert "in 30 days" in emails[1].body
    assert "in 7 days" in emails[2].body
    assert f"/verify/{credential.token}/" in emails[0].body
    assert sent(credential) == [7, 30, 90]
    assert list(
        CredentialReminder.objects.order_by("-days_before").values_list("sent_on", flat=True)
    ) == [days_before(90), days_before(30), days_before(7)]
    assert AuditEvent.objects.filter(action="credential.reminder_sent").count() == 3


def test_missed_days_catch_up_with_the_most_urgent_reminder_only(run, credential, holder):
    run(days_before(5))
    [email] = reminders_to(holder.email)
    assert "in 5 days" in email.body
    assert sent(credential) == [7]
    run(days_before(3))
    run(ENDS)
    assert len(reminders_to(holder.email)) == 1


def test_a_credential_issued_close_to_its_end_gets_only_the_nearer_reminders(run, holder):
    credential = make_credential(holder, valid_until=ENDS)
    run(days_before(20))
    assert sent(credential) == [30]
    run(days_before(7))
    assert sent(credential) == [7, 30]
    assert len(reminders_to(holder.email)) == 2


def test_the_last_day_is_mentioned(run, credential, holder):
    run(ENDS)
    assert "today is its last valid day" in reminders_to(holder.email)[0].body


def test_no_reminders_for_suspended_revoked_or_superseded_credentials(run, holder, superuser):
    suspended = make_credential(holder, valid_until=ENDS)
    suspend_credential(credential=suspended, reason="Under investigation", actor=superuser)
    revoked = make_credential(holder, valid_until=ENDS)
    revoke_credential(credential=revoked, reason="Lapsed", actor=superuser)
    superseded = make_credential(holder, valid_until=ENDS)
    renew_credential(
        credential=superseded,
        source_type="tests.renewal",
        source_id="r1",
        valid_from=ENDS + DAY,
        valid_until=ENDS + 365 * DAY,
    )
    make_credential(holder, valid_until=None)  # never expires
    for day in (90, 30, 7, 0):
        run(days_before(day))
    assert reminders_to(holder.email) == []
    assert not CredentialReminder.objects.exists()
    assert not CredentialExpiryNotice.objects.exists()


def test_the_database_allows_each_reminder_once(credential):
    CredentialReminder.objects.create(credential=credential, days_before=30, sent_on=ENDS)
    with pytest.raises(IntegrityError), transaction.atomic():
        CredentialReminder.objects.create(credential=credential, days_before=30, sent_on=ENDS)
    with pytest.raises(IntegrityError), transaction.atomic():
        CredentialReminder.objects.create(credential=credential, days_before=14, sent_on=ENDS)


# --- expiry events and watchers ---------------------------------------------------------------


@pytest.fixture
def watcher(commissioner):
    watch_list = WatchList.objects.create(owner=commissioner, name="Greater Manchester")
    WatchListEntry.objects.create(watch_list=watch_list, registration_number="1234567")
    return commissioner


def alerts_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_watchers_hear_once_that_a_credential_is_expiring_and_then_expired(
    run, credential, watcher
):
    run(days_before(31))
    assert alerts_to(watcher.email) == []
    result = run(days_before(30))
    assert result.expiring == 1
    [expiring] = alerts_to(watcher.email)
    assert (
        expiring.subject
        == "GP with Extended Role (GPwER) in MSK for Dr Asha Patel: expires within 30 days"
    )
    assert "expires on 31 December 2029" in expiring.body
    for day in (30, 29, 7, 0):
        run(days_before(day))
    assert len(alerts_to(watcher.email)) == 1

    result = run(ENDS + DAY)
    assert result.expired == 1
    assert "expired on 31 December 2029" in alerts_to(watcher.email)[-1].body
    run(ENDS + DAY)
    run(ENDS + 5 * DAY)
    assert len(alerts_to(watcher.email)) == 2
    assert list(WatchNotification.objects.order_by("id").values_list("event", flat=True)) == [
        "expiring",
        "expired",
    ]
    assert set(CredentialExpiryNotice.objects.values_list("event", flat=True)) == {
        "expiring",
        "expired",
    }


def test_expiry_alerts_show_on_the_commissioners_dashboard(client, run, credential, watcher):
    run(days_before(30))
    run(ENDS + DAY)
    client.force_login(watcher)
    assert "2 new alerts" in client.get("/dashboard/commissioner/").text
    page = client.get("/watchlists/alerts/").text
    assert page.count(">New</strong>") == 2
    assert "Expires within 30 days" in page and "Expired" in page
    assert credential.serial in page and "Dr Asha Patel, GMC 1234567" in page


def test_expiry_events_are_announced_once_to_every_listener(run, credential):
    heard = []

    def listener(sender, credential, event, **kwargs):
        heard.append(event)

    credential_event.connect(listener)
    try:
        for day in (30, 20, 10):
            run(days_before(day))
        run(ENDS + DAY)
        run(ENDS + 2 * DAY)
    finally:
        credential_event.disconnect(listener)
    assert heard == [CredentialEvent.EXPIRING, CredentialEvent.EXPIRED]
    assert AuditEvent.objects.filter(action="credential.expired", detail="Expired").count() == 1


def test_a_missed_expiry_is_caught_up_but_old_history_is_not_announced(run, holder, watcher):
    recent = make_credential(holder, valid_until=ENDS)
    long_ago = make_credential(holder, valid_until=ENDS - 200 * DAY)
    result = run(ENDS + 10 * DAY)
    assert result.expired == 1
    assert result.expiring == 0  # it has already expired: only EXPIRED is news
    assert list(WatchNotification.objects.values_list("credential_id", "event")) == [
        (recent.pk, "expired")
    ]
    assert not WatchNotification.objects.filter(credential=long_ago).exists()


def test_suspended_credentials_raise_no_expiry_events(run, credential, watcher, superuser):
    suspend_credential(credential=credential, reason="Under investigation", actor=superuser)
    run(days_before(10))
    run(ENDS + DAY)
    assert not WatchNotification.objects.exists()
    assert mail.outbox == []


# --- the command and the task -----------------------------------------------------------------


def test_the_command_runs_the_checks_for_a_given_day(
    credential, holder, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("credential_reminders", "--date", days_before(30).isoformat())
    out = capsys.readouterr().out
    assert "Superseded 0 credential(s) by renewals starting today; sent 1 reminder(s); " in out
    assert "announced 1 expiring and 0 expired" in out
    assert len(reminders_to(holder.email)) == 1
    with pytest.raises(CommandError, match="--date must be a date"):
        call_command("credential_reminders", "--date", "31/12/2029")


def test_the_daily_task_calls_the_service(credential, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = run_daily_credential_checks.enqueue(today=days_before(90).isoformat())
    assert result.return_value == {"superseded": 0, "reminders": 1, "expiring": 0, "expired": 0}
    assert len(reminders_to(holder.email)) == 1
