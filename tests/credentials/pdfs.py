"""Reading PDFs back in tests: pyHanko for signatures, pypdf for text, tags and metadata.

WeasyPrint writes text as 2-byte glyph codes in TJ arrays; each font's ToUnicode map turns them
back into characters (pdf_text, whitespace removed). pypdf's extract_text gives the text as a
reader would copy it, spaces and all (extracted_text).
"""

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from credentials import issuer

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _unicode_map(data: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = int(dst, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def pdf_pages(pdf: bytes):
    reader = PdfFileReader(io.BytesIO(pdf))
    return reader, [page.get_object() for page in reader.root["/Pages"]["/Kids"]]


def pdf_text(pdf: bytes) -> str:
    """The page text, with all whitespace removed (line breaks fall anywhere)."""
    _, pages = pdf_pages(pdf)
    out = []
    for page in pages:
        fonts = {
            str(name): _unicode_map(font.get_object()["/ToUnicode"].data)
            for name, font in page["/Resources"]["/Font"].items()
        }
        contents = page["/Contents"]
        data = (
            contents.data
            if hasattr(contents, "data")
            else b"".join(c.get_object().data for c in contents)
        )
        current: dict[int, str] = {}
        for match in re.finditer(rb"(/\S+) [\d.]+ Tf|\[([^\[\]]*)\] TJ|<([0-9A-Fa-f]+)> Tj", data):
            if match.group(1):
                current = fonts[match.group(1).decode()]
            else:
                codes = _HEX.findall(match.group(2) or b"<" + match.group(3) + b">")
                glyphs = [h[i : i + 4] for h in codes for i in range(0, len(h), 4)]  # 2 bytes each
                out.append("".join(current.get(int(g, 16), "?") for g in glyphs))
    return "".join("".join(out).split())


def has_attachments(pdf: bytes) -> bool:
    reader, pages = pdf_pages(pdf)
    names = reader.root.get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        return True
    for page in pages:
        for annot in page.get("/Annots", []):
            if annot.get_object().get("/Subtype") == "/FileAttachment":
                return True
    return b"/EmbeddedFile" in pdf


def validation(pdf: bytes):
    """(the embedded signature, its validation status) trusting the issuer's certificate."""
    reader = PdfFileReader(io.BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[issuer.load_pdf_keys().certificate])
    return signature, validate_pdf_signature(signature, context)


PDFUA_ID = "{http://www.aiim.org/pdfua/ns/id/}"
PDFA_ID = "{http://www.aiim.org/pdfa/ns/id/}"


@dataclass(frozen=True)
class Tagging:
    """What a tagged PDF declares in its catalog and XMP metadata, and its structure tree."""

    marked: bool
    lang: str
    display_doc_title: bool
    title: str
    xmp_title: str
    pdfua_part: str
    pdfa_part: str
    structure: list[str]  # structure element types in document (reading) order
    figure_alts: list[str]


def _structure(node, types, alts):
    node = node.get_object()
    kind = node.get("/S")
    if kind is not None:
        types.append(str(kind)[1:])
        if kind == "/Figure":
            alts.append(str(node.get("/Alt", "")))
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get") and kid.get("/Type") != "/OBJR":
            _structure(kid, types, alts)


def tagging(pdf: bytes) -> Tagging:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = ET.fromstring(root["/Metadata"].get_object().get_data())  # noqa: S314 (our own PDFs)
    found = {}
    for element in xmp.iter():
        for key in (f"{PDFUA_ID}part", f"{PDFA_ID}part"):
            if key in element.attrib:
                found[key] = element.attrib[key]
    xmp_titles = [li.text for li in xmp.iter() if li.tag.endswith("}li") and li.text]
    types, alts = [], []
    if "/StructTreeRoot" in root:
        _structure(root["/StructTreeRoot"], types, alts)
    return Tagging(
        marked=bool(root.get("/MarkInfo", {}).get("/Marked")),
        lang=str(root.get("/Lang", "")),
        display_doc_title=bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
        title=str(reader.metadata.title or ""),
        xmp_title=xmp_titles[0] if xmp_titles else "",
        pdfua_part=found.get(f"{PDFUA_ID}part", ""),
        pdfa_part=found.get(f"{PDFA_ID}part", ""),
        structure=types,
        figure_alts=alts,
    )


def extracted_text(pdf: bytes) -> str:
    """The text of every page as pypdf extracts it, lines joined by newlines."""
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def link_targets(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return {
        str(annot.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/Subtype") == "/Link"
    }
