"""Uploaded files are hostile until proven otherwise.

`inspect_upload()` decides what a file is from its bytes, never from its name or the browser's
content type, and only then checks that this agrees with the name's extension. It counts and
hashes the file while streaming it, looks for the tricks hostile files play, and asks clamd when
scanning is configured. Only the `CheckedUpload` it returns may be stored.

This module is the door the rest of the portfolio uses; each concept has its own module:

- portfolio/file_types.py: the accepted types (`ALLOWED_TYPES`, `ACCEPT`, ...);
- portfolio/file_names.py: names as the browser sent them (`check_sent_name`,
  `display_name`, `record_sent_file_names`);
- portfolio/file_contents.py: web pages or SVG dressed as documents, PNG polyglots, text;
- portfolio/office_files.py: Word and Excel files (zip bombs, macros, outside links);
- portfolio/clamd.py: the virus scanner.
"""

import hashlib
import logging
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from portfolio import clamd
from portfolio.errors import UploadRefused
from portfolio.file_contents import (
    MARKUP,
    READ_BYTES,
    SNIFF_BYTES,
    check_binary,
    check_text,
    read_at,
    refuse_markup,
)
from portfolio.file_names import (
    check_sent_name,
    display_name,
    record_sent_file_names,
    shown_name,
)
from portfolio.file_types import (
    ACCEPT,
    ALLOWED_DESCRIPTION,
    ALLOWED_TYPES,
    CSV,
    DOCX,
    JPEG,
    PDF,
    PNG,
    TEXT,
    XLSX,
    ZIP_ARCHIVE,
    FileType,
)
from portfolio.office_files import office_type

# What callers of this module use, wherever it is defined.
__all__ = [
    "ACCEPT",
    "ALLOWED_DESCRIPTION",
    "ALLOWED_TYPES",
    "CSV",
    "DOCX",
    "JPEG",
    "PDF",
    "PNG",
    "TEXT",
    "XLSX",
    "CheckedUpload",
    "FileType",
    "UploadRefused",
    "check_sent_name",
    "display_name",
    "inspect_upload",
    "record_sent_file_names",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check, with what was learned about it."""

    upload: UploadedFile
    name: str
    file_type: FileType
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return self.file_type.content_type


def _limit() -> int:
    return settings.PORTFOLIO_MAX_UPLOAD_BYTES


def _too_large(shown: str) -> UploadRefused:
    size = filesizeformat(_limit())
    return UploadRefused(f"“{shown}” is larger than {size}. Each file must be {size} or smaller.")


def _stream(upload: UploadedFile, shown: str) -> tuple[int, str]:
    """Size and SHA-256, read a chunk at a time; stops as soon as the file is too large."""
    if upload.size is not None and upload.size > _limit():
        raise _too_large(shown)  # decided from the size alone, without reading
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks(READ_BYTES):
        size += len(chunk)
        if size > _limit():
            raise _too_large(shown)
        digest.update(chunk)
    if size == 0:
        raise UploadRefused(f"“{shown}” is empty.")
    return size, digest.hexdigest()


def _sniff(head: bytes) -> FileType | None:
    """The type the first bytes declare, or None for anything that might be text."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return ZIP_ARCHIVE
    return None


def _scan_for_viruses(upload: UploadedFile, shown: str) -> None:
    """Ask clamd, when configured. A virus refuses the file; so does any failure to ask."""
    if not clamd.scanning_enabled():
        return
    try:
        verdict = clamd.instream(upload)
    except OSError as exc:
        logger.warning("Virus scan of an upload failed: %s", exc)
        verdict = ""
    if verdict == clamd.CLEAN:
        return
    if verdict.endswith(" FOUND"):
        signature = verdict.removeprefix("stream:").removesuffix("FOUND").strip()
        logger.warning("Virus scan refused an upload: %s", signature)
        raise UploadRefused(
            f"“{shown}” contains a virus or other harmful software ({shown_name(signature)}), "
            "so it was not accepted."
        )
    if verdict:
        logger.warning("Virus scanner gave an unexpected answer: %s", verdict[:200])
    raise UploadRefused(
        f"We could not check “{shown}” for viruses just now, so it was not accepted. "
        "Try again in a few minutes."
    )


def _mismatch(shown: str, declared: FileType) -> UploadRefused:
    return UploadRefused(
        f"“{shown}” is not really a {declared.label}: its contents do not match its name."
    )


def inspect_upload(
    upload: UploadedFile,
    *,
    allowed: tuple[FileType, ...] = ALLOWED_TYPES,
    allowed_description: str = ALLOWED_DESCRIPTION,
) -> CheckedUpload:
    """Check UPLOAD from its content; raise UploadRefused with a clear message if it fails.

    ALLOWED narrows (or, with CSV, changes) the accepted types; the checks are the same.
    """
    name = display_name(upload.name or "")
    shown = shown_name(name)
    by_extension = {ext: kind for kind in allowed for ext in kind.extensions}
    declared = by_extension.get(os.path.splitext(name)[1].lower())
    if declared is None:
        raise UploadRefused(
            f"“{shown}” is not a type of file we accept. Upload a {allowed_description} file."
        )
    size, sha256 = _stream(upload, shown)
    head = read_at(upload, 0, SNIFF_BYTES)
    detected = _sniff(head)
    if detected is None and MARKUP.search(head):
        raise refuse_markup(shown)
    if detected is ZIP_ARCHIVE:
        if not declared.zip_folder:
            raise _mismatch(shown, declared)
        detected = office_type(upload, declared, shown)
    elif detected is None:
        detected = CSV if declared is CSV else TEXT
    if detected is not declared:
        raise _mismatch(shown, declared)
    if detected in (TEXT, CSV):
        check_text(upload, size, shown)
    elif detected in (PDF, PNG, JPEG):
        check_binary(upload, detected, size, shown)
    _scan_for_viruses(upload, shown)
    upload.seek(0)
    return CheckedUpload(upload=upload, name=name, file_type=detected, size=size, sha256=sha256)
