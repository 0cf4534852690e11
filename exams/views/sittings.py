"""The exams team's sittings: the list, a new sitting, a sitting's page with what may be done
next (exams.sitting_states decides what is offered), its places, and its moves."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from exams import sitting_states
from exams.forms import CapacityForm, ConfirmForm, SittingForm
from exams.models import Exam
from exams.selectors.sittings import sitting_summary, sittings_with_places
from exams.services import sittings as sitting_services
from exams.services.errors import ExamError
from exams.services.standards import is_osce, ratify
from exams.sitting_states import SittingAction
from exams.views.common import crumbs, get_sitting, posted, staff_only


@staff_only
def sittings(request):
    return render(
        request,
        "exams/manage/sittings.html",
        {"sittings": sittings_with_places(), "breadcrumbs": crumbs()[:1]},
    )


@staff_only
def new_sitting(request):
    exams = list(Exam.objects.order_by("order", "name"))
    form = SittingForm(posted(request), exams=exams)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("exam")
        exam = next(e for e in exams if str(e.pk) == chosen)
        fee = data.pop("fee")
        sitting = sitting_services.create_sitting(
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
            "breadcrumbs": crumbs(),
        },
    )


@staff_only
def sitting_detail(request, pk):
    sitting = get_sitting(pk)
    return render(
        request,
        "exams/manage/sitting.html",
        {
            "sitting": sitting,
            **sitting_summary(sitting),
            "osce": is_osce(sitting),
            "words": sitting_states.words(sitting),
            "next_step": sitting_states.next_step(sitting),
            "can": sitting_states.offered(sitting, request.user),
            "actions": SittingAction,
            "form": ConfirmForm(),
            "breadcrumbs": crumbs(),
        },
    )


# The moves made with one button on the sitting's page: the service, and what it did.
MOVES = {
    SittingAction.SCHEDULE: (
        sitting_services.schedule_sitting,
        "The sitting is scheduled: it takes applications in its window.",
    ),
    SittingAction.CANCEL: (sitting_services.cancel_sitting, "The sitting is cancelled."),
    SittingAction.RATIFY: (ratify, "The results are ratified. They can now be released."),
}


@staff_only
def sitting_move(request, pk, move):
    sitting = get_sitting(pk)
    if move not in MOVES or request.method != "POST":
        return redirect("exams:manage_sitting", sitting.pk)
    action, done = MOVES[SittingAction(move)]
    try:
        action(sitting, by=request.user)
    except ExamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("exams:manage_sitting", sitting.pk)


@staff_only
def capacity_view(request, pk):
    sitting = get_sitting(pk)
    form = CapacityForm(posted(request), initial={"capacity": sitting.capacity})
    if request.method == "POST" and form.is_valid():
        try:
            sitting_services.change_capacity(
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
            "breadcrumbs": crumbs(sitting),
        },
    )
