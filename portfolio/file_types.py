"""The kinds of file the portfolio accepts, and how each is named and served.

A file's type is decided from its bytes (portfolio/files.py); the extension must then agree.
"""

from dataclasses import dataclass


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
# What a file starting like a zip is, until its directory says which Office file it is.
ZIP_ARCHIVE = FileType("zip", "zip archive", "application/zip", ())
OFFICE_TYPES = (DOCX, XLSX)
ALLOWED_TYPES = (PDF, PNG, JPEG, DOCX, XLSX, TEXT)
TYPE_BY_EXTENSION = {ext: kind for kind in ALLOWED_TYPES for ext in kind.extensions}
ACCEPT = ",".join(TYPE_BY_EXTENSION)  # for the file input's accept attribute
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) or plain text (.txt)"
