"""The assessor's queue and review page. An assessor sees only the applications allocated to
them (404 for any other), declares no conflict before the portfolio opens, and sees the other
assessor's review only once every review of the round is in."""

from django.contrib import messages
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accreditation.errors import AccreditationError
from accreditation.forms import ConflictForm, ReviewForm
from accreditation.models import Allocation, Decision, Judgement, Outcome, Review, State
from accreditation.selectors.progress import due_date
from accreditation.services import references, rounds
from accreditation.services.allocation import declare_conflict, declare_no_conflict
from accreditation.services.reviews import draft_of, save_draft, submit_review
from accreditation.states import Action, allowed_actions, tag
from accreditation.views.common import HOME
from portal.access import role_required
from portal.roles import Role
from portfolio import api as portfolio_api

JUDGEMENT_LABELS = dict(Judgement.choices)
STATE_LABELS = dict(State.choices)
# What the queue shows and its due dates read (next_step): an assessor may hold many.
QUEUE_FIELDS = (
    "no_conflict_declared_at",
    "application__state",
    "application__state_changed_at",
    "application__more_evidence_deadline",
    "application__decided_at",
    "application__pathway__name",
    "application__pathway__completeness_days",
    "application__pathway__review_days",
    "application__pathway__decision_days",
    "application__pathway__appeal_days",
)


@role_required(Role.ASSESSOR, Role.LEAD_ASSESSOR)
def queue(request):
    """Three queries whatever the number of allocations."""
    allocations = list(
        Allocation.objects.filter(assessor=request.user, ended_at__isnull=True)
        .select_related("application__pathway")
        .only(*QUEUE_FIELDS)
        .annotate(rounds=Max("application__rounds__number"))
        .order_by("application__state_changed_at")
    )
    reviewed = set(
        Review.objects.filter(assessor=request.user).values_list(
            "round__application_id", "round__number"
        )
    )
    # Rows as plain words: an assessor may hold dozens, and a template reads a dict far faster
    # than it reads model instances.
    rows = []
    for allocation in allocations:
        application = allocation.application
        if (application.pk, allocation.rounds) in reviewed:
            review = "Submitted"
        elif allocation.no_conflict_declared_at is None:
            review = "Declare no conflict first"
        else:
            review = "To do"
        rows.append(
            {
                "url": reverse("accreditation:assess", args=[application.pk]),
                "reference": application.reference,
                "pathway": application.pathway.name,
                "state": STATE_LABELS[application.state],
                "tag": tag(application.state),
                "review": review,
                "due": due_date(application),
            }
        )
    return render(
        request,
        "accreditation/assessor/queue.html",
        {"rows": rows, "breadcrumbs": [HOME]},
    )


@role_required(Role.ASSESSOR, Role.LEAD_ASSESSOR)
def assess(request, pk: int):
    allocation = (
        Allocation.objects.filter(application_id=pk, assessor=request.user, ended_at__isnull=True)
        .select_related("application__pathway", "application__applicant")
        .first()
    )
    if allocation is None:
        raise Http404("Page not found")
    application = allocation.application
    crumbs = [HOME, {"label": "Your assessments", "url": reverse("accreditation:assessor_queue")}]
    if allocation.no_conflict_declared_at is None:
        return _declare(request, application, crumbs)
    current = application.rounds.order_by("-number").first()
    if current is None:
        raise Http404("Page not found")
    reviews = list(current.reviews.select_related("assessor"))
    mine = next((r for r in reviews if r.assessor_id == request.user.pk), None)
    all_in = len(reviews) >= application.pathway.assessors_required
    # Blind until every review is in: the other assessors' reviews are not even loaded
    # into the page's context before then.
    others = [r for r in reviews if r.assessor_id != request.user.pk] if all_in else []
    can_review = mine is None and Action.REVIEW in allowed_actions(application, request.user)
    form = None
    draft = draft_of(current, request.user) if can_review else None
    if can_review:
        saving = request.method == "POST" and request.POST.get("action") == "draft"
        form = ReviewForm(
            request.POST if request.method == "POST" and not saving else None,
            capabilities=current.capabilities,
            items=current.items,
            initial=draft.data if draft else None,
        )
        if saving:
            data = {
                name: request.POST.getlist(name)
                if name.endswith("_evidence")
                else request.POST.get(name, "")
                for name in form.fields
                if name in request.POST
            }
            try:
                save_draft(application=application, assessor=request.user, data=data)
            except AccreditationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    "Your draft has been saved. Only you can see it; submit your review when "
                    "it is finished.",
                )
            return redirect("accreditation:assess", pk)
        if request.method == "POST" and form.is_valid():
            try:
                submit_review(
                    application=application,
                    assessor=request.user,
                    judgements=form.judgements(),
                    recommendation=form.cleaned_data["recommendation"],
                    comment=form.cleaned_data["comment"],
                )
            except AccreditationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Your review has been submitted.")
                return redirect("accreditation:assess", pk)
    titles = {item["id"]: item["title"] for item in current.items}
    # What the last round's decision asked for, so the new evidence can be judged against it.
    asked = (
        Decision.objects.filter(
            round__application=application,
            round__number=current.number - 1,
            outcome=Outcome.MORE_EVIDENCE,
        )
        .select_related("round")
        .first()
    )
    return render(
        request,
        "accreditation/assessor/assess.html",
        {
            "application": application,
            "tag": tag(application.state),
            "round": current,
            "outline": current.snapshot.get("outline", []),
            "items": rounds.items_marked(current),
            "supervisor_reference": references.reference_in(current),
            "draft": draft,
            "earlier_rounds": list(
                application.rounds.filter(number__lt=current.number).values_list(
                    "number", flat=True
                )
            ),
            "asked": asked,
            "asked_for": application.more_evidence_capabilities if asked else [],
            "mine": _readable(mine, titles) if mine else None,
            "others": [_readable(r, titles) for r in others],
            "all_in": all_in,
            "form": form,
            "breadcrumbs": crumbs,
        },
    )


def _readable(review, titles):
    return {
        "review": review,
        "judgements": [
            {
                **row,
                "label": JUDGEMENT_LABELS.get(row["judgement"], row["judgement"]),
                "evidence_titles": [titles.get(i, f"Item {i}") for i in row["evidence"]],
            }
            for row in review.judgements
        ],
    }


def _declare(request, application, crumbs):
    """Who the applicant is, then: no conflict (the portfolio opens) or a conflict (the
    allocation goes back to the faculty office with the reason)."""
    form = ConflictForm(request.POST if request.POST.get("declare") == "conflict" else None)
    if request.method == "POST":
        choice = request.POST.get("declare")
        if choice == "no-conflict":
            declare_no_conflict(application=application, assessor=request.user)
            messages.success(request, "Thank you: the portfolio is open to you.")
            return redirect("accreditation:assess", application.pk)
        if choice == "conflict" and form.is_valid():
            try:
                declare_conflict(
                    application=application,
                    assessor=request.user,
                    reason=form.cleaned_data["conflict"],
                )
            except AccreditationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    f"Thank you: {application.reference} goes back to the faculty office, who "
                    "will allocate another assessor.",
                )
                return redirect("accreditation:assessor_queue")
    applicant = application.applicant
    profile = portfolio_api.profile_of(applicant)
    return render(
        request,
        "accreditation/assessor/declare.html",
        {
            "application": application,
            "applicant_name": applicant.get_full_name() or applicant.email,
            "employer": profile.employer if profile else "",
            "region": portfolio_api.region_name(profile.region) if profile else "",
            "form": form,
            "breadcrumbs": crumbs,
        },
    )
