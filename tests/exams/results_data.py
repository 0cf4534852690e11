"""Results files for tests: the generators in exams.sample_results, and an import helper."""

from django.core.files.uploadedfile import SimpleUploadedFile

from exams.models import Component, ImportKind
from exams.sample_results import (  # noqa: F401  (re-exported for the tests)
    KEY_HEADER,
    OSCE_HEADER,
    SBA_HEADER,
    csv_bytes,
    key_rows,
    osce_rows,
    sba_rows,
    xlsx_bytes,
)
from exams.services.imports import confirm_import, dry_run


def upload(data: bytes, name="results.csv"):
    return SimpleUploadedFile(name, data)


def run_import(sitting, component_code, kind, data, *, by, name="results.csv"):
    component = Component.objects.get(exam=sitting.exam, code=component_code)
    report, pending = dry_run(sitting, component, kind, upload(data, name), by=by)
    assert report.ok, report.errors
    if pending is not None:
        return confirm_import(pending, by=by)
    return report


KEY = ImportKind.KEY
SBA = ImportKind.SBA
OSCE = ImportKind.OSCE
