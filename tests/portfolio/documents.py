"""Small, valid documents for upload tests, with the parts an attacker would add."""

import io


def pdf(*, catalog_extra: bytes = b"", objects: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF with a correct cross-reference table.

    CATALOG_EXTRA is added inside the catalog dictionary (for example b"/OpenAction 4 0 R");
    OBJECTS are further objects, numbered from 4.
    """
    bodies = [
        b"<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>",
        *objects,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    )
    return out.getvalue()


def rels(*relationships: tuple[str, str, str]) -> bytes:
    """A .rels part: each relationship is (type suffix, target, target mode)."""
    parts = [
        b'<?xml version="1.0"?><Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    ]
    for n, (kind, target, mode) in enumerate(relationships, start=1):
        mode_attr = f' TargetMode="{mode}"' if mode else ""
        parts.append(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/{kind}" Target="{target}"{mode_attr}/>'.encode()
        )
    parts.append(b"</Relationships>")
    return b"".join(parts)
