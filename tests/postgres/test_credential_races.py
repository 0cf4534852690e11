"""Issuing under real concurrency on PostgreSQL: gap-free serials, one credential per source."""

import threading

import pytest
from django.db import connection, transaction

from accreditation.models import Credential
from tests.accreditation.factories import make_credential
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
    holders = [UserFactory() for _ in range(50)]

    def issue(n):
        with transaction.atomic():
            make_credential(holders[n], source_id=f"race-{n}")
            if n == 13:
                raise ForcedRollback

    errors = _run_in_threads(issue, 50)
    assert len(errors) == 1 and isinstance(errors[0], ForcedRollback), errors
    numbers = sorted(Credential.objects.values_list("serial_number", flat=True))
    assert numbers == list(range(1, 50))
    assert Credential.objects.values("serial").distinct().count() == 49


def test_a_double_clicked_issue_gives_one_credential():
    holder = UserFactory()
    issued = []

    def issue(n):
        issued.append(make_credential(holder, source_id="application-1").pk)

    errors = _run_in_threads(issue, 8)
    assert errors == []
    assert len(set(issued)) == 1
    assert Credential.objects.count() == 1
