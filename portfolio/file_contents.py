"""What is inside an upload: the tricks hostile files play, judged from their bytes.

Web pages or SVG images dressed as documents (what a browser would run if it sniffed the file),
web page code hidden in a PDF or image (or after a PNG's end), text that is not UTF-8, and PDFs
that act when opened (portfolio/active_content.py). Office files are judged from their zip
directory in portfolio/office_files.py.
"""

import codecs
import re
import struct

from django.core.files.uploadedfile import UploadedFile

from portfolio import active_content
from portfolio.errors import UploadRefused
from portfolio.file_types import PDF, PNG, FileType

SNIFF_BYTES = 64 * 1024
READ_BYTES = 64 * 1024
PNG_MAX_CHUNKS = 100_000
# The start of a web page or SVG image: what a browser would run if it sniffed the file.
MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|svg|iframe|object|embed)[\s/>]", re.IGNORECASE
)


def read_at(upload: UploadedFile, offset: int, length: int) -> bytes:
    upload.seek(offset)
    return upload.read(length)


def damaged(shown: str, file_type: FileType) -> UploadRefused:
    return UploadRefused(f"“{shown}” is damaged or is not a real {file_type.label}.")


def refuse_markup(shown: str) -> UploadRefused:
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


def _has_markup(upload: UploadedFile, start: int, end: int) -> bool:
    """Whether bytes START..END contain the start of a web page, read in overlapping windows."""
    overlap = 16
    position = start
    while position < end:
        window = read_at(upload, position, min(READ_BYTES + overlap, end - position))
        if not window:
            return False
        if MARKUP.search(window):
            return True
        position += READ_BYTES
    return False


def _png_end(upload: UploadedFile, size: int, shown: str) -> int:
    """Walk the PNG's chunks to the end of IEND; returns where any trailing data begins."""
    position = 8
    for count in range(PNG_MAX_CHUNKS):
        header = read_at(upload, position, 8)
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
    raise damaged(shown, PNG)


def check_binary(upload: UploadedFile, file_type: FileType, size: int, shown: str) -> None:
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


def check_text(upload: UploadedFile, size: int, shown: str) -> None:
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
        raise refuse_markup(shown)
