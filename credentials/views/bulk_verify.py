"""Bulk verification for commissioners: a CSV of registration numbers in, a table out.

Nothing is stored: the upload is read in memory, and the download buttons post back a signed
list of the numbers, which are looked up again (so a download is as current as the page).
Like the public register, it lists only clinicians who agreed to appear on the register.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from credentials.bulk_files import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    BulkFileError,
    MemoryOnlyUploadHandler,
    read_numbers,
    results_csv,
    results_xlsx,
)
from credentials.selectors.register import public_record, register_entries_for_numbers
from portal.access import role_required
from portal.roles import Role
from portfolio.api import is_registration_number, number_with_register

SIGNING_SALT = "credentials.bulk-verify"
PAYLOAD_MAX_AGE = 60 * 60
NOT_FOUND = "No credential found"
INVALID = "Not a valid registration number"
TOO_LARGE = f"The file must be smaller than {MAX_UPLOAD_BYTES // 1024} KB."
EXPIRED_MESSAGE = "These results have expired. Upload the file again to download them."
FORMATS = {
    "csv": ("text/csv; charset=utf-8", results_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        results_xlsx,
    ),
}


@dataclass(frozen=True)
class ResultRow:
    number: str
    holder: str = ""
    credential: str = ""
    serial: str = ""
    status: str = NOT_FOUND
    valid_until: datetime.date | None = None
    found: bool = False
    tag_colour: str = "grey"
    url: str = ""  # the verification page (not in the downloads)

    @property
    def shown_number(self) -> str:
        """ "GMC 7012345": with its register, when it is a number at all."""
        return self.number if self.status == INVALID else number_with_register(self.number)

    def cells(self) -> tuple[str, ...]:
        until = self.valid_until.isoformat() if self.valid_until else ""
        if self.found and not self.valid_until:
            until = "No end date"
        return (self.shown_number, self.holder, self.credential, self.serial, self.status, until)


def result_rows(numbers: list[str]) -> list[ResultRow]:
    """One row per credential of each number; a number in no register's format says so."""
    today = timezone.localdate()
    valid = [number for number in numbers if is_registration_number(number)]
    entries = register_entries_for_numbers(valid)
    rows = []
    for number in numbers:
        if number not in entries:
            rows.append(ResultRow(number=number, status=INVALID, tag_colour="orange"))
            continue
        credentials = entries.get(number) or []
        if not credentials:
            rows.append(ResultRow(number=number))
        for credential in credentials:
            record = public_record(credential, today)
            rows.append(
                ResultRow(
                    number=number,
                    holder=credential.holder_name,
                    credential=credential.title,
                    serial=credential.serial,
                    status=record.status_words,
                    valid_until=credential.valid_until,
                    found=True,
                    tag_colour=record.tag_colour,
                    url=credential.get_absolute_url(),
                )
            )
    return rows


class BulkVerifyForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV or Excel file",
        required=False,
        help_text=(
            f"One registration number on each row: in a column headed “Registration number”, "
            f"or in the first column. At most {MAX_ROWS:,} rows and "
            f"{MAX_UPLOAD_BYTES // 1024} KB."
        ),
        error_messages={
            "empty": "The file is empty. Put one registration number on each row.",
            "invalid": "Choose a CSV or Excel file of registration numbers to upload.",
            "missing": "Choose a CSV or Excel file of registration numbers to upload.",
        },
    )

    def __init__(self, *args, problem: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.problem = problem  # found before the form saw the file (size, stale results)
        self.numbers: list[str] = []
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean_file(self):
        if self.problem:
            raise forms.ValidationError(self.problem)
        upload = self.cleaned_data.get("file")
        try:
            self.numbers = read_numbers(upload)
        except BulkFileError as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


def _breadcrumbs():
    return [{"label": "Dashboard", "url": reverse("dashboard")}]


@role_required(Role.COMMISSIONER)
@csrf_exempt  # checked by _upload, once the upload handler below is in place
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request):
    handler = MemoryOnlyUploadHandler(request)
    request.upload_handlers = [handler]
    return _upload(request, handler)


@csrf_protect
def _upload(request, handler: MemoryOnlyUploadHandler):
    if request.method != "POST":
        return _upload_page(request, BulkVerifyForm())
    data, files = request.POST, request.FILES  # parsed now, through the handler
    form = BulkVerifyForm(data, files, problem=TOO_LARGE if handler.too_large else "")
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    rows = result_rows(form.numbers)
    payload = signing.dumps(
        {"user": request.user.pk, "numbers": form.numbers}, salt=SIGNING_SALT, compress=True
    )
    response = render(
        request,
        "credentials/verify/bulk_results.html",
        {
            "rows": rows,
            "checked": len(form.numbers),
            "found": len({row.number for row in rows if row.found}),
            "invalid": sum(1 for row in rows if row.status == INVALID),
            "payload": payload,
            "breadcrumbs": _breadcrumbs(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def _upload_page(request, form, status=200):
    return render(
        request,
        "credentials/verify/bulk_upload.html",
        {"form": form, "breadcrumbs": _breadcrumbs()},
        status=status,
    )


@role_required(Role.COMMISSIONER)
@require_POST
def download(request):
    """The results again, as CSV or XLSX, for the numbers in the signed payload."""
    try:
        data = signing.loads(
            request.POST.get("payload", ""), salt=SIGNING_SALT, max_age=PAYLOAD_MAX_AGE
        )
    except signing.BadSignature:
        data = None
    numbers = data.get("numbers") if isinstance(data, dict) else None
    valid = (
        isinstance(data, dict)
        and data.get("user") == request.user.pk
        and isinstance(numbers, list)
        and len(numbers) <= MAX_ROWS
        and all(isinstance(number, str) for number in numbers)
    )
    chosen = request.POST.get("format")
    problem = "" if valid else EXPIRED_MESSAGE
    if valid and chosen not in FORMATS:
        problem = "Choose the CSV or the Excel download, then try again."
    if problem:
        form = BulkVerifyForm({}, problem=problem)
        form.is_valid()
        return _upload_page(request, form, status=400)
    content_type, write = FORMATS[chosen]
    response = HttpResponse(write([row.cells() for row in result_rows(numbers)]), content_type)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="verification-{stamp}.{chosen}"'
    response["Cache-Control"] = "no-store"
    return response
