"""Standard setting: Angoff judgements (imported, or one judge by hand), the standard itself,
and the item analysis where questions are excluded or restored."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from exams import sitting_states
from exams.forms import ConfirmForm, ExcludeForm, JudgeForm, JudgementsForm, StandardForm
from exams.models import ComponentKind, Item
from exams.selectors.reports import item_analysis_rows
from exams.selectors.sittings import judges_of
from exams.services.errors import ExamError
from exams.services.judgements import parse_judgements, save_judgements
from exams.services.standards import (
    BORDERLINE_REGRESSION,
    METHOD_NAMES,
    hofstee_summary,
    is_osce,
    set_item_excluded,
    set_standard,
)
from exams.spreadsheets import read_results_upload
from exams.views.common import crumbs, get_sitting, posted, staff_only
from portal.limits import allows_uploads


def _import_judgements(request, sitting, form) -> tuple[bool, list]:
    """(saved, problems by row) for an uploaded judgements file; nothing is saved on any."""
    upload = form.cleaned_data["file"]
    try:
        judgements, problems = parse_judgements(sitting, read_results_upload(upload), upload.name)
        if problems:
            form.add_error("file", "The file has problems: nothing was saved.")
            return False, problems
        count = save_judgements(sitting, judgements, by=request.user)
    except ExamError as exc:
        form.add_error("file", str(exc))
        return False, []
    messages.success(request, f"{count:,} judgements from {len(judgements)} judges saved.")
    return True, []


@staff_only
@allows_uploads
def standard(request, pk):
    sitting = get_sitting(pk)
    osce = is_osce(sitting)
    judgements_form = JudgementsForm(prefix="judgements")
    form = StandardForm(prefix="standard")
    judgement_errors = []
    if request.method == "POST" and request.POST.get("action") == "judgements":
        judgements_form = JudgementsForm(request.POST, request.FILES, prefix="judgements")
        if judgements_form.is_valid():
            saved, judgement_errors = _import_judgements(request, sitting, judgements_form)
            if saved:
                return redirect("exams:manage_standard", sitting.pk)
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
    return render(
        request,
        "exams/manage/standard.html",
        {
            "sitting": sitting,
            "osce": osce,
            "form": form,
            "judgements_form": judgements_form,
            "judgement_errors": judgement_errors[:200],
            "judges": judges_of(sitting),
            "method_name": METHOD_NAMES.get(sitting.standard_method, ""),
            "hofstee": hofstee_summary(sitting),
            "breadcrumbs": crumbs(sitting),
        },
    )


@staff_only
def enter_judgements(request, pk):
    """One judge's Angoff judgements by hand (a judge entered again replaces their earlier ones)."""
    sitting = get_sitting(pk)
    items = list(
        Item.objects.filter(sitting=sitting, component__kind=ComponentKind.SBA, excluded=False)
    )
    form = JudgeForm(posted(request), items=items)
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
            "breadcrumbs": crumbs(sitting),
        },
    )


@staff_only
def item_analysis(request, pk):
    sitting = get_sitting(pk)
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
            "can": sitting_states.offered(sitting, request.user),
            "breadcrumbs": crumbs(sitting),
        },
    )


@staff_only
def exclude_item(request, pk, item_pk):
    sitting = get_sitting(pk)
    item = get_object_or_404(Item, pk=item_pk, sitting=sitting)
    restoring = item.excluded
    form = ConfirmForm(posted(request)) if restoring else ExcludeForm(posted(request))
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
            "breadcrumbs": crumbs(sitting),
        },
    )
