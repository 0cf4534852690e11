"""The exams team's view of a sitting's candidates: the list (and its download) and their
reasonable adjustments, decided here (exams.adjustment_states decides what is offered)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from exams import adjustment_states
from exams.adjustment_states import Decision
from exams.forms import DecisionForm
from exams.models import Adjustment
from exams.selectors.sittings import (
    CANDIDATES_EXPORT_HEADERS,
    adjustments_of,
    candidates_export_rows,
    candidates_of,
)
from exams.services import bookings as booking_services
from exams.services.errors import ExamError
from exams.views.common import EXPORT_FORMATS, crumbs, download, get_sitting, posted, staff_only


@staff_only
def candidates(request, pk):
    sitting = get_sitting(pk)
    bookings = candidates_of(sitting)
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return download(
            CANDIDATES_EXPORT_HEADERS,
            candidates_export_rows(bookings),
            fmt=fmt,
            filename=f"sitting-{sitting.pk}-candidates",
        )
    return render(
        request,
        "exams/manage/candidates.html",
        {"sitting": sitting, "bookings": bookings, "breadcrumbs": crumbs(sitting)},
    )


@staff_only
def adjustments(request, pk):
    sitting = get_sitting(pk)
    rows = [
        (adjustment, adjustment_states.offered(adjustment, request.user))
        for adjustment in adjustments_of(sitting)
    ]
    return render(
        request,
        "exams/manage/adjustments.html",
        {"sitting": sitting, "rows": rows, "breadcrumbs": crumbs(sitting)},
    )


@staff_only
def decide_adjustment(request, pk):
    adjustment = get_object_or_404(
        Adjustment.objects.select_related("booking__sitting__exam", "booking__candidate"), pk=pk
    )
    sitting = adjustment.booking.sitting
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            booking_services.decide_adjustment(
                adjustment,
                approve=form.cleaned_data["decision"] == Decision.APPROVE,
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
            "breadcrumbs": crumbs(sitting),
        },
    )
