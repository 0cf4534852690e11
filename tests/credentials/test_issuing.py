import datetime
import re

import pytest
from django.db import transaction
from django.utils import timezone

from credentials.events import CredentialEvent, credential_event
from credentials.models import (
    Credential,
    CredentialStatus,
    PublicStatus,
    SerialCounter,
)
from credentials.services.credentials import (
    CredentialError,
    reinstate_credential,
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from portal.models import AuditEvent
from tests.credentials.factories import make_credential
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

DAYS_60 = datetime.timedelta(days=60)


def test_serials_are_per_kind_and_year_and_consecutive():
    year = datetime.date.today().year
    first = make_credential()
    second = make_credential()
    diploma = make_credential(kind="diploma_msk_medicine")
    assert first.serial == f"GPWER-{year}-00001"
    assert second.serial == f"GPWER-{year}-00002"
    assert diploma.serial == f"DIP-{year}-00001"


def test_issuing_twice_for_one_source_gives_the_same_credential():
    first = make_credential(source_id="application-7")
    again = make_credential(source_id="application-7")
    assert again.pk == first.pk
    assert Credential.objects.count() == 1
    assert AuditEvent.objects.filter(action="credential.issued").count() == 1
    # The second call used no serial number.
    assert make_credential().serial.endswith("-00002")


def test_a_rolled_back_issue_leaves_no_gap():
    with pytest.raises(RuntimeError), transaction.atomic():
        make_credential()
        raise RuntimeError("the surrounding work failed")
    assert make_credential().serial.endswith("-00001")


def test_holder_details_come_from_the_profile():
    profile = ClinicianProfileFactory(full_name="Dr Asha Patel", registration_number="7654321")
    credential = make_credential(profile.user)
    assert credential.holder_name == "Dr Asha Patel"
    assert credential.registration_number == "7654321"
    assert len(credential.token) >= 40


def test_a_credential_cannot_end_before_it_starts():
    with pytest.raises(CredentialError):
        make_credential(valid_from=datetime.date(2026, 5, 1), valid_until=datetime.date(2026, 4, 1))
    assert not Credential.objects.exists()


def test_expiry_follows_from_the_dates():
    credential = make_credential(valid_until=datetime.date(2026, 6, 30))
    assert credential.public_status(datetime.date(2026, 6, 30)) == PublicStatus.ACTIVE
    assert credential.public_status(datetime.date(2026, 7, 1)) == PublicStatus.EXPIRED
    assert not credential.is_valid(datetime.date(2026, 7, 1))


def test_suspend_reinstate_revoke_are_guarded_and_audited(superuser):
    credential = make_credential()
    with pytest.raises(CredentialError):
        suspend_credential(credential=credential, reason="  ", actor=superuser)
    suspend_credential(credential=credential, reason="Under investigation", actor=superuser)
    credential.refresh_from_db()
    assert credential.public_status() == PublicStatus.SUSPENDED
    assert credential.status_reason == "Under investigation"
    with pytest.raises(CredentialError):
        suspend_credential(credential=credential, reason="again", actor=superuser)
    reinstate_credential(credential=credential, reason="Cleared", actor=superuser)
    revoke_credential(credential=credential, reason="Registration lapsed", actor=superuser)
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED
    with pytest.raises(CredentialError):
        reinstate_credential(credential=credential, reason="no", actor=superuser)
    actions = list(
        AuditEvent.objects.filter(object_id=str(credential.pk), action__startswith="credential.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "credential.issued",
        "credential.suspended",
        "credential.reinstated",
        "credential.revoked",
    ]


def test_a_renewal_starting_today_supersedes_the_old_credential_at_once(superuser):
    old = make_credential(valid_until=timezone.localdate())
    new = renew_credential(
        credential=old,
        source_type="tests.renewal",
        source_id="1",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + datetime.timedelta(days=3 * 365),
        issued_by=superuser,
    )
    old.refresh_from_db()
    assert new.supersedes == old
    assert old.status == CredentialStatus.SUPERSEDED
    assert old.public_status() == PublicStatus.SUPERSEDED
    assert new.serial != old.serial


def _renewed_early(source_id: str, **kwargs):
    """A credential ending in 60 days, renewed now from the day after it ends: (old, new)."""
    today = timezone.localdate()
    old = make_credential(
        valid_from=today - datetime.timedelta(days=900), valid_until=today + DAYS_60
    )
    starts = old.valid_until + datetime.timedelta(days=1)
    new = renew_credential(
        credential=old,
        source_type="tests.renewal",
        source_id=source_id,
        valid_from=starts,
        valid_until=starts + datetime.timedelta(days=3 * 365),
        **kwargs,
    )
    old.refresh_from_db()
    return old, new


def test_a_renewal_issued_early_leaves_the_old_credential_valid_until_it_starts(
    superuser, client, django_capture_on_commit_callbacks
):
    """Renewing months before the end must not leave the clinician shown as not valid in
    between: the old credential stays active, says it has been renewed, and the daily run
    supersedes it on the renewal's first day."""
    from credentials.services.lifecycle import run_daily_checks
    from credentials.statuses import public_record

    old, new = _renewed_early("early", issued_by=superuser)
    starts = new.valid_from
    assert old.status == CredentialStatus.ACTIVE and public_record(old).is_valid
    assert public_record(new).not_yet_valid
    page = client.get(f"/verify/{old.token}/").content.decode()
    assert "This credential is not valid" not in page
    assert f"the renewal, {new.serial}</a>, takes over on" in page

    with pytest.raises(CredentialError, match=f"renewed already, as {new.serial}"):
        renew_credential(
            credential=old,
            source_type="tests.renewal",
            source_id="second",
            valid_from=starts,
            valid_until=starts + datetime.timedelta(days=365),
        )

    seen = []

    def listener(sender, credential, event, **kwargs):
        seen.append((credential.serial, event))

    credential_event.connect(listener)
    try:
        assert run_daily_checks(today=starts - datetime.timedelta(days=1)).superseded == 0
        old.refresh_from_db()
        assert old.status == CredentialStatus.ACTIVE
        with django_capture_on_commit_callbacks(execute=True):
            assert run_daily_checks(today=starts).superseded == 1
    finally:
        credential_event.disconnect(listener)
    old.refresh_from_db()
    assert old.status == CredentialStatus.SUPERSEDED
    assert old.status_reason == f"Renewed as {new.serial}"
    assert (old.serial, CredentialEvent.SUPERSEDED) in seen
    assert run_daily_checks(today=starts).superseded == 0  # once


def test_a_renewal_revoked_before_it_starts_leaves_the_old_credential_to_run_its_course(
    superuser,
):
    from credentials.services.lifecycle import run_daily_checks

    old, new = _renewed_early("revoked")
    starts = new.valid_from
    revoke_credential(credential=new, reason="Issued in error", actor=superuser)
    # Its end is announced as for any credential not renewed, and it is not superseded.
    assert run_daily_checks(today=old.valid_until - datetime.timedelta(days=7)).expiring == 1
    assert run_daily_checks(today=starts).superseded == 0
    old.refresh_from_db()
    assert old.status == CredentialStatus.ACTIVE


def test_events_are_sent_after_commit(django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, credential, event, **kwargs):
        seen.append((credential.serial, event))

    credential_event.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            credential = make_credential()
        assert seen == [(credential.serial, CredentialEvent.ISSUED)]
    finally:
        credential_event.disconnect(listener)


def test_tokens_are_long_random_and_unrelated_to_the_serial():
    credentials = [make_credential() for _ in range(20)]
    tokens = {credential.token for credential in credentials}
    assert len(tokens) == 20
    for credential in credentials:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", credential.token)  # 256 random bits
        assert credential.serial not in credential.token
        assert str(credential.serial_number) != credential.token


# --- invalid moves change nothing -------------------------------------------------------------


def _in_state(state, actor):
    credential = make_credential()
    if state == "suspended":
        suspend_credential(credential=credential, reason="Under investigation", actor=actor)
    elif state == "revoked":
        revoke_credential(credential=credential, reason="Struck off", actor=actor)
    elif state == "superseded":
        renew_credential(
            credential=credential,
            source_type="tests.renewal",
            source_id=f"first-{credential.pk}",
            valid_from=timezone.localdate(),  # starting today: superseded at once
            valid_until=datetime.date(2032, 12, 31),
        )
    credential.refresh_from_db()
    return credential


def _move(move, credential, actor):
    if move == "renew":
        return renew_credential(
            credential=credential,
            source_type="tests.renewal",
            source_id=f"again-{credential.pk}",
            valid_from=datetime.date(2030, 1, 1),
            valid_until=datetime.date(2032, 12, 31),
            issued_by=actor,
        )
    service = {
        "suspend": suspend_credential,
        "reinstate": reinstate_credential,
        "revoke": revoke_credential,
    }[move]
    return service(credential=credential, reason="A good reason", actor=actor)


@pytest.mark.parametrize(
    ("state", "move"),
    [
        ("active", "reinstate"),
        ("suspended", "suspend"),
        *(("revoked", move) for move in ("suspend", "reinstate", "revoke", "renew")),
        *(("superseded", move) for move in ("suspend", "reinstate", "revoke", "renew")),
    ],
)
def test_an_invalid_move_is_refused_and_changes_nothing(
    superuser, state, move, django_capture_on_commit_callbacks
):
    credential = _in_state(state, superuser)
    before = Credential.objects.values().get(pk=credential.pk)
    audit_rows = AuditEvent.objects.count()
    credentials = Credential.objects.count()
    counters = list(SerialCounter.objects.values_list("kind", "year", "last_number"))
    heard = []

    def listener(sender, credential, event, **kwargs):
        heard.append(event)

    credential_event.connect(listener)
    try:
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(CredentialError) as refused,
        ):
            _move(move, credential, superuser)
    finally:
        credential_event.disconnect(listener)
    assert refused.value.message.startswith(f"{credential.serial} ")
    assert Credential.objects.values().get(pk=credential.pk) == before
    assert AuditEvent.objects.count() == audit_rows
    assert Credential.objects.count() == credentials
    assert list(SerialCounter.objects.values_list("kind", "year", "last_number")) == counters
    assert callbacks == [] and heard == []


def test_a_refused_renewal_gives_its_serial_number_back(superuser):
    credential = _in_state("revoked", superuser)
    with pytest.raises(CredentialError):
        _move("renew", credential, superuser)
    assert make_credential().serial_number == credential.serial_number + 1
