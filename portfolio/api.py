"""What other apps use from portfolio: clinicians' registration and profiles, read-only.

Other apps import from here rather than from portfolio's models, forms or services
(tests/test_layering.py checks), so portfolio can change its insides freely.
"""

import csv
import io
import re

from django.db.models import OuterRef, Subquery

from portal.regions import Region, region_name
from portal.spreadsheets import is_formula
from portfolio.files import CSV, DOCX, PDF, XLSX, CheckedUpload, UploadRefused, inspect_upload
from portfolio.models import ClinicianProfile, Profession
from portfolio.registration import (
    FORMATS,
    NOT_A_NUMBER,
    NUMBER_MAX_LENGTH,
    Regulator,
    display_number,
    is_registration_number,
    normalise_registration_number,
    number_in_words,
    regulator_for_number,
)

__all__ = [
    "FORMATS",
    "NOT_A_NUMBER",
    "NUMBER_MAX_LENGTH",
    "CheckedUpload",
    "ClinicianProfile",
    "Profession",
    "Region",
    "Regulator",
    "UploadRefused",
    "consents_to_register",
    "display_number",
    "inspect_document",
    "is_registration_number",
    "normalise_registration_number",
    "number_in_words",
    "profession_name",
    "profile_of",
    "region_name",
    "region_of",
    "regulator_for_number",
]


def profession_name(code: str) -> str:
    if not code:
        return ""
    try:
        return Profession(code).label
    except ValueError:
        return code


def profile_of(user) -> ClinicianProfile | None:
    """USER's clinician profile, or None if they have not made one."""
    if user is None or not getattr(user, "is_authenticated", True):
        return None
    return ClinicianProfile.objects.filter(user=user).first()


def region_of(user_ref=None):
    """A subquery: the ICB code on the profile of the user at USER_REF (default the holder)."""
    user_ref = user_ref if user_ref is not None else OuterRef("holder_id")
    return Subquery(ClinicianProfile.objects.filter(user_id=user_ref).values("region")[:1])


def consents_to_register(user_ref=None):
    """A subquery: whether the user at USER_REF (default OuterRef("holder_id")) agreed to
    appear on the public register (None when they have no profile)."""
    user_ref = user_ref if user_ref is not None else OuterRef("holder_id")
    return Subquery(
        ClinicianProfile.objects.filter(user_id=user_ref).values("consent_to_public_register")[:1]
    )


# Documents the faculty publishes on the website (cms): the evidence files' checks, these types.
PUBLISHED_DOCUMENT_TYPES = (PDF, DOCX, XLSX, CSV)
PUBLISHED_DOCUMENT_DESCRIPTION = "PDF, Word (.docx), Excel (.xlsx) or CSV"
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.][0-9]+)?")


def inspect_document(upload) -> CheckedUpload:
    """Check a document for publishing as evidence files are checked (hostile content, macros,
    links outside the file, zip bombs, viruses). A CSV must also hold no cell a spreadsheet
    would run as a formula (a plain number such as -5 is fine). Raises UploadRefused."""
    checked = inspect_upload(
        upload,
        allowed=PUBLISHED_DOCUMENT_TYPES,
        allowed_description=PUBLISHED_DOCUMENT_DESCRIPTION,
    )
    if checked.file_type is CSV:
        upload.seek(0)
        text = io.StringIO(upload.read().decode("utf-8"), newline="")  # UTF-8: checked above
        upload.seek(0)
        try:
            for row_number, row in enumerate(csv.reader(text), start=1):
                for column_number, cell in enumerate(row, start=1):
                    if is_formula(cell) and not _NUMBER.fullmatch(cell.strip()):
                        raise UploadRefused(
                            f"“{checked.name}” has a cell that a spreadsheet would run as a "
                            f"formula (row {row_number}, column {column_number}). Remove the "
                            "formula or start the cell with a quote mark, and upload it again."
                        )
        except csv.Error:
            raise UploadRefused(f"“{checked.name}” is not a readable CSV file.") from None
    return checked
