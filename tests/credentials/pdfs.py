"""Reading PDFs back in tests, with pyHanko only (no PDF text library is installed).

WeasyPrint writes text as 2-byte glyph codes in TJ arrays; each font's ToUnicode map turns them
back into characters.
"""

import io
import re

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

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
