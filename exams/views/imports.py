"""Importing a sitting's results: the dry run (every row checked, nothing saved), then the
confirmation."""

from django.contrib import messages
from django.shortcuts import redirect, render

from exams.forms import ImportForm
from exams.models import PendingImport
from exams.selectors.sittings import latest_imports
from exams.services.errors import ExamError
from exams.services.imports import confirm_import, dry_run
from exams.views.common import crumbs, get_sitting, posted, staff_only
from portal.limits import allows_uploads


@staff_only
@allows_uploads
def import_results(request, pk):
    """Step 1, the dry run: every row checked, nothing saved; step 2 confirms (below)."""
    sitting = get_sitting(pk)
    components = list(sitting.exam.components.all())
    form = ImportForm(posted(request), request.FILES or None, components=components)
    report = pending = None
    if request.method == "POST" and form.is_valid():
        component = next(c for c in components if str(c.pk) == form.cleaned_data["component"])
        try:
            report, pending = dry_run(
                sitting,
                component,
                form.cleaned_data["kind"],
                form.cleaned_data["file"],
                by=request.user,
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
            "imports": list(latest_imports(sitting)[:20]),
            "breadcrumbs": crumbs(sitting),
        },
    )


@staff_only
def confirm_import_view(request, pk, pending_pk):
    sitting = get_sitting(pk)
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
