"""The Django admin changes a sitting only through exams.services.sittings: guarded by the
sitting's status, audited, and added places go to the waiting list at once."""

import datetime

import pytest

from exams.models import Booking, BookingStatus, Exam, Sitting, SittingMode, SittingStatus
from exams.services.bookings import apply_for_sitting
from portal.models import AuditEvent
from tests.exams.factories import make_candidate, make_sitting

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, faculty_staff):
    client.force_login(faculty_staff)
    return client


def _form(sitting: Sitting, **changes) -> dict:
    values = {
        "label": sitting.label,
        "starts_on": sitting.starts_on,
        "ends_on": sitting.ends_on,
        "mode": sitting.mode,
        "venue": sitting.venue,
        "capacity": sitting.capacity,
        "applications_open": sitting.applications_open,
        "applications_close": sitting.applications_close,
        "fee_pence": sitting.fee_pence,
        **changes,
    }
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in values.items()
    }


def _change(client, sitting, **changes):
    return client.post(f"/admin/exams/sitting/{sitting.pk}/change/", _form(sitting, **changes))


def test_more_places_in_the_admin_go_to_the_waiting_list_and_are_audited(admin_client):
    sitting = make_sitting(capacity=1)
    bookings = [apply_for_sitting(sitting, make_candidate()) for _ in range(3)]
    response = _change(admin_client, sitting, capacity=2)
    assert response.status_code == 302
    statuses = [Booking.objects.get(pk=b.pk).status for b in bookings]
    assert statuses == [BookingStatus.CONFIRMED, BookingStatus.CONFIRMED, BookingStatus.WAITING]
    event = AuditEvent.objects.get(action="exams.sitting_changed")
    assert (event.old_state, event.new_state) == ({"capacity": 1}, {"capacity": 2})
    assert AuditEvent.objects.filter(action="exams.booking_promoted").count() == 1


def test_the_admin_cannot_take_away_confirmed_places(admin_client):
    sitting = make_sitting(capacity=3)
    for _ in range(2):
        apply_for_sitting(sitting, make_candidate())
    response = _change(admin_client, sitting, capacity=1)
    assert response.status_code == 200
    assert "2 places are confirmed already: the sitting needs at least that many." in (
        response.content.decode()
    )
    assert Sitting.objects.get(pk=sitting.pk).capacity == 3
    assert not AuditEvent.objects.filter(action="exams.sitting_changed").exists()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"capacity": 50}, "Places can change only before results are imported."),
        (
            {"applications_close": "past"},
            "Dates can change only before results are imported.",
        ),
    ],
)
def test_the_admin_cannot_change_places_or_dates_once_there_are_results(
    admin_client, changes, reason
):
    sitting = make_sitting(past=True, status=SittingStatus.RESULTS_IMPORTED)
    if changes.get("applications_close") == "past":
        changes = {"applications_close": sitting.applications_close - datetime.timedelta(days=1)}
    response = _change(admin_client, sitting, **changes)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert Sitting.objects.get(pk=sitting.pk).capacity == sitting.capacity
    assert Sitting.objects.get(pk=sitting.pk).applications_close == sitting.applications_close


def test_the_admin_may_still_correct_a_label_and_it_is_audited(admin_client):
    sitting = make_sitting(past=True, status=SittingStatus.RELEASED)
    assert _change(admin_client, sitting, label="Spring 2027").status_code == 302
    assert Sitting.objects.get(pk=sitting.pk).label == "Spring 2027"
    event = AuditEvent.objects.get(action="exams.sitting_changed")
    assert event.new_state == {"label": "Spring 2027"}


def test_the_admin_moves_no_status_and_no_sitting_to_another_exam(admin_client):
    sitting = make_sitting(status=SittingStatus.DRAFT)
    other = Exam.objects.exclude(pk=sitting.exam_id).first()
    form = _form(sitting, label="Renamed")
    response = admin_client.post(
        f"/admin/exams/sitting/{sitting.pk}/change/",
        {**form, "exam": other.pk, "status": SittingStatus.RELEASED},
    )
    assert response.status_code == 302
    sitting.refresh_from_db()
    assert (sitting.exam_id, sitting.status, sitting.label) == (
        sitting.exam_id,
        SittingStatus.DRAFT,
        "Renamed",
    )
    assert sitting.exam_id != other.pk
    page = admin_client.get(f"/admin/exams/sitting/{sitting.pk}/change/").content.decode()
    assert f'href="/manage/exams/sittings/{sitting.pk}/"' in page


def test_a_sitting_added_in_the_admin_is_a_draft_made_by_the_service(admin_client):
    exam = Exam.objects.get(code="diploma-msk-medicine")
    form = _form(
        make_sitting(),  # its values, for a second sitting
        label="Winter",
        mode=SittingMode.VENUE,
        venue="Leeds",
    )
    response = admin_client.post("/admin/exams/sitting/add/", {**form, "exam": exam.pk})
    assert response.status_code == 302
    added = Sitting.objects.get(label="Winter")
    assert added.status == SittingStatus.DRAFT
    assert AuditEvent.objects.filter(action="exams.sitting_created", object_id=str(added.pk))
