"""OSCE marksheets on a tablet: only the allocated examiner marks, saves are idempotent,
submitted sheets are final, absence is recorded, closing needs every sheet, and the station
scores feed borderline regression."""

import pytest
from django.urls import reverse

from exams.models import CircuitState, Mark, Marksheet, MarksheetState, SittingStatus
from exams.services import osce
from exams.services.errors import ExamError
from portal.roles import Role
from tests.exams import delivery_builders as builders
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(db):
    return builders.running_circuit()


def _mark(station, booking, examiner, scores=(2, 1), grade=3, revision=None):
    sheet = Marksheet.objects.filter(station=station, booking=booking).first()
    return osce.save_marksheet(
        station=station,
        booking=booking,
        examiner=examiner,
        revision=sheet.revision if sheet and revision is None else (revision or 0),
        scores=list(scores),
        global_grade=grade,
    )


def test_the_rotation_starts_each_candidate_at_a_different_station(running):
    circuit, stations, bookings, *_ = running
    first = [c.booking_id for c in osce.rotation(stations[0])]
    second = [c.booking_id for c in osce.rotation(stations[1])]
    assert first[0] != second[0] and sorted(first) == sorted(second)


def test_a_marksheet_saves_as_it_goes_and_a_stale_save_changes_nothing(running):
    _, stations, bookings, examiner, _ = running
    sheet = _mark(stations[0], bookings[0], examiner, scores=(2, None), grade=None)
    assert sheet.scores == [2, None] and sheet.revision == 1
    _mark(stations[0], bookings[0], examiner, scores=(1, 1), grade=2, revision=0)  # a retry
    sheet.refresh_from_db()
    assert sheet.scores == [2, None] and sheet.revision == 1


def test_submitting_needs_every_line_and_the_grade_then_is_final(running):
    _, stations, bookings, examiner, _ = running
    _mark(stations[0], bookings[0], examiner, scores=(2, None), grade=None)
    with pytest.raises(ExamError, match="every line"):
        osce.submit_marksheet(station=stations[0], booking=bookings[0], examiner=examiner)
    _mark(stations[0], bookings[0], examiner, scores=(2, 1), grade=4)
    osce.submit_marksheet(station=stations[0], booking=bookings[0], examiner=examiner)
    with pytest.raises(ExamError, match="submitted"):
        _mark(stations[0], bookings[0], examiner, scores=(0, 0), grade=1)
    assert Marksheet.objects.get().total == 3


@pytest.mark.parametrize(
    ("scores", "grade", "message"),
    [
        ((3, 0), 3, "from 0 to 2"),
        ((-1, 0), 3, "from 0 to 2"),
        ((1, 1), 9, "global grade"),
        ((1,), 3, "each line"),
        (("x", 1), 3, "whole number"),
    ],
)
def test_out_of_range_marks_are_refused(running, scores, grade, message):
    _, stations, bookings, examiner, _ = running
    with pytest.raises(ExamError, match=message):
        _mark(stations[0], bookings[0], examiner, scores=scores, grade=grade, revision=0)
    assert not Marksheet.objects.exclude(scores=[None, None]).exists()


def test_only_the_allocated_examiner_marks(running):
    _, stations, bookings, _, _ = running
    other = make_persona(Role.EXAMINER, mfa=True)
    with pytest.raises(ExamError, match="not an examiner at this station"):
        _mark(stations[0], bookings[0], other, revision=0)
    assert not Marksheet.objects.exists()


def test_closing_needs_every_sheet_then_scores_feed_borderline_regression(running):
    circuit, stations, bookings, examiner, admin = running
    with pytest.raises(ExamError, match="still open"):
        osce.close_circuit(circuit=circuit, by=admin)
    for n, station in enumerate(stations):
        for m, booking in enumerate(bookings):
            if n == 1 and m == 1:
                osce.did_not_attend(station=station, booking=booking, examiner=examiner)
                continue
            _mark(station, booking, examiner, scores=(2, m), grade=2 + m)
            osce.submit_marksheet(station=station, booking=booking, examiner=examiner)
    osce.close_circuit(circuit=circuit, by=admin)
    circuit.refresh_from_db()
    circuit.sitting.refresh_from_db()
    assert circuit.state == CircuitState.CLOSED
    assert circuit.sitting.status == SittingStatus.RESULTS_IMPORTED
    marks = {(m.booking_id, m.item.code): (m.score, m.grade) for m in Mark.objects.all()}
    assert marks[(bookings[0].pk, "S1")] == (2.0, 2)
    assert marks[(bookings[1].pk, "S2")] == (0.0, None)


def test_examiner_pages_are_for_the_examiner_only(client, running, applicant):
    _, stations, bookings, examiner, admin = running
    urls = [
        reverse("exams:examiner"),
        reverse("exams:examiner_station", args=[stations[0].pk]),
        reverse("exams:examiner_marksheet", args=[stations[0].pk, bookings[0].pk]),
    ]
    for person in (applicant, make_persona(Role.EXAMINER, mfa=True)):
        client.force_login(person)
        for url in urls[1:]:
            assert client.get(url).status_code == 404, url
    client.force_login(applicant)
    assert client.get(urls[0]).status_code == 404
    client.force_login(examiner)
    page = client.get(urls[1]).content.decode()
    assert bookings[0].candidate_number in page


def test_the_examiner_marks_through_the_page(client, running):
    _, stations, bookings, examiner, _ = running
    client.force_login(examiner)
    url = reverse("exams:examiner_marksheet", args=[stations[0].pk, bookings[0].pk])
    page = client.post(url, {"revision": 0, "line_0": "2", "action": "submit"}, follow=True)
    assert "Mark every line" in page.content.decode()
    sheet = Marksheet.objects.get()
    response = client.post(
        url,
        {
            "revision": sheet.revision,
            "line_0": "2",
            "line_1": "1",
            "global_grade": "4",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    assert Marksheet.objects.get().state == MarksheetState.SUBMITTED


def test_setup_rules(db):
    circuit, *_ = builders.running_circuit()
    admin = make_persona(Role.FACULTY_STAFF, mfa=True)
    with pytest.raises(ExamError, match="has started"):
        osce.add_station(
            circuit=circuit, title="Extra", checklist=[{"text": "x", "max": 1}], by=admin
        )
    with pytest.raises(ExamError, match="not an examiner"):
        osce.allocate_examiner(station=circuit.stations.first(), examiner=admin, by=admin)
