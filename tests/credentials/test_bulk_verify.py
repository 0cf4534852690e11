"""Bulk verification: commissioners only, every bad file refused, no formulas in the outputs."""

import csv
import datetime
import io
from unittest import mock

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from credentials.services.credentials import revoke_credential, suspend_credential
from credentials.views import bulk_verify
from tests.credentials.factories import make_credential
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

URL = "/verify/bulk/"
DOWNLOAD = "/verify/bulk/download/"


def entry(name, number, *, consent=True, **credential):
    profile = ClinicianProfileFactory(
        full_name=name, registration_number=number, consent_to_public_register=consent
    )
    return make_credential(profile.user, **credential)


def csv_file(text, name="numbers.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(client, upload_file):
    return client.post(URL, {"file": upload_file})


@pytest.fixture
def signed_in(client, commissioner):
    client.force_login(commissioner)
    return client


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    entry("Asha Patel", "7654321")
    for response in (
        client.get(URL),
        upload(client, csv_file("7654321\n")),
        client.post(DOWNLOAD, {"payload": "x", "format": "csv"}),
    ):
        assert "Asha Patel" not in response.content.decode()
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["outsider", "applicant", "assessor", "content_editor"])
def test_everyone_but_commissioners_gets_404(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert upload(client, csv_file("7654321\n")).status_code == 404
    assert client.post(DOWNLOAD, {"payload": "x", "format": "csv"}).status_code == 404


def test_a_commissioner_sees_the_upload_form(signed_in):
    page = signed_in.get(URL).content.decode()
    assert 'type="file"' in page
    assert 'enctype="multipart/form-data"' in page


def test_each_number_gets_its_credentials_or_no_credential_found(signed_in, superuser):
    entry("Asha Patel", "7654321")
    revoked = entry("Ben Okafor", "7654322")
    revoke_credential(credential=revoked, reason="Struck off", actor=superuser)
    entry("Cara Hidden", "7654323", consent=False)
    response = upload(
        signed_in, csv_file("Registration number\n7654321\n 765 4322\n7654323\n9999999\n")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "You checked 4 registration numbers. 2 of them have a credential" in page
    assert "Asha Patel" in page and ">Valid</strong>" in page
    assert "Ben Okafor" in page and ">Revoked</strong>" in page
    assert "Cara Hidden" not in page  # not on the public register
    assert page.count("No credential found") == 2
    assert "no-store" in response["Cache-Control"]


def test_an_invalid_number_is_reported_as_invalid_not_as_not_found(signed_in):
    entry("Asha Patel", "7654321")
    text = "7654321\n12345678\n７６５４３２１\nPH12\n1234567\n"
    page = upload(signed_in, csv_file(text)).content.decode()
    assert "You checked 5 registration numbers. 1 of them has a credential" in page
    assert "3 are not valid registration numbers" in page
    assert page.count("Not a valid registration number") == 3
    assert page.count("No credential found") == 1  # 1234567: a GMC number, nobody on the register


def test_the_number_column_is_found_by_its_heading(signed_in):
    entry("Asha Patel", "7654321")
    text = "Name,Ward,GMC number\nAsha Patel,Outpatients,7654321\nSam Lee,Theatres,7000001\n"
    page = upload(signed_in, csv_file(text)).content.decode()
    assert "You checked 2 registration numbers. 1 of them has a credential" in page
    assert "Asha Patel" in page and "Outpatients" not in page


def test_an_excel_file_is_accepted(signed_in):
    entry("Asha Patel", "7654321")
    book = Workbook()
    sheet = book.active
    sheet.append(["Staff name", "Registration number"])
    sheet.append(["Asha Patel", "7654321"])
    sheet.append(["Formula", "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    page = upload(signed_in, csv_file(buffer.getvalue(), name="team.xlsx")).content.decode()
    assert "You checked 2 registration numbers. 1 of them has a credential" in page
    assert 'href="/verify/' in page and "Not a valid registration number" in page


def test_a_file_without_a_heading_and_with_repeats_works(signed_in):
    entry("Asha Patel", "7654321")
    page = upload(signed_in, csv_file("7654321,extra column\r\n7654321\r\n\r\n")).content.decode()
    assert "You checked 1 registration number." in page
    assert page.count("Asha Patel") == 1


def _payload(response):
    return response.context["payload"]


def _download(client, response, fmt):
    return client.post(DOWNLOAD, {"payload": _payload(response), "format": fmt})


def test_results_download_as_csv_with_formulas_escaped(signed_in):
    entry('=HYPERLINK("http://evil.example","Click")', "7654321")
    results = upload(signed_in, csv_file("7654321\n=1+1\n@SUM(A1)\n"))
    response = _download(signed_in, results, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="verification-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Registration number",
        "Name",
        "Credential",
        "Serial number",
        "Status",
        "Valid until",
    ]
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert rows[1][4:] == ["Valid", "2029-12-31"]
    assert rows[2] == ["'=1+1", "", "", "", "Not a valid registration number", ""]
    assert rows[3][0] == "'@SUM(A1)"


def test_results_download_as_xlsx_with_formulas_escaped(signed_in):
    entry('=HYPERLINK("http://evil.example","Click")', "7654321")
    results = upload(signed_in, csv_file("7654321\n=1+1\n-2+3\n"))
    response = _download(signed_in, results, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert rows[2][0] == "'=1+1"
    assert rows[3][0] == "'-2+3"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_no_credential_that_is_not_valid_is_listed_as_valid(signed_in, superuser):
    entry("Ann Valid", "7000001")
    entry(
        "Ben Expired",
        "7000002",
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2022, 12, 31),
    )
    suspended = entry("Cat Suspended", "7000003")
    suspend_credential(credential=suspended, reason="Under review", actor=superuser)
    revoked = entry("Dan Revoked", "7000004")
    revoke_credential(credential=revoked, reason="Struck off", actor=superuser)
    entry("Eve Future", "7000005", valid_from=datetime.date(2099, 1, 1), valid_until=None)
    expected = {
        "7000001": "Valid",
        "7000002": "Expired",
        "7000003": "Suspended",
        "7000004": "Revoked",
        "7000005": "Not yet valid",
    }
    results = upload(signed_in, csv_file("\n".join(expected)))
    page = results.content.decode()
    assert page.count(">Valid</strong>") == 1
    for words in expected.values():
        assert f">{words}</strong>" in page
    csv_rows = list(
        csv.reader(io.StringIO(_download(signed_in, results, "csv").content.decode("utf-8-sig")))
    )
    sheet = load_workbook(io.BytesIO(_download(signed_in, results, "xlsx").content)).active
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    for rows in (csv_rows, xlsx_rows):
        # The download names each number's register, as the page does.
        assert {row[0]: row[4] for row in rows[1:]} == {
            f"GMC {number}": words for number, words in expected.items()
        }


def test_a_download_reflects_the_status_now(signed_in, superuser):
    credential = entry("Asha Patel", "7654321")
    results = upload(signed_in, csv_file("7654321\n"))
    revoke_credential(credential=credential, reason="Struck off", actor=superuser)
    rows = list(csv.reader(io.StringIO(_download(signed_in, results, "csv").content.decode())))
    assert rows[1][4] == "Revoked"


def _refused(response, message):
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert message in page
    assert "Results of your check" not in page


def test_no_file_is_refused(signed_in):
    _refused(
        signed_in.post(URL, {}), "Choose a CSV or Excel file of registration numbers to upload."
    )


def test_an_empty_file_is_refused(signed_in):
    _refused(upload(signed_in, csv_file("")), "The file is empty.")


def test_a_file_of_blank_cells_is_refused(signed_in):
    _refused(upload(signed_in, csv_file("\n \n,,\n")), "The file has no registration numbers.")


def test_a_file_of_only_a_heading_is_refused(signed_in):
    _refused(upload(signed_in, csv_file("GMC number\n")), "The file has no registration numbers.")


def test_a_file_that_is_not_a_csv_by_name_is_refused(signed_in):
    _refused(upload(signed_in, csv_file("7654321\n", name="numbers.txt")), "must be a CSV file")
    _refused(
        upload(signed_in, csv_file("7654321\n", name="numbers.xlsx")),
        "This is not an Excel workbook.",
    )


def test_a_binary_file_named_csv_is_refused(signed_in):
    _refused(upload(signed_in, csv_file(b"PK\x03\x04\x14\x00binary")), "This is not a CSV file.")
    _refused(upload(signed_in, csv_file(b"7654321\x00\n")), "This is not a CSV file.")


def test_a_file_not_in_utf8_is_refused(signed_in):
    _refused(upload(signed_in, csv_file("Nom\n7654321 é\n".encode("latin-1"))), "UTF-8")


def test_an_unreadable_csv_is_refused(signed_in):
    huge_field = '"' + "7" * 140_000 + '"\n'  # longer than any CSV reader accepts
    _refused(upload(signed_in, csv_file(huge_field)), "The CSV file could not be read")


def test_too_many_rows_are_refused(signed_in):
    text = "\n".join(f"{7000000 + n}" for n in range(5001))
    _refused(upload(signed_in, csv_file(text)), "The file has 5,001 rows; the most is 5,000.")


def test_5000_rows_are_accepted(signed_in, django_assert_max_num_queries):
    text = "\n".join(f"{7000000 + n}" for n in range(5000))
    with django_assert_max_num_queries(30):
        response = upload(signed_in, csv_file(text))
    assert response.status_code == 200
    assert "You checked 5000 registration numbers" in response.content.decode()


def test_an_oversized_file_is_refused_without_touching_the_disk(signed_in):
    big = csv_file(("7654321\n" * 125_000).encode())  # about 1 MB: over the 512 KB allowed
    with mock.patch(
        "django.core.files.uploadedfile.TemporaryUploadedFile.__init__",
        side_effect=AssertionError("an upload was written to disk"),
    ):
        response = upload(signed_in, big)
        _refused(response, "The file must be smaller than 512 KB.")
        # Bigger than any page takes: refused by its declared size, never read (413).
        huge = csv_file(("7654321\n" * 400_000).encode())
        assert upload(signed_in, huge).status_code == 413


def test_the_query_count_does_not_grow_with_numbers(signed_in, django_assert_num_queries):
    for n in range(30):
        entry(f"Person {n}", f"{7100000 + n}")
    upload(signed_in, csv_file("7100000\n"))  # warm the session and user caches
    with django_assert_num_queries(2) as few:
        upload(signed_in, csv_file("7100000\n"))
    with django_assert_num_queries(len(few.captured_queries)):
        page = upload(
            signed_in, csv_file("\n".join(f"{7100000 + n}" for n in range(30)))
        ).content.decode()
    assert page.count("Person ") == 30


def test_a_tampered_download_is_refused(signed_in):
    response = signed_in.post(DOWNLOAD, {"payload": "not-signed", "format": "csv"})
    _refused(response, "These results have expired. Upload the file again")


def test_another_commissioners_results_cannot_be_downloaded(signed_in, commissioner):
    payload = signing.dumps(
        {"user": commissioner.pk + 1, "numbers": ["7654321"]}, salt=bulk_verify.SIGNING_SALT
    )
    _refused(signed_in.post(DOWNLOAD, {"payload": payload, "format": "csv"}), "have expired")


def test_stale_results_cannot_be_downloaded(signed_in):
    results = upload(signed_in, csv_file("7654321\n"))
    with mock.patch.object(bulk_verify, "PAYLOAD_MAX_AGE", -1):
        _refused(_download(signed_in, results, "csv"), "have expired")


def test_an_unknown_download_format_is_refused(signed_in):
    results = upload(signed_in, csv_file("7654321\n"))
    _refused(_download(signed_in, results, "pdf"), "Choose the CSV or the Excel download")


def test_downloads_are_only_posted(signed_in):
    assert signed_in.get(DOWNLOAD).status_code == 405


def test_the_form_needs_its_csrf_token(client, commissioner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(commissioner)
    assert strict.post(URL, {"file": csv_file("7654321\n")}).status_code == 403


def test_valid_until_is_blank_only_when_not_found(signed_in):
    entry("Asha Patel", "7654321", valid_until=None, valid_from=datetime.date(2026, 1, 1))
    results = upload(signed_in, csv_file("7654321\n"))
    rows = list(csv.reader(io.StringIO(_download(signed_in, results, "csv").content.decode())))
    assert rows[1][5] == "No end date"


def test_the_commissioner_dashboard_links_to_the_register_and_bulk_check(signed_in):
    page = signed_in.get("/dashboard/commissioner/").content.decode()
    assert 'href="/register/"' in page
    assert f'href="{URL}"' in page


def test_numbers_in_the_registers_own_form_are_read_and_shown_with_the_register(signed_in):
    entry("Asha Patel", "7654321")
    page = upload(signed_in, csv_file("GMC 7654321\ngmc no. 7654321\nHCPC PH104233\n")).content
    text = page.decode()
    assert "Asha Patel" in text
    assert "GMC 7654321" in text and "HCPC PH104233" in text
    assert "Not a valid registration number" not in text
