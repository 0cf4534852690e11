"""Word and Excel files are zip archives: judged from their directory, never by extracting them.

Too many parts, a "zip bomb", unsafe part names, a password, macros, or links to content
outside the file (portfolio/active_content.py) refuse the file.
"""

import re
import struct
import zipfile
from pathlib import PurePosixPath

from django.core.files.uploadedfile import UploadedFile

from portfolio import active_content
from portfolio.errors import UploadRefused
from portfolio.file_contents import damaged
from portfolio.file_types import OFFICE_TYPES, FileType

ZIP_MAX_MEMBERS = 1000
ZIP_MAX_TOTAL_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_MIN_BYTES = 1024 * 1024  # small parts may compress well without harm


def _unsafe_member_name(name: str) -> bool:
    if "\x00" in name or name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in PurePosixPath(name.replace("\\", "/")).parts


def office_type(upload: UploadedFile, declared: FileType, shown: str) -> FileType:
    """Which Office file the zip is, judged from its directory without extracting anything."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error):
        raise damaged(shown, declared) from None
    if len(members) > ZIP_MAX_MEMBERS:
        raise UploadRefused(f"“{shown}” is made of too many parts to be a normal document.")
    total = 0
    for member in members:
        if _unsafe_member_name(member.filename):
            raise UploadRefused(f"“{shown}” contains parts with unsafe names.")
        if member.flag_bits & 0x1:
            raise UploadRefused(
                f"“{shown}” is password-protected. Remove the password and upload it again."
            )
        total += member.file_size
        ratio_too_high = member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1)
        if total > ZIP_MAX_TOTAL_BYTES or (
            member.file_size > ZIP_RATIO_MIN_BYTES and ratio_too_high
        ):
            raise UploadRefused(
                f"“{shown}” would expand to far more data than its size suggests "
                "(a “zip bomb”), so it was not accepted."
            )
        if member.filename.lower().endswith("vbaproject.bin"):
            raise UploadRefused(
                f"“{shown}” contains macros. Save it without macros "
                "(as .docx or .xlsx) and upload it again."
            )
    names = {member.filename for member in members}
    if "[Content_Types].xml" in names:
        for office in (declared, *OFFICE_TYPES):
            if any(name.startswith(office.zip_folder) for name in names):
                _refuse_outside_content(upload, office, shown)
                return office
    raise damaged(shown, declared)


def _refuse_outside_content(upload: UploadedFile, office: FileType, shown: str) -> None:
    try:
        problem = active_content.office_problem(upload)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error, RuntimeError):
        raise damaged(shown, office) from None
    if problem:
        raise UploadRefused(
            f"“{shown}” {problem}, so it was not accepted: assessors open these files. "
            f"Save a copy without links to other files (or as a PDF) and upload that instead."
        )
