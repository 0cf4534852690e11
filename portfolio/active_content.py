"""Files that would do something when an assessor opens them are refused.

PDF: an action that runs on opening (/OpenAction, /AA), JavaScript anywhere, launching a
program, embedded files, forms that submit or import data, rich media and XFA forms. Names are
read from the parsed document (pypdf: every object reachable from the trailer, object streams
decoded, #xx escapes undone), never by searching raw bytes, where compressed data would match
by chance. A PDF that cannot be parsed cannot be checked, so it is refused.

Word and Excel: relationships to anything outside the file other than a plain hyperlink
(remote templates, linked OLE objects and frames, external workbook links) and DDE fields. A
hyperlink is allowed: nothing follows it unless the reader clicks it.
"""

import re
import zipfile

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

# PDF names that make a document act on its own.
ACTIVE_PDF_NAMES = {
    "/OpenAction": "runs an action when it is opened",
    "/AA": "runs actions when it is opened or read",
    "/JavaScript": "contains JavaScript",
    "/JS": "contains JavaScript",
    "/Launch": "can start other programs",
    "/EmbeddedFile": "has other files hidden inside it",
    "/EmbeddedFiles": "has other files hidden inside it",
    "/RichMedia": "contains embedded media",
    "/XFA": "contains an XFA form",
    "/SubmitForm": "can send data to a website",
    "/ImportData": "can load data from elsewhere",
    "/GoToR": "opens other documents",
    "/GoToE": "opens other documents",
}

RELS_MAX_BYTES = 1024 * 1024
RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
DDE = re.compile(rb"\bDDE(?:AUTO)?\b|ddeLink", re.IGNORECASE)


def _pdf_names_in_document(upload) -> set[str] | None:
    """Names used as keys or values anywhere in the parsed document; None if it won't parse."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    found: set[str] = set()
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        stack = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        budget = 200_000  # objects visited at most: a hostile file cannot keep us busy
        while stack and budget:
            budget -= 1
            node = stack.pop()
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key in seen:
                    continue
                seen.add(key)
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                for key, value in node.items():
                    found.add(str(key))
                    stack.append(value)
            elif isinstance(node, ArrayObject):
                stack.extend(node)
            elif isinstance(node, NameObject):
                found.add(str(node))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        return None
    return found


UNREADABLE = "could not be read to check it"


def pdf_problem(upload) -> str | None:
    """Why the PDF would act when opened, in words, or None if it would not."""
    names = _pdf_names_in_document(upload)
    if names is None:
        return UNREADABLE
    for name, what in ACTIVE_PDF_NAMES.items():
        if name in names:
            return what
    return None


def office_problem(upload) -> str | None:
    """Why the Word or Excel file reaches outside itself, in words, or None if it does not."""
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        for member in archive.infolist():
            name = member.filename.lower()
            if name.startswith("xl/externallinks/"):
                return "links to other workbooks"
            if not (name.endswith(".rels") or name.endswith(".xml")):
                continue
            if member.file_size > RELS_MAX_BYTES and name.endswith(".rels"):
                return "has a damaged list of links"
            if name.endswith(".rels"):
                problem = _relationships_problem(archive.read(member))
                if problem:
                    return problem
            elif name in {"word/document.xml", "word/settings.xml"} or name.startswith(
                "xl/worksheets/"
            ):
                with archive.open(member) as part:
                    if DDE.search(part.read(RELS_MAX_BYTES)):
                        return "contains DDE fields that run other programs"
    return None


def _relationships_problem(xml: bytes) -> str | None:
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException):
        return "has a damaged list of links"
    for relationship in root.iter(RELATIONSHIP):
        if relationship.get("TargetMode", "").lower() != "external":
            continue
        kind = relationship.get("Type", "")
        if kind == HYPERLINK_TYPE:
            continue
        if kind.endswith("/attachedTemplate"):
            return "loads a template from elsewhere"
        return "loads content from outside the file"
    return None
