"""What the exams team's pages share: who may see them, the sitting or 404, breadcrumbs and
downloads. Every change goes through exams.services; an ExamError shows as the form's error."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from exams.models import Sitting
from exams.spreadsheets import export_rows
from exams.staff import STAFF_ROLE
from portal.access import role_required

# 404 for everyone else (exams.staff.is_staff asks the same of the state modules).
staff_only = role_required(STAFF_ROLE)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def posted(request):
    """The POST data, or None for a GET (an empty POST is still a submitted form)."""
    return request.POST if request.method == "POST" else None


def crumbs(sitting=None) -> list[dict]:
    trail = [
        {"label": "Dashboard", "url": reverse("dashboard")},
        {"label": "Exam sittings", "url": reverse("exams:manage_sittings")},
    ]
    if sitting is not None:
        trail.append(
            {"label": str(sitting), "url": reverse("exams:manage_sitting", args=[sitting.pk])}
        )
    return trail


def get_sitting(pk) -> Sitting:
    return get_object_or_404(Sitting.objects.select_related("exam"), pk=pk)


def download(headers, rows, *, fmt: str, filename: str, xlsx_type: str = XLSX_TYPE):
    """HEADERS and ROWS as a CSV or XLSX attachment, every formula-leading cell escaped."""
    response = HttpResponse(
        export_rows(headers, rows, fmt=fmt),
        content_type="text/csv" if fmt == "csv" else xlsx_type,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


EXPORT_FORMATS = ("csv", "xlsx")
