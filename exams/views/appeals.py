"""Appeals and re-mark requests, for the exams team: the list, and the decision
(exams.appeal_states decides what is offered)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from exams import appeal_states
from exams.appeal_states import AppealStatus
from exams.forms import AppealDecisionForm
from exams.models import Appeal
from exams.selectors.sittings import appeals_queue
from exams.services.appeals import decide_appeal
from exams.services.errors import ExamError
from exams.views.common import crumbs, posted, staff_only


@staff_only
def appeals(request):
    rows = [(appeal, appeal_states.offered(appeal, request.user)) for appeal in appeals_queue()]
    return render(
        request,
        "exams/manage/appeals.html",
        {"rows": rows, "breadcrumbs": crumbs()},
    )


@staff_only
def decide_appeal_view(request, pk):
    appeal = get_object_or_404(
        Appeal.objects.select_related("booking__candidate", "booking__sitting__exam"), pk=pk
    )
    form = AppealDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            decide_appeal(
                appeal,
                upheld=form.cleaned_data["decision"] == AppealStatus.UPHELD,
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
            "breadcrumbs": crumbs(),
        },
    )
