"""Hostile files: each refusal is its own test, and a refused upload stores nothing at all."""

import hashlib
import io
import socket
import struct
import threading
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from portfolio import office_files
from portfolio.files import UploadRefused, display_name, inspect_upload
from portfolio.models import EvidenceFile, EvidenceItem
from portfolio.views.evidence import attachment_header
from tests.portfolio import documents
from tests.portfolio.factories import EvidenceItemFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/portfolio/evidence/add/"
PDF = documents.pdf()
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "Supervised sessions"
    book.save(buffer)
    return buffer.getvalue()


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


VALID = {
    "audit.pdf": (PDF, "application/pdf"),
    "x-ray.png": (png(), "image/png"),
    "photo.JPG": (jpeg(), "image/jpeg"),
    "letter.docx": (
        docx(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "log.xlsx": (xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "notes.txt": ("Saw 12 patients with knee pain – café notes.\n".encode(), "text/plain"),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    return tmp_path


@pytest.fixture
def owner_client(client, applicant):
    client.force_login(applicant)
    return client


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def form_data(**overrides) -> dict:
    data = {
        "kind": "case_review",
        "date_day": "3",
        "date_month": "2",
        "date_year": "2026",
        "title": "Complex knee case",
        "reflection": "I learned to examine more carefully.",
    }
    data.update(overrides)
    return data


def upload(client, *uploads):
    return client.post(ADD_URL, form_data(files=list(uploads)))


def assert_refused(response, media, message: str):
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert EvidenceItem.objects.count() == 0
    assert EvidenceFile.objects.count() == 0
    assert stored_files(media) == []


def assert_accepted(response, name: str):
    """Stored under the name sent, and the clinician is taken to the new item."""
    assert response.status_code == 302
    stored = EvidenceFile.objects.get()
    assert stored.original_name == name
    assert response["Location"] == f"/portfolio/evidence/{stored.item_id}/"


def raw_multipart(file_name: str, content: bytes) -> tuple[bytes, str]:
    """A body as a hostile client sends it: the test client would tidy the file name."""
    boundary = "portfolio-hostile-boundary"
    parts = []
    for name, value in form_data().items():
        parts += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"",
            value.encode(),
        ]
    parts += [
        f"--{boundary}".encode(),
        b'Content-Disposition: form-data; name="files"; filename="'
        + file_name.encode("utf-8")
        + b'"',
        b"Content-Type: application/pdf",
        b"",
        content,
        f"--{boundary}--".encode(),
        b"",
    ]
    return b"\r\n".join(parts), f"multipart/form-data; boundary={boundary}"


# --- accepted ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VALID))
def test_a_real_file_of_each_allowed_type_is_accepted(owner_client, media, name):
    content, content_type = VALID[name]
    response = upload(owner_client, SimpleUploadedFile(name, content, "application/x-anything"))
    assert response.status_code == 302
    stored = EvidenceFile.objects.get()
    assert stored.original_name == name
    assert stored.content_type == content_type  # from the content, not the browser
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    # Kept under a generated name, never the one sent.
    assert name not in stored.file.name
    [path] = stored_files(media)
    assert path.read_bytes() == content


def test_a_file_of_exactly_the_size_limit_is_accepted(owner_client, media, settings):
    settings.PORTFOLIO_MAX_UPLOAD_BYTES = 1024
    response = upload(owner_client, SimpleUploadedFile("notes.txt", b"a" * 1024))
    assert response.status_code == 302
    assert EvidenceFile.objects.get().size == 1024


def test_five_files_at_once_are_accepted(owner_client, media):
    uploads = [SimpleUploadedFile(f"page{n}.pdf", PDF) for n in range(5)]
    assert upload(owner_client, *uploads).status_code == 302
    assert EvidenceFile.objects.count() == 5
    assert len(stored_files(media)) == 5


# --- refused -------------------------------------------------------------------------------


def test_html_declared_as_pdf_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("results.pdf", HTML, "application/pdf"))
    assert_refused(response, media, "looks like a web page")


def test_html_declared_as_text_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("notes.txt", b"\n\n  " + HTML))
    assert_refused(response, media, "looks like a web page")


def test_an_svg_image_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("diagram.svg", SVG, "image/svg+xml"))
    assert_refused(response, media, "is not a type of file we accept")


def test_an_svg_with_script_disguised_as_a_png_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("diagram.png", SVG, "image/png"))
    assert_refused(response, media, "looks like a web page or SVG image")


def test_a_png_with_html_after_its_end_is_refused(owner_client, media):
    polyglot = png() + b"<html><script>alert(1)</script></html>"
    response = upload(owner_client, SimpleUploadedFile("scan.png", polyglot, "image/png"))
    assert_refused(response, media, "has web page code hidden inside the PNG image")


def test_a_png_with_script_hidden_in_a_text_chunk_is_refused(owner_client, media):
    image = png()
    data = b"Comment\x00<script>alert(1)</script>"
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data + b"\x00\x00\x00\x00"
    polyglot = image[:33] + chunk + image[33:]  # after the 8-byte signature and IHDR
    response = upload(owner_client, SimpleUploadedFile("scan.png", polyglot, "image/png"))
    assert_refused(response, media, "has web page code hidden inside the PNG image")


def test_a_pdf_renamed_as_a_png_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("scan.png", PDF, "image/png"))
    assert_refused(response, media, "is not really a PNG image")


def test_an_executable_renamed_as_a_pdf_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("cv.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64))
    assert_refused(response, media, "is not really a PDF")


def test_a_spreadsheet_named_as_a_word_document_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("letter.docx", xlsx()))
    assert_refused(response, media, "is not really a Word document")


def test_a_file_name_climbing_out_of_its_folder_is_refused(owner_client, media):
    body, content_type = raw_multipart("../../settings.pdf", PDF)
    response = owner_client.post(ADD_URL, body, content_type=content_type)
    assert_refused(response, media, "points outside its folder")


def test_a_file_name_climbing_with_backslashes_is_refused(owner_client, media):
    body, content_type = raw_multipart("..\\..\\settings.pdf", PDF)
    response = owner_client.post(ADD_URL, body, content_type=content_type)
    assert_refused(response, media, "points outside its folder")


def test_a_file_name_of_only_dots_is_refused_not_ignored(owner_client, media):
    # Django drops such a file silently; the person is told why instead.
    body, content_type = raw_multipart("..", PDF)
    response = owner_client.post(ADD_URL, body, content_type=content_type)
    assert_refused(response, media, "points outside its folder")
    assert "Choose at least one file" not in response.text


def test_a_file_name_with_a_null_character_is_refused(owner_client, media):
    body, content_type = raw_multipart("report.pdf\x00.exe", PDF)
    response = owner_client.post(ADD_URL, body, content_type=content_type)
    assert_refused(response, media, "contains a hidden null character")


def test_a_file_name_with_a_right_to_left_override_is_refused(owner_client, media):
    # Shows as "reportfdp.exe"-style trickery: the real extension is hidden by U+202E.
    body, content_type = raw_multipart("invoice\u202efdp.txt", b"plain words")
    response = owner_client.post(ADD_URL, body, content_type=content_type)
    assert_refused(response, media, "reverse the direction of text")


def test_a_file_name_with_control_characters_is_refused(owner_client, media):
    body, content_type = raw_multipart("report\x1b[31m.pdf", PDF)
    response = owner_client.post(ADD_URL, body, content_type=content_type)
    assert_refused(response, media, "contains hidden control characters")


def test_a_300_character_file_name_is_refused(owner_client, media):
    # Sent as is: Django's own upload classes would cut it to 255 characters.
    body, content_type = raw_multipart("a" * 296 + ".pdf", PDF)
    response = owner_client.post(ADD_URL, body, content_type=content_type)
    assert_refused(response, media, "File names must be 255 characters or fewer")


def test_a_file_one_byte_over_the_limit_is_refused(owner_client, media, settings):
    settings.PORTFOLIO_MAX_UPLOAD_BYTES = 1024
    response = upload(owner_client, SimpleUploadedFile("notes.txt", b"a" * 1025))
    assert_refused(response, media, "is larger than 1.0\xa0KB")


def test_an_empty_file_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("notes.txt", b""))
    assert_refused(response, media, "is empty")


def test_six_files_at_once_are_refused(owner_client, media):
    uploads = [SimpleUploadedFile(f"page{n}.pdf", PDF) for n in range(6)]
    assert_refused(upload(owner_client, *uploads), media, "at most 5 files")


def test_a_sixth_attachment_is_refused(owner_client, media, applicant):
    uploads = [SimpleUploadedFile(f"page{n}.pdf", PDF) for n in range(5)]
    assert upload(owner_client, *uploads).status_code == 302
    item = EvidenceItem.objects.get()
    before = sorted(stored_files(media))
    response = owner_client.post(
        reverse("portfolio:evidence_files_add", args=[item.pk]),
        {"files": [SimpleUploadedFile("page6.pdf", PDF)]},
    )
    assert response.status_code == 200
    assert "at most 5 files" in response.text
    assert "remove one before adding another" in response.text
    assert item.files.count() == 5
    assert sorted(stored_files(media)) == before


def test_a_docx_zip_bomb_is_refused(owner_client, media):
    bomb = docx({"word/media/image1.bin": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000  # tiny on the wire
    response = upload(owner_client, SimpleUploadedFile("letter.docx", bomb))
    assert_refused(response, media, "zip bomb")


def test_a_docx_expanding_past_the_total_cap_is_refused(owner_client, media, monkeypatch):
    monkeypatch.setattr(office_files, "ZIP_MAX_TOTAL_BYTES", 50_000)
    members = {f"word/part{n}.xml": bytes(range(256)) * 100 for n in range(3)}
    response = upload(owner_client, SimpleUploadedFile("letter.docx", docx(members)))
    assert_refused(response, media, "zip bomb")


def test_a_docx_with_too_many_parts_is_refused(owner_client, media, monkeypatch):
    monkeypatch.setattr(office_files, "ZIP_MAX_MEMBERS", 5)
    members = {f"word/part{n}.xml": b"<p/>" for n in range(5)}
    response = upload(owner_client, SimpleUploadedFile("letter.docx", docx(members)))
    assert_refused(response, media, "too many parts")


def test_a_docx_with_a_path_climbing_member_is_refused(owner_client, media):
    evil = docx({"../../../etc/cron.d/evil": b"* * * * * root sh"})
    response = upload(owner_client, SimpleUploadedFile("letter.docx", evil))
    assert_refused(response, media, "contains parts with unsafe names")


def test_a_docx_with_macros_is_refused(owner_client, media):
    macro = docx({"word/vbaProject.bin": b"Attribute VB_Name"})
    response = upload(owner_client, SimpleUploadedFile("letter.docx", macro))
    assert_refused(response, media, "contains macros")


def test_a_zip_that_is_not_an_office_file_is_refused(owner_client, media):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    response = upload(owner_client, SimpleUploadedFile("letter.docx", buffer.getvalue()))
    assert_refused(response, media, "is damaged or is not a real Word document")


def test_text_that_is_not_utf8_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("notes.txt", "café".encode("latin-1")))
    assert_refused(response, media, "is not plain text saved as UTF-8")


def test_text_with_nul_bytes_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("notes.txt", b"abc\x00def"))
    assert_refused(response, media, "contains binary data")


def test_an_exe_is_refused(owner_client, media):
    response = upload(owner_client, SimpleUploadedFile("setup.exe", b"MZ\x90\x00"))
    assert_refused(response, media, "is not a type of file we accept")


def test_one_bad_file_refuses_the_whole_upload(owner_client, media):
    response = upload(
        owner_client,
        SimpleUploadedFile("good.pdf", PDF),
        SimpleUploadedFile("bad.pdf", HTML),
    )
    assert_refused(response, media, "“bad.pdf” looks like a web page")


def test_uploads_still_need_a_csrf_token(applicant, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = client.post(ADD_URL, form_data(files=[SimpleUploadedFile("a.pdf", PDF)]))
    assert response.status_code == 403
    assert EvidenceFile.objects.count() == 0
    assert stored_files(media) == []


# --- the size limit is enforced without reading an oversize file -----------------------------


class _Unreadable(UploadedFile):
    def chunks(self, chunk_size=None):
        raise AssertionError("an oversize upload must not be read")


def test_an_oversize_upload_is_refused_from_its_size_alone(settings):
    settings.PORTFOLIO_MAX_UPLOAD_BYTES = 1024
    oversize = _Unreadable(file=io.BytesIO(b""), name="big.pdf", size=10**9)
    with pytest.raises(UploadRefused, match="larger than"):
        inspect_upload(oversize)


def test_the_size_limit_also_counts_what_is_actually_read(settings):
    settings.PORTFOLIO_MAX_UPLOAD_BYTES = 1024
    lying = UploadedFile(file=io.BytesIO(PDF + b"%" * 2000), name="a.pdf", size=10)
    with pytest.raises(UploadRefused, match="larger than"):
        inspect_upload(lying)


def test_a_large_upload_goes_to_disk_and_is_accepted(owner_client, media, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    content = b"Session log line\n" * 4096  # 68 KB: spooled to a temporary file
    response = upload(owner_client, SimpleUploadedFile("log.txt", content))
    assert response.status_code == 302
    assert EvidenceFile.objects.get().sha256 == hashlib.sha256(content).hexdigest()


# --- names ---------------------------------------------------------------------------------


def test_display_names_keep_their_extension_within_150_characters():
    name = display_name("b" * 200 + ".pdf")
    assert len(name) == 150
    assert name.endswith(".pdf")


def test_display_names_drop_folders():
    assert display_name("C:\\Users\\me\\report.pdf") == "report.pdf"


def test_download_names_have_an_ascii_fallback_and_the_real_name():
    assert attachment_header('Résumé "final".pdf') == (
        'attachment; filename="Resume _final_.pdf"; '
        "filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf"
    )
    assert attachment_header("audit.pdf") == 'attachment; filename="audit.pdf"'


# --- virus scanning ------------------------------------------------------------------------


class FakeClamd:
    """Answers one INSTREAM request on 127.0.0.1 with a fixed reply, keeping what it was sent."""

    def __init__(self, reply: bytes, family=socket.AF_INET, address=("127.0.0.1", 0)):
        self.reply = reply
        self.command = b""
        self.received = bytearray()
        self.server = socket.socket(family, socket.SOCK_STREAM)
        self.server.bind(address)
        self.server.listen(1)
        self.address = self.server.getsockname()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, connection, buffer: bytes, size: int) -> bytes:
        while len(buffer) < size:
            data = connection.recv(65536)
            if not data:
                raise ConnectionError("client went away")
            buffer += data
        return buffer

    def _serve(self):
        connection, _ = self.server.accept()
        with connection:
            buffer = b""
            while b"\0" not in buffer:
                buffer = self._read(connection, buffer, len(buffer) + 1)
            self.command, buffer = buffer.split(b"\0", 1)
            while True:
                buffer = self._read(connection, buffer, 4)
                (length,) = struct.unpack(">I", buffer[:4])
                buffer = self._read(connection, buffer[4:], length)
                if length == 0:
                    break
                self.received += buffer[:length]
                buffer = buffer[length:]
            connection.sendall(self.reply)

    def close(self):
        self.server.close()
        self.thread.join(timeout=5)


@pytest.fixture
def clamd(settings):
    servers = []

    def start(reply: bytes) -> FakeClamd:
        server = FakeClamd(reply)
        servers.append(server)
        settings.CLAMD_HOST, settings.CLAMD_PORT = server.address
        return server

    yield start
    for server in servers:
        server.close()


def test_a_file_clamd_passes_is_accepted(owner_client, media, clamd):
    server = clamd(b"stream: OK\0")
    assert upload(owner_client, SimpleUploadedFile("audit.pdf", PDF)).status_code == 302
    assert server.command == b"zINSTREAM"
    assert bytes(server.received) == PDF
    assert EvidenceFile.objects.count() == 1


def test_a_file_clamd_finds_a_virus_in_is_refused(owner_client, media, clamd):
    clamd(b"stream: Eicar-Test-Signature FOUND\0")
    eicar = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    response = upload(owner_client, SimpleUploadedFile("notes.txt", eicar))
    assert_refused(response, media, "contains a virus or other harmful software")
    assert "Eicar-Test-Signature" in response.text


def test_an_error_from_clamd_refuses_the_file(owner_client, media, clamd):
    clamd(b"INSTREAM size limit exceeded. ERROR\0")
    response = upload(owner_client, SimpleUploadedFile("audit.pdf", PDF))
    assert_refused(response, media, "We could not check “audit.pdf” for viruses")


def test_clamd_being_unreachable_refuses_the_file(owner_client, media, settings):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    settings.CLAMD_HOST, settings.CLAMD_PORT = closed.getsockname()
    closed.close()  # nothing listens there now
    response = upload(owner_client, SimpleUploadedFile("audit.pdf", PDF))
    assert_refused(response, media, "We could not check “audit.pdf” for viruses")


def test_clamd_can_be_reached_over_a_unix_socket(owner_client, media, settings, tmp_path):
    path = str(tmp_path / "clamd.sock")
    server = FakeClamd(b"stream: OK\0", family=socket.AF_UNIX, address=path)
    settings.CLAMD_SOCKET = path
    try:
        assert upload(owner_client, SimpleUploadedFile("audit.pdf", PDF)).status_code == 302
    finally:
        server.close()
    assert bytes(server.received) == PDF


def test_scanning_is_off_when_no_clamd_is_configured(settings):
    settings.CLAMD_SOCKET = settings.CLAMD_HOST = ""
    checked = inspect_upload(SimpleUploadedFile("audit.pdf", PDF))
    assert checked.content_type == "application/pdf"


def test_an_unknown_owner_cannot_reach_another_file_through_a_guess(owner_client, media):
    other = EvidenceItemFactory()
    response = owner_client.post(
        reverse("portfolio:evidence_files_add", args=[other.pk]),
        {"files": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    assert response.status_code == 404
    assert stored_files(media) == []


# --- active content: PDFs and Office files that act when an assessor opens them --------------

ACTIVE_PDFS = {
    "open-action": (
        documents.pdf(catalog_extra=b"/OpenAction 4 0 R", objects=(b"<</S/GoTo/D[3 0 R]>>",)),
        "runs an action when it is opened",
    ),
    "javascript": (
        documents.pdf(
            catalog_extra=b"/Names<</JavaScript 4 0 R>>",
            objects=(b"<</Names[(x) 5 0 R]>>", b"<</S/JavaScript/JS(app.alert(1))>>"),
        ),
        "contains JavaScript",
    ),
    # The same name written with PDF's #xx escapes: still JavaScript.
    "escaped-name": (
        documents.pdf(
            catalog_extra=b"/OpenAction 4 0 R",
            objects=(b"<</S/J#61vaScript/J#53(app.alert(1))>>",),
        ),
        "runs an action when it is opened",
    ),
    "launch": (
        documents.pdf(catalog_extra=b"/AA<</O 4 0 R>>", objects=(b"<</S/Launch/F(calc.exe)>>",)),
        "runs actions when it is opened or read",
    ),
    "embedded-file": (
        documents.pdf(catalog_extra=b"/Names<</EmbeddedFiles 4 0 R>>", objects=(b"<</Names[]>>",)),
        "has other files hidden inside it",
    ),
    "unreadable": (b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n", "could not be read"),
}


@pytest.mark.parametrize("case", ACTIVE_PDFS.keys())
def test_a_pdf_that_acts_when_opened_is_refused(owner_client, media, case):
    data, message = ACTIVE_PDFS[case]
    response = upload(owner_client, SimpleUploadedFile("audit.pdf", data))
    assert_refused(response, media, message)


def test_a_pdf_with_only_a_link_is_accepted(owner_client, media):
    link = documents.pdf(objects=(b"<</Type/Annot/Subtype/Link/A<</S/URI/URI(https://nhs.uk)>>>>",))
    assert_accepted(upload(owner_client, SimpleUploadedFile("audit.pdf", link)), "audit.pdf")


OUTSIDE_OFFICE = {
    "remote-template": (
        {
            "word/_rels/settings.xml.rels": documents.rels(
                ("attachedTemplate", "https://evil.example/t.dotm", "External")
            )
        },
        "loads a template from elsewhere",
    ),
    "linked-object": (
        {
            "word/_rels/document.xml.rels": documents.rels(
                ("oleObject", "file://server/share/x.xlsx", "External")
            )
        },
        "loads content from outside the file",
    ),
    "dde": (
        {
            "word/settings.xml": (
                b'<w:settings><w:fldSimple w:instr="DDEAUTO c:\\\\x.exe"/></w:settings>'
            )
        },
        "contains DDE fields",
    ),
}


@pytest.mark.parametrize("case", OUTSIDE_OFFICE.keys())
def test_a_word_file_that_reaches_outside_itself_is_refused(owner_client, media, case):
    parts, message = OUTSIDE_OFFICE[case]
    response = upload(owner_client, SimpleUploadedFile("letter.docx", docx(parts)))
    assert_refused(response, media, message)


def test_an_excel_file_linked_to_other_workbooks_is_refused(owner_client, media):
    buffer = io.BytesIO(xlsx())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    response = upload(owner_client, SimpleUploadedFile("log.xlsx", buffer.getvalue()))
    assert_refused(response, media, "links to other workbooks")


def test_a_word_file_with_a_hyperlink_is_accepted(owner_client, media):
    parts = {
        "word/_rels/document.xml.rels": documents.rels(
            ("hyperlink", "https://www.nhs.uk/", "External")
        )
    }
    response = upload(owner_client, SimpleUploadedFile("letter.docx", docx(parts)))
    assert_accepted(response, "letter.docx")
