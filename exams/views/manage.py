"""Exam administrators' pages (404 for everyone else): sittings, candidates, adjustments,
results import (dry run, then confirm), standard setting, item analysis, results, release and
appeals. Every change goes through exams.services; an ExamError shows as the form's error."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from exams import psychometrics
from exams.forms import (
    AppealDecisionForm,
    CapacityForm,
    ConfirmForm,
    DecisionForm,
    ExcludeForm,
    ImportForm,
    JudgeForm,
    JudgementsForm,
    ReleaseForm,
    SittingForm,
    StandardForm,
)
from exams.models import (
    Adjustment,
    AdjustmentStatus,
    Appeal,
    AppealStatus,
    Booking,
    BookingStatus,
    CandidateResult,
    ComponentKind,
    Exam,
    Item,
    PendingImport,
    ResultsImport,
    Sitting,
    SittingStatus,
)
from exams.report_cache import REPORT_CACHE_SECONDS, report_key
from exams.selectors.matrices import sitting_matrix
from exams.services import bookings as booking_services
from exams.services.appeals import decide_appeal
from exams.services.errors import ExamError
from exams.services.imports import confirm_import, dry_run
from exams.services.judgements import parse_judgements, save_judgements
from exams.services.standards import (
    BORDERLINE_REGRESSION,
    METHOD_NAMES,
    is_osce,
    ratify,
    release,
    set_item_excluded,
    set_standard,
)
from exams.spreadsheets import MAX_IMPORT_BYTES, export_rows
from portal.access import role_required
from portal.limits import allows_uploads
from portal.roles import Role
from portfolio.api import profession_name

staff_only = role_required(Role.EXAM_ADMINISTRATOR)
FLAG_WORDS = {
    "hard": "Hard (facility below 0.2)",
    "easy": "Easy (facility above 0.95)",
    "low_discrimination": "Low discrimination (corrected r below 0.1)",
    "no_discrimination": "Does not discriminate",
}


def _posted(request):
    """The POST data, or None for a GET (an empty POST is still a submitted form)."""
    return request.POST if request.method == "POST" else None


def _crumbs(sitting=None):
    crumbs = [
        {"label": "Dashboard", "url": reverse("dashboard")},
        {"label": "Exam sittings", "url": reverse("exams:manage_sittings")},
    ]
    if sitting is not None:
        crumbs.append(
            {"label": str(sitting), "url": reverse("exams:manage_sitting", args=[sitting.pk])}
        )
    return crumbs


def _sitting(pk) -> Sitting:
    return get_object_or_404(Sitting.objects.select_related("exam"), pk=pk)


@staff_only
def sittings(request):
    rows = (
        Sitting.objects.select_related("exam")
        .annotate(
            confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
            waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        )
        .order_by("-starts_on", "-pk")
    )
    return render(
        request,
        "exams/manage/sittings.html",
        {"sittings": rows, "breadcrumbs": _crumbs()[:1]},
    )


@staff_only
def new_sitting(request):
    exams = list(Exam.objects.order_by("order", "name"))
    form = SittingForm(_posted(request), exams=exams)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("exam")
        exam = next(e for e in exams if str(e.pk) == chosen)
        fee = data.pop("fee")
        sitting = booking_services.create_sitting(
            by=request.user, exam=exam, fee_pence=int(fee * 100), **data
        )
        messages.success(request, "The sitting is saved as a draft. Schedule it to publish it.")
        return redirect("exams:manage_sitting", sitting.pk)
    return render(
        request,
        "exams/form_page.html",
        {
            "form": form,
            "heading": "New sitting",
            "intro": "Saved as a draft: nobody sees it until you schedule it.",
            "button": "Save draft sitting",
            "cancel_url": reverse("exams:manage_sittings"),
            "breadcrumbs": _crumbs(),
        },
    )


@staff_only
def sitting_detail(request, pk):
    sitting = _sitting(pk)
    counts = sitting.bookings.aggregate(
        confirmed=Count("pk", filter=Q(status=BookingStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=BookingStatus.WAITING)),
        withdrawn=Count("pk", filter=Q(status=BookingStatus.WITHDRAWN)),
    )
    pending_adjustments = Adjustment.objects.filter(
        booking__sitting=sitting, status=AdjustmentStatus.REQUESTED
    ).count()
    return render(
        request,
        "exams/manage/sitting.html",
        {
            "sitting": sitting,
            "counts": counts,
            "pending_adjustments": pending_adjustments,
            "imports": list(
                ResultsImport.objects.filter(sitting=sitting).select_related(
                    "component", "imported_by"
                )[:20]
            ),
            "open_appeals": Appeal.objects.filter(
                booking__sitting=sitting, status=AppealStatus.LODGED
            ).count(),
            "osce": is_osce(sitting),
            "S": SittingStatus,
            "form": ConfirmForm(),
            "breadcrumbs": _crumbs(),
        },
    )


MOVES = {
    "schedule": (
        booking_services.schedule_sitting,
        "The sitting is scheduled: it takes applications in its window.",
    ),
    "cancel": (booking_services.cancel_sitting, "The sitting is cancelled."),
    "ratify": (ratify, "The results are ratified. They can now be released."),
}


@staff_only
def capacity_view(request, pk):
    sitting = _sitting(pk)
    form = CapacityForm(_posted(request), initial={"capacity": sitting.capacity})
    if request.method == "POST" and form.is_valid():
        try:
            booking_services.change_capacity(
                sitting, capacity=form.cleaned_data["capacity"], by=request.user
            )
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The number of places is changed.")
            return redirect("exams:manage_sitting", sitting.pk)
    return render(
        request,
        "exams/form_page.html",
        {
            "form": form,
            "caption": str(sitting),
            "heading": "Change the number of places",
            "button": "Save places",
            "cancel_url": reverse("exams:manage_sitting", args=[sitting.pk]),
            "breadcrumbs": _crumbs(sitting),
        },
    )


@staff_only
def release_view(request, pk):
    """Release ratified results now, or on a day (at 9am) within the next 90 days."""
    sitting = _sitting(pk)
    form = ReleaseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        at = form.release_at()
        try:
            release(sitting, by=request.user, at=at)
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "The results are released: candidates can see them, and passes are awarded."
                if at is None
                else f"The results will be released at 9am on {at:%-d %B %Y}; passes are "
                "awarded then.",
            )
            return redirect("exams:manage_sitting", sitting.pk)
    return render(
        request,
        "exams/form_page.html",
        {
            "form": form,
            "caption": str(sitting),
            "heading": "Release results",
            "intro": "Each candidate sees their result and letter, and each pass is awarded its "
            "credential on the register. This cannot be undone.",
            "button": "Release results",
            "cancel_url": reverse("exams:manage_sitting", args=[sitting.pk]),
            "breadcrumbs": _crumbs(sitting),
        },
    )


@staff_only
def sitting_move(request, pk, move):
    sitting = _sitting(pk)
    if move not in MOVES or request.method != "POST":
        return redirect("exams:manage_sitting", sitting.pk)
    action, done = MOVES[move]
    try:
        action(sitting, by=request.user)
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("exams:manage_sitting", sitting.pk)


@staff_only
def candidates(request, pk):
    sitting = _sitting(pk)
    bookings = list(
        Booking.objects.filter(sitting=sitting)
        .select_related("candidate")
        .annotate(adjustment_count=Count("adjustments"))
        .order_by("status", "candidate_number", "applied_at")
    )
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = [
            (
                b.candidate_number or "",
                b.candidate.get_full_name(),
                b.candidate.email,
                profession_name(b.profession),
                b.get_status_display(),
                b.attempt_number,
            )
            for b in bookings
        ]
        data = export_rows(
            ["candidate_number", "name", "email", "profession", "status", "attempt"], rows, fmt=fmt
        )
        response = HttpResponse(
            data,
            content_type="text/csv"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="sitting-{sitting.pk}-candidates.{fmt}"'
        )
        return response
    return render(
        request,
        "exams/manage/candidates.html",
        {"sitting": sitting, "bookings": bookings, "breadcrumbs": _crumbs(sitting)},
    )


@staff_only
def adjustments(request, pk):
    sitting = _sitting(pk)
    rows = list(
        Adjustment.objects.filter(booking__sitting=sitting)
        .select_related("booking__candidate")
        .order_by("status", "requested_at")
    )
    return render(
        request,
        "exams/manage/adjustments.html",
        {"sitting": sitting, "adjustments": rows, "breadcrumbs": _crumbs(sitting)},
    )


@staff_only
def decide_adjustment(request, pk):
    adjustment = get_object_or_404(
        Adjustment.objects.select_related("booking__sitting__exam", "booking__candidate"), pk=pk
    )
    sitting = adjustment.booking.sitting
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            booking_services.decide_adjustment(
                adjustment,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The decision is recorded.")
            return redirect("exams:manage_adjustments", sitting.pk)
    return render(
        request,
        "exams/form_page.html",
        {
            "form": form,
            "caption": f"{adjustment.booking.candidate.get_full_name()}, {sitting}",
            "heading": f"Decide: {adjustment.get_kind_display()}",
            "intro": adjustment.details,
            "button": "Record decision",
            "cancel_url": reverse("exams:manage_adjustments", args=[sitting.pk]),
            "breadcrumbs": _crumbs(sitting),
        },
    )


@staff_only
@allows_uploads
def import_results(request, pk):
    """Step 1, the dry run: every row checked, nothing saved; step 2 confirms (below)."""
    sitting = _sitting(pk)
    components = list(sitting.exam.components.all())
    form = ImportForm(_posted(request), request.FILES or None, components=components)
    report = pending = None
    if request.method == "POST" and form.is_valid():
        component = next(c for c in components if str(c.pk) == form.cleaned_data["component"])
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error(
                "file", f"The file must be smaller than {MAX_IMPORT_BYTES // (1024 * 1024)} MB."
            )
        else:
            try:
                report, pending = dry_run(
                    sitting, component, form.cleaned_data["kind"], upload, by=request.user
                )
            except ExamError as exc:
                form.add_error("file", str(exc))
    return render(
        request,
        "exams/manage/import.html",
        {
            "sitting": sitting,
            "form": form,
            "report": report,
            "pending": pending,
            "imports": list(
                ResultsImport.objects.filter(sitting=sitting).select_related("component")[:20]
            ),
            "breadcrumbs": _crumbs(sitting),
        },
    )


@staff_only
def confirm_import_view(request, pk, pending_pk):
    sitting = _sitting(pk)
    if request.method != "POST":
        return redirect("exams:manage_import", sitting.pk)
    pending = PendingImport.objects.filter(pk=pending_pk, sitting=sitting).first()
    if pending is None:  # confirmed already (a second click), or replaced by a newer check
        messages.error(request, "That check is no longer waiting: it was confirmed or replaced.")
        return redirect("exams:manage_import", sitting.pk)
    try:
        report = confirm_import(pending, by=request.user)
    except ExamError as exc:
        messages.error(request, str(exc))
        return redirect("exams:manage_import", sitting.pk)
    messages.success(request, f"Imported: {report.summary}")
    return redirect("exams:manage_sitting", sitting.pk)


@staff_only
@allows_uploads
def standard(request, pk):
    sitting = _sitting(pk)
    osce = is_osce(sitting)
    judgements_form = JudgementsForm(prefix="judgements")
    form = StandardForm(prefix="standard")
    judgement_errors = []
    if request.method == "POST" and request.POST.get("action") == "judgements":
        judgements_form = JudgementsForm(request.POST, request.FILES, prefix="judgements")
        if judgements_form.is_valid():
            upload = judgements_form.cleaned_data["file"]
            try:
                judgements, judgement_errors = parse_judgements(
                    sitting, upload.read(MAX_IMPORT_BYTES + 1), upload.name
                )
                if not judgement_errors:
                    count = save_judgements(sitting, judgements, by=request.user)
                    messages.success(
                        request, f"{count:,} judgements from {len(judgements)} judges saved."
                    )
                    return redirect("exams:manage_standard", sitting.pk)
                judgements_form.add_error("file", "The file has problems: nothing was saved.")
            except ExamError as exc:
                judgements_form.add_error("file", str(exc))
    elif request.method == "POST":
        form = StandardForm(request.POST, prefix="standard")
        if osce:
            form.fields["method"].required = False
        if form.is_valid():
            method = BORDERLINE_REGRESSION if osce else form.cleaned_data["method"]
            try:
                set_standard(
                    sitting,
                    method=method,
                    cut=form.cleaned_data.get("cut"),
                    hofstee_bounds=None if osce else form.hofstee_bounds(),
                    by=request.user,
                )
            except ExamError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The standard is set and every result computed.")
                return redirect("exams:manage_results", sitting.pk)
    judges = sorted(
        set(Item.objects.filter(sitting=sitting).values_list("judgements__judge", flat=True))
        - {None}
    )
    return render(
        request,
        "exams/manage/standard.html",
        {
            "sitting": sitting,
            "osce": osce,
            "form": form,
            "judgements_form": judgements_form,
            "judgement_errors": judgement_errors[:200],
            "judges": judges,
            "method_name": METHOD_NAMES.get(sitting.standard_method, ""),
            "breadcrumbs": _crumbs(sitting),
        },
    )


@staff_only
def enter_judgements(request, pk):
    """One judge's Angoff judgements by hand (a judge entered again replaces their earlier ones)."""
    sitting = _sitting(pk)
    items = list(
        Item.objects.filter(sitting=sitting, component__kind=ComponentKind.SBA, excluded=False)
    )
    form = JudgeForm(_posted(request), items=items)
    if request.method == "POST" and form.is_valid():
        try:
            save_judgements(sitting, form.judgements(), by=request.user)
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Judgements from {form.cleaned_data['judge']} saved.")
            return redirect("exams:manage_standard", sitting.pk)
    return render(
        request,
        "exams/form_page.html",
        {
            "form": form,
            "caption": str(sitting),
            "heading": "Enter a judge's Angoff judgements",
            "intro": "For each question, the probability (0 to 1) that a borderline candidate "
            "answers it correctly."
            if items
            else "Import the answer key first: there are no questions to judge yet.",
            "button": "Save judgements",
            "cancel_url": reverse("exams:manage_standard", args=[sitting.pk]),
            "breadcrumbs": _crumbs(sitting),
        },
    )


def item_analysis_rows(sitting):
    """(analysis, rows) for the sitting's SBA questions, excluded ones listed after."""
    m = sitting_matrix(sitting, kind=ComponentKind.SBA, include_excluded=True)
    if not m.booking_ids or not m.items:
        return None, []
    included = [j for j, item in enumerate(m.items) if not item.excluded]
    analysis = (
        psychometrics.analyse_items(m.scores[:, included], [m.items[j].code for j in included])
        if included
        else None
    )
    stats = {s.id: s for s in analysis.items} if analysis else {}
    rows = []
    for item in m.items:
        s = stats.get(item.code)
        rows.append(
            {"item": item, "stats": s, "flags": [FLAG_WORDS[f] for f in s.flags] if s else []}
        )
    return analysis, rows


@staff_only
def item_analysis(request, pk):
    sitting = _sitting(pk)
    analysis, rows = item_analysis_rows(sitting)
    flagged_only = request.GET.get("flagged") == "1"
    if flagged_only:
        rows = [r for r in rows if r["flags"] or r["item"].excluded]
    return render(
        request,
        "exams/manage/items.html",
        {
            "sitting": sitting,
            "analysis": analysis,
            "rows": rows,
            "flagged_only": flagged_only,
            "editable": sitting.status
            in (SittingStatus.RESULTS_IMPORTED, SittingStatus.STANDARD_SET),
            "breadcrumbs": _crumbs(sitting),
        },
    )


@staff_only
def exclude_item(request, pk, item_pk):
    sitting = _sitting(pk)
    item = get_object_or_404(Item, pk=item_pk, sitting=sitting)
    restoring = item.excluded
    form = ConfirmForm(_posted(request)) if restoring else ExcludeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            set_item_excluded(
                item,
                excluded=not restoring,
                reason=form.cleaned_data.get("reason", ""),
                by=request.user,
            )
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Question {item.code} is {'counted again' if restoring else 'excluded'}; "
                "results are re-scored.",
            )
            return redirect("exams:manage_items", sitting.pk)
    return render(
        request,
        "exams/form_page.html",
        {
            "form": form,
            "caption": str(sitting),
            "heading": f"{'Restore' if restoring else 'Exclude'} question {item.code}",
            "intro": "Every candidate's score is computed again without it."
            if not restoring
            else "The question counts again in every candidate's score.",
            "button": "Restore question" if restoring else "Exclude question",
            "cancel_url": reverse("exams:manage_items", args=[sitting.pk]),
            "breadcrumbs": _crumbs(sitting),
        },
    )


def results_summary(sitting):
    """Pass rates overall and by profession, in one query. It reads the sitting's bookings
    and looks up each one's result by index: joining the other way round, PostgreSQL reads
    every result of every sitting."""
    result = CandidateResult.objects.filter(booking=OuterRef("pk"))
    by_profession = list(
        Booking.objects.filter(sitting=sitting)
        .values("profession")
        .annotate(
            candidates=Count("pk", filter=Q(Exists(result))),
            passed=Count("pk", filter=Q(Exists(result.filter(passed=True)))),
        )
        .filter(candidates__gt=0)
        .order_by("profession")
    )
    total = sum(row["candidates"] for row in by_profession)
    passed = sum(row["passed"] for row in by_profession)
    return {
        "candidates": total,
        "passed": passed,
        "rate": 100 * passed / total if total else None,
        "by_profession": [
            {
                "profession": profession_name(row["profession"]) or "Not given",
                "candidates": row["candidates"],
                "passed": row["passed"],
                "rate": 100 * row["passed"] / row["candidates"],
            }
            for row in by_profession
        ],
    }


RESULTS_PER_PAGE = 100


def sba_reliability(sitting) -> dict:
    """Alpha, SEM and the flagged and excluded questions for an SBA sitting's report. The
    item analysis reads every mark (100,000 for 500 candidates × 200 questions)."""
    analysis, item_rows = item_analysis_rows(sitting)
    return {
        "alpha": analysis.alpha if analysis else None,
        "sem": analysis.sem if analysis else None,
        "flagged": sum(1 for r in item_rows if r["flags"] and not r["item"].excluded),
        "excluded": sum(1 for r in item_rows if r["item"].excluded),
    }


def sitting_report(sitting) -> dict:
    """Pass rates, and for an SBA paper its reliability: computed once per version of the
    sitting's results (exams.report_cache) and kept in the cache."""
    key = report_key(sitting.pk)
    report = cache.get(key)
    if report is None:
        osce = is_osce(sitting)
        summary = results_summary(sitting)
        report = {
            "osce": osce,
            "summary": summary,
            "sba_reliability": sba_reliability(sitting)
            if summary["candidates"] and not osce
            else None,
        }
        cache.set(key, report, REPORT_CACHE_SECONDS)
    return report


class CountedPaginator(Paginator):
    """A paginator told its count: the pass-rate summary has already counted the results."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def one_decimal(value) -> str:
    """143.5 → "143.5", 143.0 → "143": floatformat:"-1", without a template filter per cell."""
    exact = Decimal(repr(float(value)))
    if exact == exact.to_integral_value():
        return str(int(exact))
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))  # 99.95 → "100.0"


RESULT_COLUMNS = (
    "booking__candidate_number",
    "booking__candidate__first_name",
    "booking__candidate__last_name",
    "total",
    "max_total",
    "stations_passed",
    "passed",
    "medal",
)


def result_rows(page_of_values) -> list[dict]:
    """A page of results as the table shows them, written out once in Python: a hundred rows
    through model instances and per-cell filters were most of the page's time."""
    rows = []
    for number, first, last, total, max_total, stations, passed, medal in page_of_values:
        score = f"{one_decimal(total)} / {one_decimal(max_total)}"
        if stations is not None:
            score += f", {stations} stations passed"
        rows.append(
            {
                "number": number,
                "name": f"{first} {last}".strip(),
                "score": score,
                "passed": passed,
                "medal": medal,
            }
        )
    return rows


@staff_only
def results(request, pk):
    sitting = _sitting(pk)
    results_in_order = CandidateResult.objects.filter(booking__sitting=sitting).order_by(
        "booking__candidate_number"
    )
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = list(results_in_order.select_related("booking__candidate"))
        data = export_rows(
            ["candidate_number", "name", "total", "max", "percent", "result", "medal"],
            [
                (
                    r.booking.candidate_number,
                    r.booking.candidate.get_full_name(),
                    round(r.total, 2),
                    r.max_total,
                    round(r.percent, 1),
                    "Pass" if r.passed else "Fail",
                    "Yes" if r.medal else "",
                )
                for r in rows
            ],
            fmt=fmt,
        )
        response = HttpResponse(
            data, content_type="text/csv" if fmt == "csv" else "application/octet-stream"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="sitting-{sitting.pk}-results.{fmt}"'
        )
        return response
    report = sitting_report(sitting)
    summary = report["summary"]
    # The candidates a page at a time (the download has them all).
    page = CountedPaginator(
        results_in_order.values_list(*RESULT_COLUMNS), RESULTS_PER_PAGE, count=summary["candidates"]
    ).get_page(request.GET.get("page"))
    rows = result_rows(page.object_list)
    # The sitting report: reliability and flagged questions beside the pass rates.
    if report["osce"]:
        detail = sitting.standard_detail or {}
        reliability = {"alpha": detail.get("alpha"), "sem": detail.get("sem"), "flagged": None}
    else:
        reliability = report["sba_reliability"] or {"alpha": None, "sem": None, "flagged": None}
    return render(
        request,
        "exams/manage/results.html",
        {
            "sitting": sitting,
            "rows": rows,
            "page": page,
            "reliability": reliability,
            "summary": summary,
            "method_name": METHOD_NAMES.get(sitting.standard_method, ""),
            "breadcrumbs": _crumbs(sitting),
        },
    )


@staff_only
def appeals(request):
    rows = list(
        Appeal.objects.select_related("booking__candidate", "booking__sitting__exam").order_by(
            "status", "lodged_at"
        )
    )
    return render(
        request,
        "exams/manage/appeals.html",
        {"appeals": rows, "breadcrumbs": _crumbs()},
    )


@staff_only
def decide_appeal_view(request, pk):
    appeal = get_object_or_404(
        Appeal.objects.select_related("booking__candidate", "booking__sitting__exam"), pk=pk
    )
    form = AppealDecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            decide_appeal(
                appeal,
                upheld=form.cleaned_data["decision"] == "upheld",
                outcome=form.cleaned_data["outcome"],
                by=request.user,
            )
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The appeal's outcome is recorded.")
            return redirect("exams:manage_appeals")
    return render(
        request,
        "exams/form_page.html",
        {
            "form": form,
            "caption": f"{appeal.booking.candidate.get_full_name()}, {appeal.booking.sitting}",
            "heading": "Decide an appeal",
            "intro": appeal.grounds,
            "button": "Record decision",
            "cancel_url": reverse("exams:manage_appeals"),
            "breadcrumbs": _crumbs(),
        },
    )
