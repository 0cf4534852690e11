"""The exam team's pages for online papers: set a paper up, assemble it against a blueprint,
preview it, freeze it, watch who has started or finished, give one candidate extra time or
re-open their paper (with a reason), and close it."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from exams.forms_delivery import BlueprintForm, PaperForm, ReasonForm
from exams.models import (
    Attempt,
    AttemptState,
    Booking,
    BookingStatus,
    ComponentKind,
    Paper,
    PaperState,
    Response,
    Sitting,
)
from exams.services import attempts as attempt_services
from exams.services import papers as paper_services
from exams.services.errors import ExamError
from exams.views.common import staff_only


def _crumbs(sitting, *extra):
    return [
        {"label": "Exam sittings", "url": reverse("exams:manage_sittings")},
        {"label": str(sitting), "url": reverse("exams:manage_sitting", args=[sitting.pk])},
        *extra,
    ]


def _posted(request):
    return request.POST if request.method == "POST" else None


@staff_only
def sitting_papers(request, pk: int):
    sitting = get_object_or_404(Sitting.objects.select_related("exam"), pk=pk)
    papers = {p.component_id: p for p in Paper.objects.filter(sitting=sitting)}
    components = [
        {"component": c, "paper": papers.get(c.pk)}
        for c in sitting.exam.components.filter(kind=ComponentKind.SBA).order_by("order")
    ]
    missing = [row["component"] for row in components if row["paper"] is None]
    form = PaperForm(
        _posted(request),
        initial={"day": sitting.starts_on, "duration_minutes": 120},
    )
    if request.method == "POST" and missing and form.is_valid():
        component = next(
            (c for c in missing if str(c.pk) == request.POST.get("component")), missing[0]
        )
        data = form.cleaned_data
        try:
            paper = paper_services.create_paper(
                sitting=sitting,
                component=component,
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                duration_minutes=data["duration_minutes"],
                shuffle_questions=data["shuffle_questions"],
                shuffle_options=data["shuffle_options"],
                by=request.user,
            )
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The paper for {component.name} is set up: assemble it.")
            return redirect("exams:manage_paper", paper.pk)
    return render(
        request,
        "exams/papers/sitting.html",
        {
            "sitting": sitting,
            "components": components,
            "missing": missing,
            "form": form,
            "breadcrumbs": _crumbs(sitting),
        },
    )


def _paper(pk) -> Paper:
    return get_object_or_404(Paper.objects.select_related("sitting__exam", "component"), pk=pk)


def _domains(paper):
    counts = {}
    for version in paper_services.approved_versions(paper.sitting.exam):
        counts[version.domain] = counts.get(version.domain, 0) + 1
    for domain in paper.blueprint:
        counts.setdefault(domain, 0)
    return sorted(counts.items())


@staff_only
def paper_detail(request, pk: int):
    paper = _paper(pk)
    form = BlueprintForm(_posted(request), domains=_domains(paper), counts=paper.blueprint)
    if request.method == "POST" and form.is_valid():
        try:
            paper_services.assemble(paper=paper, blueprint=form.blueprint(), by=request.user)
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The paper is assembled. Preview it, then freeze it.")
            return redirect("exams:manage_paper", paper.pk)
    questions = list(paper.questions.select_related("version__question").order_by("order"))
    by_domain = {}
    for question in questions:
        by_domain[question.version.domain] = by_domain.get(question.version.domain, 0) + 1
    return render(
        request,
        "exams/papers/detail.html",
        {
            "paper": paper,
            "sitting": paper.sitting,
            "form": form,
            "questions": questions,
            "by_domain": sorted(by_domain.items()),
            "needed": paper.component.item_count,
            "S": PaperState,
            "letters": "ABCDE",
            "breadcrumbs": _crumbs(
                paper.sitting,
                {"label": "Papers", "url": reverse("exams:manage_papers", args=[paper.sitting_id])},
            ),
        },
    )


@require_POST
@staff_only
def paper_step(request, pk: int, step: str):
    paper = _paper(pk)
    if step == "freeze":
        action, done = paper_services.freeze, "The paper is frozen: candidates can sit it."
    elif step == "close":
        action, done = paper_services.close_paper, "The paper is closed and its answers marked."
    else:
        raise Http404("Page not found")
    try:
        action(paper=paper, by=request.user)
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("exams:manage_paper", paper.pk)


@staff_only
def paper_candidates(request, pk: int):
    """Who has not begun, is answering, or has submitted; in one fixed number of queries."""
    paper = _paper(pk)
    now = timezone.now()
    bookings = list(
        Booking.objects.filter(sitting=paper.sitting, status=BookingStatus.CONFIRMED)
        .select_related("candidate")
        .order_by("candidate_number")
    )
    attempts = {
        a.booking_id: a
        for a in Attempt.objects.filter(paper=paper).annotate(
            answered=Count("responses", filter=~Q(responses__option=""))
        )
    }
    rows = []
    counts = {"not_begun": 0, "answering": 0, "submitted": 0}
    for booking in bookings:
        attempt = attempts.get(booking.pk)
        if attempt is None:
            status = "Not begun"
            counts["not_begun"] += 1
        elif attempt.state == AttemptState.IN_PROGRESS:
            status = "Answering"
            counts["answering"] += 1
        else:
            status = f"Submitted {attempt.get_submitted_how_display().lower()}"
            counts["submitted"] += 1
        rows.append(
            {
                "booking": booking,
                "name": booking.candidate.get_full_name() or booking.candidate.email,
                "attempt": attempt,
                "status": status,
                "answered": attempt.answered if attempt else 0,
                "left": attempt_services.remaining_seconds(attempt, now) // 60
                if attempt and attempt.state == AttemptState.IN_PROGRESS
                else None,
            }
        )
    return render(
        request,
        "exams/papers/candidates.html",
        {
            "paper": paper,
            "rows": rows,
            "counts": counts,
            "total": paper.component.item_count,
            "breadcrumbs": _crumbs(
                paper.sitting,
                {"label": paper.component.name, "url": reverse("exams:manage_paper", args=[pk])},
            ),
        },
    )


@staff_only
def attempt_detail(request, pk: int):
    """One candidate's attempt: give extra time, or re-open it (each with a reason)."""
    attempt = get_object_or_404(
        Attempt.objects.select_related("paper__sitting__exam", "paper__component", "booking"),
        pk=pk,
    )
    action = request.POST.get("action") if request.method == "POST" else ""
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "reopen":
                attempt_services.reopen_attempt(attempt=attempt, by=request.user, **data)
                messages.success(request, "The paper is open again for this candidate.")
            else:
                attempt_services.grant_extra_time(attempt=attempt, by=request.user, **data)
                messages.success(request, f"{data['minutes']} minutes added.")
        except ExamError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("exams:manage_attempt", attempt.pk)
    answered = Response.objects.filter(attempt=attempt).exclude(option="").count()
    return render(
        request,
        "exams/papers/attempt.html",
        {
            "attempt": attempt,
            "paper": attempt.paper,
            "answered": answered,
            "left": attempt_services.remaining_seconds(attempt) // 60,
            "form": form,
            "reopen": attempt.state == AttemptState.SUBMITTED,
            "breadcrumbs": _crumbs(
                attempt.paper.sitting,
                {
                    "label": "Candidates",
                    "url": reverse("exams:manage_paper_candidates", args=[attempt.paper_id]),
                },
            ),
        },
    )
