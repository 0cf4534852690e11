"""OSCE circuits: the exam team sets them up and watches marking; examiners (MFA, on a
tablet) mark the candidates at their station in rotation order. Anyone else gets 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from exams.forms_delivery import CircuitForm, ExaminerForm, MarksheetForm, StationForm
from exams.models import (
    Booking,
    Circuit,
    CircuitCandidate,
    CircuitState,
    ComponentKind,
    ExaminerAllocation,
    Marksheet,
    MarksheetState,
    Sitting,
    Station,
)
from exams.services import osce
from exams.services.errors import ExamError
from exams.views.common import staff_only
from portal.access import role_required
from portal.roles import Role, users_with_role

examiners_only = role_required(Role.EXAMINER)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _crumbs(sitting, *extra):
    return [
        {"label": "Exam sittings", "url": reverse("exams:manage_sittings")},
        {"label": str(sitting), "url": reverse("exams:manage_sitting", args=[sitting.pk])},
        *extra,
    ]


@staff_only
def sitting_circuits(request, pk: int):
    sitting = get_object_or_404(Sitting.objects.select_related("exam"), pk=pk)
    components = list(sitting.exam.components.filter(kind=ComponentKind.OSCE))
    if not components:
        raise Http404("Page not found")
    form = CircuitForm(_posted(request), initial={"day": sitting.starts_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            circuit = osce.create_circuit(
                sitting=sitting,
                component=components[0],
                name=data["name"],
                starts_at=data["starts_at"],
                station_minutes=data["station_minutes"],
                by=request.user,
            )
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{circuit.name} is set up: add its stations.")
            return redirect("exams:manage_circuit", circuit.pk)
    return render(
        request,
        "exams/osce/circuits.html",
        {
            "sitting": sitting,
            "circuits": list(Circuit.objects.filter(sitting=sitting)),
            "form": form,
            "breadcrumbs": _crumbs(sitting),
        },
    )


def _circuit(pk) -> Circuit:
    return get_object_or_404(Circuit.objects.select_related("sitting__exam", "component"), pk=pk)


@staff_only
def circuit_detail(request, pk: int):
    circuit = _circuit(pk)
    station_form = StationForm(_posted(request) if request.POST.get("form") == "station" else None)
    if (
        request.method == "POST"
        and request.POST.get("form") == "station"
        and station_form.is_valid()
    ):
        data = station_form.cleaned_data
        try:
            osce.add_station(
                circuit=circuit,
                title=data["title"],
                checklist=data["lines"],
                is_rest=data["is_rest"],
                by=request.user,
            )
        except ExamError as exc:
            station_form.add_error(None, str(exc))
        else:
            messages.success(request, "Station added.")
            return redirect("exams:manage_circuit", circuit.pk)
    examiners = users_with_role(Role.EXAMINER).order_by("last_name", "first_name")
    stations = list(circuit.stations.prefetch_related("examiners__examiner").order_by("number"))
    placed = list(
        CircuitCandidate.objects.filter(circuit=circuit)
        .select_related("booking__candidate")
        .order_by("start")
    )
    return render(
        request,
        "exams/osce/circuit.html",
        {
            "circuit": circuit,
            "sitting": circuit.sitting,
            "stations": stations,
            "placed": placed,
            "station_form": station_form,
            "examiner_form": ExaminerForm(examiners=examiners),
            "progress": osce.progress(circuit) if circuit.state != CircuitState.SETUP else [],
            "S": CircuitState,
            "breadcrumbs": _crumbs(
                circuit.sitting,
                {
                    "label": "OSCE circuits",
                    "url": reverse("exams:manage_circuits", args=[circuit.sitting_id]),
                },
            ),
        },
    )


@require_POST
@staff_only
def circuit_step(request, pk: int, step: str):
    circuit = _circuit(pk)
    steps = {
        "place": (lambda: osce.place_candidates(circuit=circuit, by=request.user), "Placed."),
        "start": (
            lambda: osce.start_circuit(circuit=circuit, by=request.user),
            "The circuit is running: examiners can mark.",
        ),
        "close": (
            lambda: osce.close_circuit(circuit=circuit, by=request.user),
            "The circuit is closed and its scores recorded.",
        ),
    }
    if step == "examiner":
        station = get_object_or_404(Station, pk=request.POST.get("station") or 0, circuit=circuit)
        form = ExaminerForm(request.POST, examiners=users_with_role(Role.EXAMINER))
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("examiner", ["Choose an examiner."])))
            return redirect("exams:manage_circuit", circuit.pk)
        steps["examiner"] = (
            lambda: osce.allocate_examiner(
                station=station, examiner=form.cleaned_data["examiner"], by=request.user
            ),
            "Examiner allocated.",
        )
    if step not in steps:
        raise Http404("Page not found")
    action, done = steps[step]
    try:
        action()
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("exams:manage_circuit", circuit.pk)


# --- examiners ---------------------------------------------------------------------------


@examiners_only
def my_stations(request):
    allocations = list(
        ExaminerAllocation.objects.filter(
            examiner=request.user, station__circuit__state=CircuitState.RUNNING
        )
        .select_related("station__circuit__sitting__exam")
        .order_by("station__circuit__starts_at", "station__number")
    )
    upcoming = list(
        ExaminerAllocation.objects.filter(
            examiner=request.user, station__circuit__state=CircuitState.SETUP
        ).select_related("station__circuit__sitting__exam")
    )
    return render(
        request,
        "exams/osce/my_stations.html",
        {"allocations": allocations, "upcoming": upcoming},
    )


def _my_station(request, pk) -> Station:
    return get_object_or_404(
        Station.objects.select_related("circuit__sitting__exam", "circuit__component"),
        pk=pk,
        examiners__examiner=request.user,
        is_rest=False,
    )


@never_cache
@examiners_only
def station_candidates(request, pk: int):
    station = _my_station(request, pk)
    sheets = {
        s.booking_id: s
        for s in Marksheet.objects.filter(station=station).only(
            "booking_id", "state", "did_not_attend"
        )
    }
    rows = []
    for n, placed in enumerate(osce.rotation(station), 1):
        sheet = sheets.get(placed.booking_id)
        if sheet is None:
            status = "Not marked"
        elif sheet.did_not_attend:
            status = "Did not attend"
        elif sheet.state == MarksheetState.SUBMITTED:
            status = "Submitted"
        else:
            status = "Being marked"
        rows.append({"rotation": n, "booking": placed.booking, "status": status})
    return render(
        request,
        "exams/osce/station.html",
        {
            "station": station,
            "rows": rows,
            "running": station.circuit.state == CircuitState.RUNNING,
            "breadcrumbs": [{"label": "Your stations", "url": reverse("exams:examiner")}],
        },
    )


@never_cache
@examiners_only
def marksheet(request, pk: int, booking_pk: int):
    station = _my_station(request, pk)
    booking = get_object_or_404(
        Booking, pk=booking_pk, pk__in=station.circuit.candidates.values("booking_id")
    )
    sheet = Marksheet.objects.filter(station=station, booking=booking).first()
    top = station.circuit.component.max_grade
    initial = {"revision": sheet.revision if sheet else 0}
    if sheet:
        initial.update(
            {f"line_{n}": value for n, value in enumerate(sheet.scores) if value is not None}
        )
        initial["global_grade"] = sheet.global_grade
        initial["comment"] = sheet.comment
    form = MarksheetForm(_posted(request), station=station, max_grade=top, initial=initial)
    submitted = sheet is not None and sheet.state == MarksheetState.SUBMITTED
    if request.method == "POST" and not submitted:
        action = request.POST.get("action", "save")
        try:
            if action == "absent":
                osce.did_not_attend(station=station, booking=booking, examiner=request.user)
                messages.success(request, f"{booking.candidate_number}: recorded as absent.")
                return redirect("exams:examiner_station", station.pk)
            if form.is_valid():
                osce.save_marksheet(
                    station=station,
                    booking=booking,
                    examiner=request.user,
                    revision=form.cleaned_data["revision"],
                    scores=form.scores(),
                    global_grade=form.cleaned_data.get("global_grade"),
                    comment=form.cleaned_data.get("comment", ""),
                )
                if action == "submit":
                    osce.submit_marksheet(station=station, booking=booking, examiner=request.user)
                    messages.success(request, f"{booking.candidate_number}: marksheet submitted.")
                    return redirect("exams:examiner_station", station.pk)
                messages.success(request, "Saved.")
                return redirect("exams:examiner_marksheet", station.pk, booking.pk)
        except ExamError as exc:
            form.add_error(None, str(exc))
            # What was saved stands: the page carries on from its revision.
            sheet = Marksheet.objects.filter(station=station, booking=booking).first()
            if sheet is not None:
                form.data = form.data.copy()
                form.data["revision"] = str(sheet.revision)
    return render(
        request,
        "exams/osce/marksheet.html",
        {
            "station": station,
            "booking": booking,
            "sheet": sheet,
            "form": form,
            "submitted": submitted,
            "breadcrumbs": [
                {"label": "Your stations", "url": reverse("exams:examiner")},
                {
                    "label": f"Station {station.number}",
                    "url": reverse("exams:examiner_station", args=[station.pk]),
                },
            ],
        },
    )
