"""Issuing under real concurrency on PostgreSQL: gap-free serials, one credential per source."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from credentials.models import Credential, CredentialStatus, SerialCounter
from credentials.services.credentials import CredentialError, renew_credential
from tests.credentials.factories import make_credential
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _run_in_threads(target, count):
    barrier = threading.Barrier(count)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            target(n)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


class ForcedRollback(Exception):
    pass


def test_fifty_concurrent_issues_with_one_rollback_leave_no_gaps():
    """The rolled-back issue takes a number in the middle of the run and holds the counter
    while the rest queue behind it: a number drawn outside the transaction (a sequence)
    would leave a gap there."""
    holders = [UserFactory() for _ in range(50)]
    doomed = 13
    first_wave = set(range(0, 24)) - {doomed}
    first_wave_done = threading.Semaphore(0)
    holding_a_number = threading.Event()
    rolled_back = []

    def issue(n):
        if n == doomed:
            for _ in first_wave:
                assert first_wave_done.acquire(timeout=60)
            with transaction.atomic():
                credential = make_credential(holders[n], source_id=f"race-{n}")
                rolled_back.append(credential.serial_number)
                holding_a_number.set()
                time.sleep(0.5)  # the second wave is now waiting for the counter row
                raise ForcedRollback
        if n not in first_wave:
            assert holding_a_number.wait(timeout=60)
        with transaction.atomic():
            make_credential(holders[n], source_id=f"race-{n}")
        if n in first_wave:
            first_wave_done.release()

    errors = _run_in_threads(issue, 50)
    assert len(errors) == 1 and isinstance(errors[0], ForcedRollback), errors
    assert rolled_back == [len(first_wave) + 1]  # number 24, in the middle
    numbers = sorted(Credential.objects.values_list("serial_number", flat=True))
    assert numbers == list(range(1, 50))
    serials = set(Credential.objects.values_list("serial", flat=True))
    assert len(serials) == 49
    year = datetime.date.today().year
    assert f"GPWER-{year}-00024" in serials and f"GPWER-{year}-00049" in serials
    assert SerialCounter.objects.get().last_number == 49
    assert not Credential.objects.filter(source_id=f"race-{doomed}").exists()


def test_a_double_clicked_issue_gives_one_credential():
    holder = UserFactory()
    issued = []

    def issue(n):
        issued.append(make_credential(holder, source_id="application-1").pk)

    errors = _run_in_threads(issue, 8)
    assert errors == []
    assert len(set(issued)) == 1
    assert Credential.objects.count() == 1
    assert SerialCounter.objects.get().last_number == 1  # no number was used up
    assert make_credential(holder).serial_number == 2


@pytest.mark.parametrize("same_request", [True, False])
def test_concurrent_renewals_give_one_renewal(same_request):
    """A double-submitted renewal form (same request) or two administrators at once (two
    requests): one renewal, the old credential superseded once, no serial used up."""
    old = make_credential(UserFactory())
    renewals = []

    def renew(n):
        renewals.append(
            renew_credential(
                credential=old,
                source_type="manage.renewal",
                source_id=f"{old.pk}-{'same' if same_request else n}",
                valid_from=timezone.localdate(),  # starts today: supersedes at once
                valid_until=datetime.date(2032, 12, 31),
            ).pk
        )

    errors = _run_in_threads(renew, 6)
    if same_request:
        assert errors == [] and len(set(renewals)) == 1
    else:
        assert len(renewals) == 1
        assert len(errors) == 5 and all(isinstance(e, CredentialError) for e in errors), errors
    old.refresh_from_db()
    assert old.status == CredentialStatus.SUPERSEDED
    renewal = Credential.objects.get(supersedes=old)
    assert renewal.serial_number == old.serial_number + 1
    assert Credential.objects.count() == 2
    assert SerialCounter.objects.get().last_number == 2
