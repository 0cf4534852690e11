"""Candidates' pages: exams open for application, applying, their bookings, adjustments,
withdrawal, results, letters and appeals. A booking is visible to its candidate only (404
for anyone else); results only once released."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from exams import booking_states
from exams.appeal_states import appeal_closes
from exams.booking_states import LIVE, BookingStatus
from exams.forms import AdjustmentForm, AppealForm, ConfirmForm
from exams.letters import results_letter_pdf
from exams.models import Booking, Sitting, SittingStatus
from exams.services.appeals import lodge_appeal
from exams.services.bookings import apply_for_sitting, request_adjustment, withdraw
from exams.services.eligibility import check_eligibility
from exams.services.errors import ExamError
from exams.sitting_states import results_visible
from exams.views.common import posted
from portal.access import login_required_404


def _crumbs(*extra):
    return [
        {"label": "Dashboard", "url": reverse("dashboard")},
        {"label": "Your exams", "url": reverse("exams:my_exams")},
        *extra,
    ]


@login_required_404
def my_exams(request):
    today = timezone.localdate()
    bookings = list(
        Booking.objects.filter(candidate=request.user)
        .select_related("sitting__exam")
        .order_by("-sitting__starts_on", "-pk")
    )
    booked = {b.sitting_id for b in bookings if b.status in LIVE}
    open_sittings = [
        s
        for s in Sitting.objects.filter(
            status=SittingStatus.SCHEDULED,
            applications_open__lte=today,
            applications_close__gte=today,
            exam__published=True,
        ).select_related("exam")
        if s.pk not in booked
    ]
    for booking in bookings:
        booking.results_ready = results_visible(booking.sitting)
    return render(
        request,
        "exams/candidate/my_exams.html",
        {
            "bookings": bookings,
            "open_sittings": open_sittings,
            "breadcrumbs": [{"label": "Dashboard", "url": reverse("dashboard")}],
        },
    )


@login_required_404
def apply(request, pk):
    sitting = get_object_or_404(
        Sitting.objects.select_related("exam"),
        pk=pk,
        status=SittingStatus.SCHEDULED,
        exam__published=True,
    )
    today = timezone.localdate()
    eligibility = check_eligibility(request.user, sitting.exam, on=today, exclude_sitting=sitting)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            booking = apply_for_sitting(sitting, request.user)
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            if booking.status == BookingStatus.CONFIRMED:
                messages.success(
                    request,
                    "Your place is confirmed. "
                    f"Your candidate number is {booking.candidate_number}.",
                )
            else:
                messages.success(
                    request,
                    "The sitting is full: you are on the waiting list. We will confirm "
                    "your place if one comes free.",
                )
            return redirect("exams:booking", booking.pk)
    return render(
        request,
        "exams/candidate/apply.html",
        {
            "sitting": sitting,
            "eligibility": eligibility,
            "open": sitting.accepting_applications(today),
            "form": form,
            "breadcrumbs": _crumbs(),
        },
    )


def _own_booking(request, pk) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("sitting__exam"), pk=pk, candidate=request.user
    )
    return booking


@login_required_404
def booking_detail(request, pk):
    booking = _own_booking(request, pk)
    return render(
        request,
        "exams/candidate/booking.html",
        {
            "booking": booking,
            "adjustments": list(booking.adjustments.all()),
            "can": booking_states.offered(booking, request.user),
            "results_ready": results_visible(booking.sitting),
            "papers": _papers_to_sit(booking),
            "breadcrumbs": _crumbs(),
        },
    )


def _papers_to_sit(booking) -> list[dict]:
    """The sitting's online papers this candidate can sit (or has sat), in words."""
    from exams.models import Attempt, BookingStatus, Paper, PaperState

    if booking.status != BookingStatus.CONFIRMED:
        return []
    papers = Paper.objects.filter(
        sitting=booking.sitting, state__in=(PaperState.FROZEN, PaperState.CLOSED)
    ).select_related("component")
    attempts = {a.paper_id: a for a in Attempt.objects.filter(booking=booking)}
    now = timezone.now()
    rows = []
    for paper in papers:
        attempt = attempts.get(paper.pk)
        if attempt is not None and attempt.submitted_at:
            status = "Submitted"
        elif attempt is not None:
            status = "Started: carry on"
        elif paper.state == PaperState.CLOSED or now >= paper.closes_at:
            status = "Closed"
        elif now < paper.opens_at:
            status = f"Opens {timezone.localtime(paper.opens_at):%-d %B %Y at %H:%M}"
        else:
            status = "Open now"
        rows.append(
            {
                "name": paper.component.name,
                "status": status,
                "url": reverse("exams:paper_start", args=[booking.pk, paper.pk]),
            }
        )
    return rows


@login_required_404
def request_adjustment_view(request, pk):
    booking = _own_booking(request, pk)
    form = AdjustmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            request_adjustment(booking, by=request.user, **form.cleaned_data)
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your request has been sent to the exams team.")
            return redirect("exams:booking", booking.pk)
    return render(
        request,
        "exams/form_page.html",
        {
            "form": form,
            "caption": str(booking.sitting),
            "heading": "Ask for a reasonable adjustment",
            "intro": "The exams team reviews every request and tells you their decision here.",
            "button": "Send request",
            "cancel_url": reverse("exams:booking", args=[booking.pk]),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required_404
def withdraw_view(request, pk):
    booking = _own_booking(request, pk)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            withdraw(booking, by=request.user)
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "You have withdrawn from this sitting.")
            return redirect("exams:my_exams")
    return render(
        request,
        "exams/form_page.html",
        {
            "form": form,
            "caption": str(booking.sitting),
            "heading": "Withdraw from this sitting",
            "intro": "Your place goes to the next candidate on the waiting list. "
            "You can apply again while the application window is open.",
            "button": "Withdraw",
            "warning": True,
            "cancel_url": reverse("exams:booking", args=[booking.pk]),
            "breadcrumbs": _crumbs(),
        },
    )


def _released_result(request, pk):
    booking = _own_booking(request, pk)
    result = getattr(booking, "result", None) if results_visible(booking.sitting) else None
    if result is None:
        raise Http404("Page not found")
    return booking, result


@login_required_404
def result_view(request, pk):
    booking, result = _released_result(request, pk)
    form = AppealForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            lodge_appeal(
                booking,
                grounds=form.cleaned_data["grounds"],
                kind=form.cleaned_data["kind"],
                by=request.user,
            )
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your appeal has been lodged.")
            return redirect("exams:result", booking.pk)
    return render(
        request,
        "exams/candidate/result.html",
        {
            "booking": booking,
            "result": result,
            "appeals": list(booking.appeals.all()),
            "can": booking_states.offered(booking, request.user),
            "appeal_closes": appeal_closes(booking),
            "form": form,
            "breadcrumbs": _crumbs(),
        },
    )


@login_required_404
def letter(request, pk):
    booking, result = _released_result(request, pk)
    response = HttpResponse(results_letter_pdf(booking, result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="results-letter-{booking.pk}.pdf"'
    return response
