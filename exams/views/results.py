"""A sitting's results: the table a page at a time beside the sitting report, the download,
and their release."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from exams.forms import ReleaseForm
from exams.selectors.reports import (
    RESULT_COLUMNS,
    RESULTS_EXPORT_HEADERS,
    reliability,
    result_rows,
    results_export_rows,
    results_in_order,
    sitting_report,
)
from exams.services.errors import ExamError
from exams.services.standards import METHOD_NAMES, hofstee_summary, release
from exams.views.common import EXPORT_FORMATS, crumbs, download, get_sitting, posted, staff_only

RESULTS_PER_PAGE = 100


class CountedPaginator(Paginator):
    """A paginator told its count: the pass-rate summary has already counted the results."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


@staff_only
def results(request, pk):
    sitting = get_sitting(pk)
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return download(
            RESULTS_EXPORT_HEADERS,
            results_export_rows(sitting),
            fmt=fmt,
            filename=f"sitting-{sitting.pk}-results",
            xlsx_type="application/octet-stream",
        )
    report = sitting_report(sitting)
    summary = report["summary"]
    # The candidates a page at a time (the download has them all).
    page = CountedPaginator(
        results_in_order(sitting).values_list(*RESULT_COLUMNS),
        RESULTS_PER_PAGE,
        count=summary["candidates"],
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "exams/manage/results.html",
        {
            "sitting": sitting,
            "rows": result_rows(page.object_list),
            "page": page,
            # The sitting report: reliability and flagged questions beside the pass rates.
            "reliability": reliability(sitting, report),
            "summary": summary,
            "method_name": METHOD_NAMES.get(sitting.standard_method, ""),
            "hofstee": hofstee_summary(sitting),
            "breadcrumbs": crumbs(sitting),
        },
    )


@staff_only
def release_view(request, pk):
    """Release ratified results now, or on a day (at 9am) within the next 90 days."""
    sitting = get_sitting(pk)
    form = ReleaseForm(posted(request))
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
            "breadcrumbs": crumbs(sitting),
        },
    )
