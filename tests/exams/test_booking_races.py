"""Bookings under real concurrency on PostgreSQL: no double booking, no over-capacity."""

import threading

import pytest
from django.db import connection

from exams.models import Booking, BookingStatus
from exams.services.bookings import apply_for_sitting, withdraw
from exams.services.errors import ExamError
from tests.exams.factories import make_candidate, make_sitting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


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


def test_twelve_candidates_at_once_fill_five_places_and_wait_for_the_rest():
    sitting = make_sitting(capacity=5)
    candidates = [make_candidate() for _ in range(12)]
    errors = _run_in_threads(lambda n: apply_for_sitting(sitting, candidates[n]), 12)
    assert errors == []
    confirmed = Booking.objects.filter(sitting=sitting, status=BookingStatus.CONFIRMED)
    assert confirmed.count() == 5
    assert Booking.objects.filter(sitting=sitting, status=BookingStatus.WAITING).count() == 7
    assert sorted(confirmed.values_list("candidate_number", flat=True)) == [
        "0001",
        "0002",
        "0003",
        "0004",
        "0005",
    ]


def test_one_candidate_applying_eight_times_at_once_books_once():
    sitting = make_sitting(capacity=5)
    candidate = make_candidate()
    errors = _run_in_threads(lambda n: apply_for_sitting(sitting, candidate), 8)
    assert len(errors) == 7 and all(isinstance(e, ExamError) for e in errors), errors
    assert Booking.objects.filter(sitting=sitting, candidate=candidate).count() == 1


def test_withdrawals_and_applications_at_once_never_overfill():
    sitting = make_sitting(capacity=3)
    holders = [make_candidate() for _ in range(3)]
    bookings = [apply_for_sitting(sitting, c) for c in holders]
    newcomers = [make_candidate() for _ in range(6)]

    def act(n):
        if n < 3:
            withdraw(bookings[n], by=holders[n])
        else:
            apply_for_sitting(sitting, newcomers[n - 3])

    errors = _run_in_threads(act, 9)
    assert errors == []
    confirmed = Booking.objects.filter(sitting=sitting, status=BookingStatus.CONFIRMED)
    assert confirmed.count() == 3
    assert Booking.objects.filter(sitting=sitting, status=BookingStatus.WAITING).count() == 3
    numbers = list(confirmed.values_list("candidate_number", flat=True))
    assert len(set(numbers)) == 3


def test_two_confirmations_of_one_import_at_once_import_once():
    from exams.models import Component, ImportKind, Mark, ResultsImport
    from exams.services.imports import confirm_import, dry_run, import_data
    from portal.roles import Role
    from tests.exams.factories import book
    from tests.exams.results_data import (
        KEY_HEADER,
        SBA_HEADER,
        csv_bytes,
        key_rows,
        sba_rows,
        upload,
    )
    from tests.factories import make_persona

    staff = make_persona(Role.FACULTY_STAFF, mfa=True)
    sitting = make_sitting(past=True)
    numbers = [book(sitting).candidate_number for _ in range(5)]
    paper = Component.objects.get(exam=sitting.exam, code="paper")
    key = key_rows(10)
    import_data(sitting, paper, ImportKind.KEY, csv_bytes(KEY_HEADER, key), "k.csv", by=staff)
    data = csv_bytes(SBA_HEADER, sba_rows(numbers, key))
    _, pending = dry_run(sitting, paper, ImportKind.SBA, upload(data), by=staff)
    errors = _run_in_threads(lambda n: confirm_import(pending, by=staff), 2)
    assert len(errors) == 1 and isinstance(errors[0], ExamError), errors
    assert Mark.objects.count() == 50
    assert ResultsImport.objects.filter(kind=ImportKind.SBA).count() == 1
