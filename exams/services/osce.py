"""OSCE circuits: set up (stations, rest stations, candidates' starting stations, examiners),
run (examiners mark on a tablet, saving as they go), close (scores become the sitting's marks).

Rules:
- Only an examiner allocated to a station marks it, only while the circuit runs, and only a
  candidate in the circuit. A marksheet saves as it is filled; each save names the revision it
  was made on, so a retried or stale save changes nothing. A submitted marksheet is final.
- A candidate who did not attend a station is recorded as such (no marks asked for).
- Closing needs every candidate marked (or recorded absent) at every marked station. Then each
  marksheet's total and global grade become the candidate's Mark for that station, which
  borderline regression uses exactly as it does for imported scores.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from exams.models import (
    BookingStatus,
    Circuit,
    CircuitCandidate,
    CircuitState,
    ComponentKind,
    ExaminerAllocation,
    Item,
    Mark,
    Marksheet,
    MarksheetState,
    Station,
)
from exams.services.errors import ExamError
from exams.sitting_states import SittingAction, refusal
from portal.audit import record
from portal.roles import Role, has_role

MAX_LINES = 40
MAX_LINE_MARK = 20
MAX_COMMENT = 2000


def _snapshot(obj) -> dict:
    return {"state": obj.state}


def _locked(circuit) -> Circuit:
    return (
        Circuit.objects.select_for_update(of=("self",))
        .select_related("sitting__exam", "component")
        .get(pk=circuit.pk)
    )


def _setting_up(circuit) -> None:
    if circuit.state != CircuitState.SETUP:
        raise ExamError("The circuit has started: its stations and people are fixed.")


@transaction.atomic
def create_circuit(*, sitting, component, name: str, starts_at, station_minutes: int, by):
    if component.exam_id != sitting.exam_id or component.kind != ComponentKind.OSCE:
        raise ExamError("Choose an OSCE of this sitting's exam.")
    refused = refusal(sitting, SittingAction.SET_UP_DELIVERY)
    if refused:
        raise ExamError(refused)
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise ExamError("Name the circuit in 100 characters or fewer.")
    try:
        with transaction.atomic():
            circuit = Circuit.objects.create(
                sitting=sitting,
                component=component,
                name=name,
                starts_at=starts_at,
                station_minutes=station_minutes,
            )
    except IntegrityError:
        raise ExamError(f"The sitting already has a circuit called {name}.") from None
    record("exams.circuit_created", obj=circuit, new=_snapshot(circuit), actor=by)
    return circuit


def clean_checklist(lines) -> list[dict]:
    clean = []
    for line in lines or []:
        text = " ".join(str(line.get("text", "")).split())
        try:
            top = int(line.get("max", 0))
        except (TypeError, ValueError):
            raise ExamError("Give each checklist line's top mark as a whole number.") from None
        if not text:
            continue
        if len(text) > 200:
            raise ExamError("Keep each checklist line to 200 characters.")
        if not 1 <= top <= MAX_LINE_MARK:
            raise ExamError(f"Give each checklist line a top mark from 1 to {MAX_LINE_MARK}.")
        clean.append({"text": text, "max": top})
    if len(clean) > MAX_LINES:
        raise ExamError(f"Give at most {MAX_LINES} checklist lines.")
    return clean


@transaction.atomic
def add_station(*, circuit, title: str, checklist=(), is_rest=False, by) -> Station:
    circuit = _locked(circuit)
    _setting_up(circuit)
    title = " ".join((title or "").split())
    if not title or len(title) > 120:
        raise ExamError("Give the station a title of 120 characters or fewer.")
    lines = [] if is_rest else clean_checklist(checklist)
    if not is_rest and not lines:
        raise ExamError("Give a marked station at least one checklist line.")
    marked = circuit.stations.filter(is_rest=False).count()
    if not is_rest and marked >= circuit.component.item_count:
        raise ExamError(f"{circuit.component.name} has {circuit.component.item_count} stations.")
    number = (circuit.stations.aggregate(n=Max("number"))["n"] or 0) + 1
    station = Station.objects.create(
        circuit=circuit, number=number, title=title, is_rest=is_rest, checklist=lines
    )
    record("exams.station_added", obj=circuit, new={"station": number, "rest": is_rest}, actor=by)
    return station


@transaction.atomic
def place_candidates(*, circuit, by) -> int:
    """Confirmed candidates of the sitting not placed in another circuit, in candidate-number
    order, one per station (rest stations included), each starting at the next station round
    the circuit. Replaces an earlier placing; a larger sitting runs more circuits."""
    circuit = _locked(circuit)
    _setting_up(circuit)
    stations = list(circuit.stations.order_by("number"))
    if not stations:
        raise ExamError("Add the stations first.")
    elsewhere = CircuitCandidate.objects.filter(circuit__sitting=circuit.sitting).exclude(
        circuit=circuit
    )
    bookings = list(
        circuit.sitting.bookings.filter(status=BookingStatus.CONFIRMED)
        .exclude(pk__in=elsewhere.values("booking_id"))
        .order_by("candidate_number")[: len(stations)]
    )
    if not bookings:
        raise ExamError("Every confirmed candidate is placed in another circuit already.")
    CircuitCandidate.objects.filter(circuit=circuit).delete()
    CircuitCandidate.objects.bulk_create(
        CircuitCandidate(circuit=circuit, booking=booking, start=stations[n].number)
        for n, booking in enumerate(bookings)
    )
    record(
        "exams.circuit_candidates_placed",
        obj=circuit,
        new={"candidates": len(bookings)},
        actor=by,
    )
    return len(bookings)


def is_examiner(user) -> bool:
    return has_role(user, Role.EXAMINER)


@transaction.atomic
def allocate_examiner(*, station: Station, examiner, by) -> ExaminerAllocation:
    circuit = _locked(station.circuit)
    if circuit.state == CircuitState.CLOSED:
        raise ExamError("The circuit is closed.")
    if station.is_rest:
        raise ExamError("Nobody marks a rest station.")
    if not is_examiner(examiner):
        raise ExamError(f"{examiner.get_full_name() or examiner.email} is not an examiner.")
    try:
        with transaction.atomic():
            allocation = ExaminerAllocation.objects.create(
                station=station, examiner=examiner, allocated_by=by
            )
    except IntegrityError:
        raise ExamError("That examiner is already at this station.") from None
    record(
        "exams.examiner_allocated",
        obj=circuit,
        new={"station": station.number, "examiner": examiner.email},
        actor=by,
    )
    return allocation


@transaction.atomic
def start_circuit(*, circuit, by) -> Circuit:
    """SETUP → RUNNING: each marked station becomes one of the sitting's items."""
    circuit = _locked(circuit)
    _setting_up(circuit)
    stations = list(circuit.stations.order_by("number"))
    marked = [s for s in stations if not s.is_rest]
    if len(marked) != circuit.component.item_count:
        raise ExamError(
            f"The circuit has {len(marked)} marked stations; {circuit.component.name} needs "
            f"{circuit.component.item_count}."
        )
    unstaffed = [s.number for s in marked if not s.examiners.exists()]
    if unstaffed:
        raise ExamError(
            "Allocate an examiner to every marked station; none at station "
            + ", ".join(map(str, unstaffed))
            + "."
        )
    if not circuit.candidates.exists():
        raise ExamError("Place the candidates first.")
    if Item.objects.filter(sitting=circuit.sitting, component=circuit.component).exists():
        raise ExamError("Station scores for this OSCE were imported from a file already.")
    start = Item.objects.filter(sitting=circuit.sitting).aggregate(n=Max("order"))["n"] or 0
    for n, station in enumerate(marked, 1):
        station.item = Item.objects.create(
            sitting=circuit.sitting,
            component=circuit.component,
            code=f"S{n}",
            order=start + n,
            domain=station.title[:60],
            max_score=station.max_score,
        )
        station.save(update_fields=["item"])
    circuit.state = CircuitState.RUNNING
    circuit.save(update_fields=["state"])
    record("exams.circuit_started", obj=circuit, new=_snapshot(circuit), actor=by)
    return circuit


def rotation(station: Station) -> list[CircuitCandidate]:
    """The candidates in the order they reach STATION (the first arrives at the start)."""
    numbers = list(station.circuit.stations.order_by("number").values_list("number", flat=True))
    position = {number: i for i, number in enumerate(numbers)}
    here = position[station.number]
    candidates = list(
        station.circuit.candidates.select_related("booking__candidate").order_by("start")
    )
    return sorted(candidates, key=lambda c: (here - position[c.start]) % len(numbers))


def _examiner_at(station, examiner) -> None:
    if not ExaminerAllocation.objects.filter(station=station, examiner=examiner).exists():
        raise ExamError("You are not an examiner at this station.")


def _marksheet(station, booking, examiner) -> Marksheet:
    circuit = station.circuit
    if circuit.state != CircuitState.RUNNING:
        raise ExamError("The circuit is not running: marking has not started or has ended.")
    _examiner_at(station, examiner)
    if station.is_rest:
        raise ExamError("Nobody marks a rest station.")
    if not CircuitCandidate.objects.filter(circuit=circuit, booking=booking).exists():
        raise ExamError("That candidate is not in this circuit.")
    sheet, _ = Marksheet.objects.select_for_update().get_or_create(
        station=station,
        booking=booking,
        defaults={"examiner": examiner, "scores": [None] * len(station.checklist)},
    )
    if sheet.state == MarksheetState.SUBMITTED:
        raise ExamError("This marksheet has been submitted: ask the exam team to re-open it.")
    return sheet


def _clean_scores(station, scores) -> list:
    scores = list(scores or [])
    if len(scores) != len(station.checklist):
        raise ExamError("Mark each line of the checklist.")
    clean = []
    for line, value in zip(station.checklist, scores, strict=True):
        if value in (None, ""):
            clean.append(None)
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ExamError(f"Give a whole number for “{line['text']}”.") from None
        if not 0 <= value <= line["max"]:
            raise ExamError(f"Give “{line['text']}” a mark from 0 to {line['max']}.")
        clean.append(value)
    return clean


def save_marksheet(
    *, station: Station, booking, examiner, revision: int, scores, global_grade, comment=""
) -> Marksheet:
    """Save what the examiner has marked so far. REVISION is the one their page showed: a
    save made on an older revision (a retry, a second tablet) changes nothing."""
    with transaction.atomic():
        station = Station.objects.select_related("circuit__component").get(pk=station.pk)
        sheet = _marksheet(station, booking, examiner)
        if int(revision) != sheet.revision:
            return sheet
        top = station.circuit.component.max_grade
        if global_grade in ("", None):
            grade = None
        else:
            try:
                grade = int(global_grade)
            except (TypeError, ValueError):
                raise ExamError("Choose a global grade.") from None
            if not 1 <= grade <= top:
                raise ExamError(f"Choose a global grade from 1 to {top}.")
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT:
            raise ExamError(f"Keep the comment to {MAX_COMMENT} characters.")
        sheet.scores = _clean_scores(station, scores)
        sheet.global_grade = grade
        sheet.comment = comment
        sheet.did_not_attend = False
        sheet.examiner = examiner
        sheet.revision += 1
        sheet.save()
    return sheet


def submit_marksheet(*, station: Station, booking, examiner) -> Marksheet:
    with transaction.atomic():
        station = Station.objects.select_related("circuit").get(pk=station.pk)
        sheet = _marksheet(station, booking, examiner)
        if not sheet.did_not_attend:
            if any(score is None for score in sheet.scores):
                raise ExamError("Mark every line of the checklist before you submit.")
            if sheet.global_grade is None:
                raise ExamError("Choose a global grade before you submit.")
        sheet.state = MarksheetState.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.revision += 1
        sheet.save()
        record(
            "exams.marksheet_submitted",
            obj=sheet,
            new={"state": sheet.state, "total": sheet.total, "grade": sheet.global_grade},
            actor=examiner,
            detail="Did not attend." if sheet.did_not_attend else "",
        )
    return sheet


def did_not_attend(*, station: Station, booking, examiner) -> Marksheet:
    with transaction.atomic():
        station = Station.objects.select_related("circuit").get(pk=station.pk)
        sheet = _marksheet(station, booking, examiner)
        sheet.did_not_attend = True
        sheet.scores = [None] * len(station.checklist)
        sheet.global_grade = None
        sheet.revision += 1
        sheet.save()
    return submit_marksheet(station=station, booking=booking, examiner=examiner)


def reopen_marksheet(*, sheet: Marksheet, reason: str, by) -> Marksheet:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ExamError("Give the reason: it goes into the audit trail.")
    with transaction.atomic():
        sheet = (
            Marksheet.objects.select_for_update()
            .select_related("station__circuit")
            .get(pk=sheet.pk)
        )
        if sheet.station.circuit.state != CircuitState.RUNNING:
            raise ExamError("The circuit is closed: its marks stay as they are.")
        if sheet.state != MarksheetState.SUBMITTED:
            raise ExamError("The marksheet is still open.")
        sheet.state = MarksheetState.DRAFT
        sheet.submitted_at = None
        sheet.revision += 1
        sheet.save()
        record("exams.marksheet_reopened", obj=sheet, actor=by, detail=reason[:500])
    return sheet


def progress(circuit) -> list[dict]:
    """Per marked station: how many candidates are submitted, being marked, not started."""
    candidates = circuit.candidates.count()
    sheets = {}
    for station_id, state in Marksheet.objects.filter(station__circuit=circuit).values_list(
        "station_id", "state"
    ):
        sheets.setdefault(station_id, []).append(state)
    rows = []
    for station in circuit.stations.filter(is_rest=False).order_by("number"):
        states = sheets.get(station.pk, [])
        submitted = states.count(MarksheetState.SUBMITTED)
        rows.append(
            {
                "station": station,
                "submitted": submitted,
                "marking": len(states) - submitted,
                "waiting": candidates - len(states),
                "candidates": candidates,
            }
        )
    return rows


@transaction.atomic
def close_circuit(*, circuit, by) -> Circuit:
    """RUNNING → CLOSED: every marksheet's total and grade become the candidate's station
    mark; refused while any candidate is unmarked at any marked station."""
    from exams.services.papers import results_in_if_complete

    circuit = _locked(circuit)
    if circuit.state != CircuitState.RUNNING:
        raise ExamError("Only a running circuit can be closed.")
    waiting = [row for row in progress(circuit) if row["submitted"] < row["candidates"]]
    if waiting:
        raise ExamError(
            "Every candidate must be marked (or recorded absent) at every station; still open: "
            + ", ".join(f"station {row['station'].number}" for row in waiting[:12])
            + "."
        )
    stations = {s.pk: s for s in circuit.stations.filter(is_rest=False).select_related("item")}
    items = [s.item for s in stations.values()]
    Mark.objects.filter(item__in=items).delete()
    Mark.objects.bulk_create(
        Mark(
            booking_id=sheet.booking_id,
            item=stations[sheet.station_id].item,
            score=0.0 if sheet.did_not_attend else float(sheet.total),
            grade=None if sheet.did_not_attend else sheet.global_grade,
        )
        for sheet in Marksheet.objects.filter(station_id__in=stations)
    )
    circuit.state = CircuitState.CLOSED
    circuit.closed_at = timezone.now()
    circuit.closed_by = by
    circuit.save(update_fields=["state", "closed_at", "closed_by"])
    record("exams.circuit_closed", obj=circuit, new=_snapshot(circuit), actor=by)
    results_in_if_complete(circuit.sitting, by=by)
    return circuit
