"""Uploaded files are hostile until proven otherwise.

`inspect_upload()` decides what a file is from its bytes, never from its name or the browser's
content type, and only then checks that this agrees with the name's extension. It looks for the
tricks hostile files play (web pages or SVG dressed as documents, PNG polyglots, zip bombs,
macros), counts and hashes the file while streaming it, and asks clamd when scanning is
configured. Only the `CheckedUpload` it returns may be stored.

Virus scanning itself is in portfolio/clamd.py.

Django quietly strips directories, control and bidi characters from upload names and cuts long
ones to 255 characters. The portfolio refuses such names instead, so views that accept uploads
are wrapped in `record_sent_file_names`, which keeps the names exactly as the browser sent them
for `check_sent_name`.
"""

import codecs
import hashlib
import html
import logging
import os
import re
import struct
import zipfile
from dataclasses import dataclass
from functools import partial, wraps
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http.multipartparser import MultiPartParser
from django.template.defaultfilters import filesizeformat
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from portal.limits import allows_uploads
from portal.text import has_hidden_characters, without_hidden_characters
from portfolio import active_content, clamd
from portfolio.errors import PortfolioError

logger = logging.getLogger(__name__)


class UploadRefused(PortfolioError):
    """A file was not accepted; the message says which and why."""


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]
    zip_folder: str = ""  # Office files: the folder their main part lives in


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
PNG = FileType("png", "PNG image", "image/png", (".png",))
JPEG = FileType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg"))
DOCX = FileType(
    "docx",
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    zip_folder="word/",
)
XLSX = FileType(
    "xlsx",
    "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    zip_folder="xl/",
)
TEXT = FileType("text", "plain text file", "text/plain", (".txt",))
# Not an evidence type: the CMS's published documents (portfolio.api.inspect_document).
CSV = FileType("csv", "CSV file", "text/csv", (".csv",))
_ZIP = FileType("zip", "zip archive", "application/zip", ())  # until we know which Office file
ALLOWED_TYPES = (PDF, PNG, JPEG, DOCX, XLSX, TEXT)
TYPE_BY_EXTENSION = {ext: kind for kind in ALLOWED_TYPES for ext in kind.extensions}
ACCEPT = ",".join(TYPE_BY_EXTENSION)  # for the file input's accept attribute
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or plain text (.txt)"

MAX_SENT_NAME_LENGTH = 255
MAX_DISPLAY_NAME_LENGTH = 150  # EvidenceFile.original_name
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

# Office files are zip archives: judged from their directory, never by extracting them.
ZIP_MAX_MEMBERS = 1000
ZIP_MAX_TOTAL_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_MIN_BYTES = 1024 * 1024  # small parts may compress well without harm

SNIFF_BYTES = 64 * 1024
READ_BYTES = 64 * 1024
PNG_MAX_CHUNKS = 100_000
# The start of a web page or SVG image: what a browser would run if it sniffed the file.
MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|svg|iframe|object|embed)[\s/>]", re.IGNORECASE
)


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


# --- names ---------------------------------------------------------------------------------


def _shown(name: str, limit: int = 60) -> str:
    """NAME made safe to repeat in a message: visible characters only, not too long."""
    visible = without_hidden_characters(name)
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


def check_sent_name(name: str) -> None:
    """Refuse a file name that plays a trick, as the browser sent it (before Django tidies it)."""
    name = html.unescape(name)  # Django unescapes before stripping; so do we
    shown = _shown(name)
    if "\x00" in name:
        raise UploadRefused(f"The name of “{shown}” contains a hidden null character.")
    if any(ch in BIDI_CONTROLS for ch in name):
        raise UploadRefused(
            f"The name of “{shown}” contains characters that reverse the direction of text, "
            "which can disguise what kind of file it is. Rename the file and try again."
        )
    if has_hidden_characters(name):
        raise UploadRefused(f"The name of “{shown}” contains hidden control characters.")
    if "../" in name or "..\\" in name or name.strip() in {"..", "."}:
        raise UploadRefused(
            f"The name of “{shown}” points outside its folder (it contains “../”). "
            "Rename the file and try again."
        )
    if len(name) > MAX_SENT_NAME_LENGTH:
        raise UploadRefused(
            f"The name of “{shown}” is {len(name)} characters long. "
            f"File names must be {MAX_SENT_NAME_LENGTH} characters or fewer."
        )


def display_name(name: str) -> str:
    """The name to show and to offer on download: no folders, at most 150 characters."""
    check_sent_name(name)
    base = re.split(r"[/\\]", name)[-1]
    base = " ".join(base.split())
    stem, ext = os.path.splitext(base)
    ext = ext[:10]
    if len(base) > MAX_DISPLAY_NAME_LENGTH:
        base = stem[: MAX_DISPLAY_NAME_LENGTH - len(ext)].rstrip() + ext
    return base


class _NameRecordingParser(MultiPartParser):
    def __init__(self, *args, sent_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sent_names = sent_names

    def sanitize_file_name(self, file_name):
        self.sent_names.append(file_name)
        return super().sanitize_file_name(file_name)


def record_sent_file_names(view):
    """Keep upload names as sent in `request.sent_file_names`.

    The multipart body must be parsed by our parser, so CSRF is checked inside this wrapper
    rather than by the middleware (which would parse the body first).
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.sent_file_names = []
        request.multipart_parser_class = partial(
            _NameRecordingParser, sent_names=request.sent_file_names
        )
        return protected(request, *args, **kwargs)

    # Evidence pages are where large bodies are expected (portal/limits.py).
    return allows_uploads(wrapper)


# --- content -------------------------------------------------------------------------------


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


def _read_at(upload: UploadedFile, offset: int, length: int) -> bytes:
    upload.seek(offset)
    return upload.read(length)


def _sniff(head: bytes) -> FileType | None:
    """The type the first bytes declare, or None for anything that might be text."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _ZIP
    return None


def _has_markup(upload: UploadedFile, start: int, end: int) -> bool:
    """Whether bytes START..END contain the start of a web page, read in overlapping windows."""
    overlap = 16
    position = start
    while position < end:
        window = _read_at(upload, position, min(READ_BYTES + overlap, end - position))
        if not window:
            return False
        if MARKUP.search(window):
            return True
        position += READ_BYTES
    return False


def _refuse_markup(shown: str) -> UploadRefused:
    return UploadRefused(
        f"“{shown}” looks like a web page or SVG image, which could run code when opened, "
        "so it was not accepted. Save it as a PDF and upload that instead."
    )


def _refuse_hidden_markup(shown: str, file_type: FileType) -> UploadRefused:
    return UploadRefused(
        f"“{shown}” has web page code hidden inside the {file_type.label}, so it was not "
        "accepted. Save it again (for example by printing it to a new PDF or taking a "
        "screenshot) and upload that."
    )


def _damaged(shown: str, file_type: FileType) -> UploadRefused:
    return UploadRefused(f"“{shown}” is damaged or is not a real {file_type.label}.")


def _png_end(upload: UploadedFile, size: int, shown: str) -> int:
    """Walk the PNG's chunks to the end of IEND; returns where any trailing data begins."""
    position = 8
    for count in range(PNG_MAX_CHUNKS):
        header = _read_at(upload, position, 8)
        if len(header) < 8:
            break
        length, chunk_type = struct.unpack(">I4s", header)
        if count == 0 and chunk_type != b"IHDR":
            break
        position += 12 + length  # length, type, data, CRC
        if position > size:
            break
        if chunk_type == b"IEND":
            return position
    raise _damaged(shown, PNG)


def _check_binary(upload: UploadedFile, file_type: FileType, size: int, shown: str) -> None:
    """PDF and images: no web page in their first or last bytes, nor after a PNG's end."""
    if _has_markup(upload, 0, min(size, SNIFF_BYTES)):
        raise _refuse_hidden_markup(shown, file_type)
    if size > SNIFF_BYTES and _has_markup(upload, max(SNIFF_BYTES, size - SNIFF_BYTES), size):
        raise _refuse_hidden_markup(shown, file_type)
    if file_type is PNG:
        end = _png_end(upload, size, shown)
        if end < size and _has_markup(upload, end, size):
            raise _refuse_hidden_markup(shown, file_type)
    if file_type is PDF:
        problem = active_content.pdf_problem(upload)
        if problem:
            raise UploadRefused(
                f"“{shown}” {problem}, so it was not accepted: assessors open these files. "
                "Print it to a new PDF (or save it as PDF/A) and upload that instead."
            )


def _check_text(upload: UploadedFile, size: int, shown: str) -> None:
    """UTF-8 throughout, no NUL bytes, and not a web page or SVG image near the start."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        while chunk := upload.read(READ_BYTES):
            if b"\x00" in chunk:
                raise UploadRefused(f"“{shown}” contains binary data, so it is not plain text.")
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise UploadRefused(
            f"“{shown}” is not plain text saved as UTF-8. "
            "Save it as UTF-8 text, or as a PDF, and try again."
        ) from None
    if _has_markup(upload, 0, min(size, SNIFF_BYTES)):
        raise _refuse_markup(shown)


def _unsafe_member_name(name: str) -> bool:
    if "\x00" in name or name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in PurePosixPath(name.replace("\\", "/")).parts


def _office_type(upload: UploadedFile, declared: FileType, shown: str) -> FileType:
    """Which Office file the zip is, judged from its directory without extracting anything."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error):
        raise _damaged(shown, declared) from None
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
        for office in (declared, DOCX, XLSX):
            if any(name.startswith(office.zip_folder) for name in names):
                _refuse_outside_content(upload, office, shown)
                return office
    raise _damaged(shown, declared)


def _refuse_outside_content(upload: UploadedFile, office: FileType, shown: str) -> None:
    try:
        problem = active_content.office_problem(upload)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error, RuntimeError):
        raise _damaged(shown, office) from None
    if problem:
        raise UploadRefused(
            f"“{shown}” {problem}, so it was not accepted: assessors open these files. "
            f"Save a copy without links to other files (or as a PDF) and upload that instead."
        )


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
            f"“{shown}” contains a virus or other harmful software ({_shown(signature)}), "
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
    shown = _shown(name)
    by_extension = {ext: kind for kind in allowed for ext in kind.extensions}
    declared = by_extension.get(os.path.splitext(name)[1].lower())
    if declared is None:
        raise UploadRefused(
            f"“{shown}” is not a type of file we accept. Upload a {allowed_description} file."
        )
    size, sha256 = _stream(upload, shown)
    head = _read_at(upload, 0, SNIFF_BYTES)
    detected = _sniff(head)
    if detected is None and MARKUP.search(head):
        raise _refuse_markup(shown)
    if detected is _ZIP:
        if not declared.zip_folder:
            raise _mismatch(shown, declared)
        detected = _office_type(upload, declared, shown)
    elif detected is None:
        detected = CSV if declared is CSV else TEXT
    if detected is not declared:
        raise _mismatch(shown, declared)
    if detected in (TEXT, CSV):
        _check_text(upload, size, shown)
    elif detected in (PDF, PNG, JPEG):
        _check_binary(upload, detected, size, shown)
    _scan_for_viruses(upload, shown)
    upload.seek(0)
    return CheckedUpload(upload=upload, name=name, file_type=detected, size=size, sha256=sha256)
