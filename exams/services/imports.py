"""Results imports: an answer key, SBA responses, OSCE station scores. All or nothing.

A file is checked completely (the dry run) before anything is written; any bad row means
nothing is written and the report names every bad row by its number (the header is row 1).
The confirmed import checks again under the sitting's lock, then replaces the component's marks
in one transaction. Importing the file already imported (same SHA-256) changes nothing.

The rows are checked in exams.services.import_rows and written in exams.services.import_writes.
"""

import hashlib

from django.db import transaction

from exams import sitting_states
from exams.models import (
    Component,
    ComponentKind,
    ImportKind,
    PendingImport,
    ResultsImport,
    Sitting,
)
from exams.report_cache import results_changed
from exams.services.errors import ExamError, refuse_if
from exams.services.import_rows import COLUMNS, ImportReport, check_rows
from exams.services.import_writes import write
from exams.sitting_states import SittingAction
from exams.spreadsheets import read_results_file, read_results_upload
from portal.audit import record

__all__ = [
    "COLUMNS",
    "ImportKind",
    "ImportReport",
    "check_file",
    "confirm_import",
    "dry_run",
    "import_data",
]


def _check_importable(sitting: Sitting, component: Component, kind: str) -> None:
    if component.exam_id != sitting.exam_id:
        raise ExamError("That component is not part of this sitting's exam.")
    refuse_if(sitting_states.refusal(sitting, SittingAction.IMPORT_RESULTS))
    wanted = ComponentKind.OSCE if kind == ImportKind.OSCE else ComponentKind.SBA
    if component.kind != wanted:
        raise ExamError(f"A {ImportKind(kind).label} file does not fit {component.name}.")


def check_file(sitting, component, kind, data: bytes, filename: str) -> ImportReport:
    """The dry run: every row checked, nothing written. ExamError for an unreadable file."""
    kind = ImportKind(kind)
    _check_importable(sitting, component, kind)
    dataset = read_results_file(data, filename)
    report = ImportReport(kind=kind, rows=len(dataset))
    check_rows(sitting, component, kind, dataset, report)
    if (
        report.ok
        and ResultsImport.objects.filter(
            sitting=sitting, component=component, kind=kind, sha256=sha256(data)
        ).exists()
    ):
        report.unchanged = True
        report.summary = "This file has been imported already: importing it again changes nothing."
    return report


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dry_run(sitting, component, kind, upload, *, by) -> tuple[ImportReport, PendingImport | None]:
    """Check an uploaded file; keep it for confirmation only if every row is good."""
    data = read_results_upload(upload)
    report = check_file(sitting, component, kind, data, upload.name)
    pending = None
    if report.ok and not report.unchanged:
        # One file waits per person, sitting, paper and kind: an earlier unconfirmed one goes.
        PendingImport.objects.filter(
            sitting=sitting, component=component, kind=kind, uploaded_by=by
        ).delete()
        pending = PendingImport.objects.create(
            sitting=sitting,
            component=component,
            kind=kind,
            filename=(upload.name or "")[-200:],
            data=data,
            sha256=sha256(data),
            uploaded_by=by,
        )
    return report, pending


def confirm_import(pending: PendingImport, *, by) -> ImportReport:
    """Write a checked file, all or nothing, after checking it again under the sitting's lock."""
    with transaction.atomic():
        sitting = Sitting.objects.select_for_update().get(pk=pending.sitting_id)
        pending = PendingImport.objects.select_for_update().filter(pk=pending.pk).first()
        if pending is None:  # a second click, or another administrator, confirmed it first
            raise ExamError("This file has been imported already.")
        component = pending.component
        data = bytes(pending.data)
        report = check_file(sitting, component, pending.kind, data, pending.filename)
        if not report.ok:
            raise ExamError("The file no longer passes its checks: run the dry run again.")
        if not report.unchanged:
            write(sitting, component, pending.kind, report)
            results_changed(sitting.pk)
            ResultsImport.objects.create(
                sitting=sitting,
                component=component,
                kind=pending.kind,
                filename=pending.filename,
                sha256=pending.sha256,
                rows=report.rows,
                imported_by=by,
            )
            record(
                "exams.results_imported",
                obj=sitting,
                actor=by,
                detail=f"{ImportKind(pending.kind).label}: {pending.filename}. {report.summary}",
            )
            moved_to = sitting_states.MOVES[SittingAction.IMPORT_RESULTS].to
            if pending.kind != ImportKind.KEY and sitting.status != moved_to:
                old = sitting.status
                sitting.status = moved_to
                sitting.save(update_fields=["status"])
                record(
                    "exams.sitting_results_imported",
                    obj=sitting,
                    actor=by,
                    old={"status": old},
                    new={"status": sitting.status},
                )
        pending.delete()
        return report


def import_data(sitting, component, kind, data: bytes, filename: str, *, by) -> ImportReport:
    """The dry run and the confirmation in one go, for the demo, the bench and scripts.
    ExamError (nothing written) if any row is bad."""
    report = check_file(sitting, component, kind, data, filename)
    if not report.ok:
        first = "; ".join(f"row {row}: {message}" for row, message in report.errors[:5])
        raise ExamError(f"{report.error_count} bad rows, nothing imported ({first}).")
    if report.unchanged:
        return report
    pending = PendingImport.objects.create(
        sitting=sitting,
        component=component,
        kind=kind,
        filename=filename[-200:],
        data=data,
        sha256=sha256(data),
        uploaded_by=by,
    )
    return confirm_import(pending, by=by)
