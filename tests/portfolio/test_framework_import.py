"""Importing and exporting frameworks: CSV and XLSX, dry runs, all-or-nothing, no formulas."""

import csv
import io
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import AuditEvent
from portfolio.errors import PortfolioError
from portfolio.frameworks_files import COLUMNS, MAX_ROWS
from portfolio.frameworks_io import confirm_import, export_framework, preview_import
from portfolio.models import Competency, Domain
from portfolio.services.frameworks import new_draft_version, publish_framework
from tests.portfolio.factories import CompetencyFactory, DomainFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

HEADER = list(COLUMNS)
# domain_code, domain_title, domain_order, domain_min, domain_max, code, title, descriptor,
# level, min_evidence, max_evidence, order
GOOD_ROWS = [
    ["P1", "Clinical practice", 1, 4, 6, "P1.1", "Assessment", "Sees complex cases.", "", 1, 2, 1],
    ["P1", "", "", "", "", "P1.2", "Investigations", "", "", 1, 2, 2],
    ["P2", "Research", 2, "", "", "P2.1", "Using evidence", "", "Independent", 1, "", 1],
]


def _csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows, header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(data: bytes, name="framework.csv"):
    return SimpleUploadedFile(name, data)


def _snapshot():
    return (
        list(Domain.objects.order_by("pk").values()),
        list(Competency.objects.order_by("pk").values()),
    )


@pytest.fixture
def draft():
    return FrameworkFactory(code="msk-advanced-practice", name="MSK advanced practice")


def _import(framework, data, name="framework.csv"):
    preview = preview_import(framework=framework, upload=_upload(data, name))
    assert preview.errors == []
    return confirm_import(framework=framework, payload=preview.payload)


# Success ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("build", "name"), [(_csv, "pillars.csv"), (_xlsx, "pillars.xlsx")])
def test_an_import_creates_domains_and_competencies(draft, build, name):
    outcome = _import(draft, build(GOOD_ROWS), name)
    assert outcome.errors == []
    assert [(row.number, row.code, row.action) for row in outcome.rows] == [
        (2, "P1.1", "new"),
        (3, "P1.2", "new"),
        (4, "P2.1", "new"),
    ]
    clinical = Domain.objects.get(framework=draft, code="P1")
    assert (clinical.title, clinical.order, clinical.min_evidence, clinical.max_evidence) == (
        "Clinical practice",
        1,
        4,
        6,
    )
    research = Domain.objects.get(framework=draft, code="P2")
    assert (research.min_evidence, research.max_evidence) == (None, None)
    using = Competency.objects.get(framework=draft, code="P2.1")
    assert (using.domain, using.level, using.min_evidence, using.max_evidence) == (
        research,
        "Independent",
        1,
        None,
    )
    assert Competency.objects.get(code="P1.1").descriptor == "Sees complex cases."
    event = AuditEvent.objects.get(action="portfolio.framework_imported")
    assert "3 new" in event.detail


def test_the_dry_run_writes_nothing(draft):
    before = _snapshot()
    preview = preview_import(framework=draft, upload=_upload(_csv(GOOD_ROWS)))
    assert preview.errors == [] and preview.payload
    assert preview.count("new") == 3
    assert [action for _code, _title, action in preview.domains] == ["new", "new"]
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(action="portfolio.framework_imported").exists()


def test_a_second_import_updates_by_code_and_reports_what_changed(draft):
    _import(draft, _csv(GOOD_ROWS))
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][6] = "Advanced assessment"  # title
    rows[2][0], rows[2][1] = "P1", ""  # moved to the clinical domain
    rows.append(["P1", "", "", "", "", "P1.3", "Managing risk", "", "", 1, 2, 3])
    preview = preview_import(framework=draft, upload=_upload(_csv(rows)))
    actions = {row.code: (row.action, row.changes) for row in preview.rows}
    assert actions == {
        "P1.1": ("update", ["title"]),
        "P1.2": ("skip", []),
        "P2.1": ("update", ["domain_code"]),
        "P1.3": ("new", []),
    }
    confirm_import(framework=draft, payload=preview.payload)
    assert Competency.objects.get(code="P2.1").domain.code == "P1"
    assert Competency.objects.get(code="P1.1").title == "Advanced assessment"
    assert Competency.objects.filter(framework=draft).count() == 4


def test_rows_may_name_a_domain_already_in_the_draft(draft):
    DomainFactory(framework=draft, code="D1", title="Existing")
    outcome = _import(draft, _csv([["D1", "", "", "", "", "C1", "Title", "", "", "", "", ""]]))
    competency = Competency.objects.get(code="C1")
    assert competency.domain.title == "Existing"
    assert (competency.min_evidence, competency.max_evidence, competency.order) == (1, None, 0)
    assert outcome.domains == []


def test_blank_rows_are_ignored_but_rows_keep_their_spreadsheet_numbers(draft):
    rows = [GOOD_ROWS[0], [""] * 12, GOOD_ROWS[1]]
    outcome = _import(draft, _csv(rows))
    assert [row.number for row in outcome.rows] == [2, 4]


# Refused ---------------------------------------------------------------------------------


def _row(**changes):
    row = dict(
        zip(HEADER, ["D1", "Domain", 1, "", "", "C1", "Title", "", "", 1, 2, 1], strict=True)
    )
    row.update(changes)
    return [row[column] for column in HEADER]


def _assert_refused(framework, data, expected, name="framework.csv"):
    before = _snapshot()
    outcome = preview_import(framework=framework, upload=_upload(data, name))
    assert expected in outcome.errors, outcome.errors
    assert outcome.payload == ""
    assert _snapshot() == before


def test_a_duplicate_code_is_refused_with_its_row(draft):
    rows = [_row(), _row(code="C2"), _row(code="C1", domain_title="")]
    _assert_refused(draft, _csv(rows), "Row 4: competency code C1 appears twice (first on row 2)")


def test_an_unknown_domain_is_refused_with_its_row(draft):
    rows = [_row(code=f"C{n}") for n in range(5)] + [
        _row(code="C9", domain_code="D9", domain_title="")
    ]
    _assert_refused(
        draft, _csv(rows), "Row 7: unknown domain D9; give it a domain_title to create it"
    )


@pytest.mark.parametrize("formula", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", " =1"])
def test_a_formula_in_a_csv_cell_is_refused(draft, formula):
    rows = [_row(), _row(code="C2", title=formula)]
    _assert_refused(draft, _csv(rows), "Row 3, column title: formulas are not allowed")


def test_a_real_formula_in_an_xlsx_cell_is_refused(draft):
    rows = [_row(), _row(code="C2", min_evidence="=1+1")]
    data = _xlsx(rows)
    cell = openpyxl.load_workbook(io.BytesIO(data)).active["J3"]
    assert cell.data_type == "f"  # a real formula, not text
    _assert_refused(
        draft, data, "Row 3, column min_evidence: formulas are not allowed", "framework.xlsx"
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"min_evidence": 3, "max_evidence": 2},
            "Row 2: min_evidence (3) is more than max_evidence (2)",
        ),
        (
            {"domain_min_evidence": 7, "domain_max_evidence": 6},
            "Row 2: domain_min_evidence (7) is more than domain_max_evidence (6)",
        ),
        (
            {"min_evidence": "two"},
            "Row 2, column min_evidence: enter a whole number from 0 to 10,000, like 2",
        ),
        ({"order": "1.5"}, "Row 2, column order: enter a whole number from 0 to 10,000, like 2"),
        ({"code": ""}, "Row 2, column code: enter the competency code"),
        ({"title": "  "}, "Row 2, column title: enter the competency title"),
        ({"domain_code": ""}, "Row 2, column domain_code: enter the domain code"),
        ({"code": "X" * 31}, "Row 2, column code: must be 30 characters or fewer"),
    ],
)
def test_bad_cells_are_refused_with_row_and_column(draft, changes, expected):
    _assert_refused(draft, _csv([_row(**changes)]), expected)


def test_a_domain_described_two_ways_is_refused(draft):
    rows = [_row(), _row(code="C2", domain_title="Other title")]
    _assert_refused(draft, _csv(rows), "Row 3: domain D1 is described differently on row 2")


def test_every_bad_row_is_reported_at_once(draft):
    rows = [_row(), _row(code="C1"), _row(code="C3", min_evidence="x"), _row(code="C4")]
    outcome = preview_import(framework=draft, upload=_upload(_csv(rows)))
    assert outcome.errors == [
        "Row 3: competency code C1 appears twice (first on row 2)",
        "Row 4, column min_evidence: enter a whole number from 0 to 10,000, like 2",
    ]


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.4 not a spreadsheet", "framework.pdf", "must be a CSV file"),
        (b"domain_code,code\nD1,C1\n", "framework.xlsx", "This is not an Excel workbook"),
        (b"PK\x03\x04 not really a zip", "framework.xlsx", "This is not an Excel workbook"),
        (_xlsx([["D1"]]), "framework.csv", "This is not a CSV file"),
        (b"\xff\xfe\x00d\x00o", "framework.csv", "This is not a CSV file"),
        ("domaine,\u00e9t\u00e9\n".encode("latin-1"), "framework.csv", "UTF-8"),
        (b"", "framework.csv", "The file is empty"),
    ],
)
def test_files_that_are_not_csv_or_xlsx_are_refused(draft, data, name, expected):
    before = _snapshot()
    with pytest.raises(PortfolioError, match=expected):
        preview_import(framework=draft, upload=_upload(data, name))
    assert _snapshot() == before


def test_a_file_over_1_mb_is_refused_before_it_is_read(draft):
    data = _csv([_row(descriptor="x" * 5000, code=f"C{n}") for n in range(250)])
    assert len(data) > 1024 * 1024
    with pytest.raises(PortfolioError, match="smaller than 1 MB"):
        preview_import(framework=draft, upload=_upload(data))


def test_missing_and_unknown_columns_are_refused(draft):
    header = [c for c in HEADER if c != "title"] + ["notes"]
    outcome = preview_import(framework=draft, upload=_upload(_csv([], header=header)))
    assert "Unknown column: notes." in outcome.errors
    assert "The file has no title column." in outcome.errors


def test_too_many_rows_are_refused(draft):
    rows = [_row(code=f"C{n}", domain_title="") for n in range(MAX_ROWS + 1)]
    with pytest.raises(PortfolioError, match="more than 2,000 rows"):
        preview_import(framework=draft, upload=_upload(_csv(rows)))


def test_a_file_with_no_rows_is_refused(draft):
    outcome = preview_import(framework=draft, upload=_upload(_csv([])))
    assert outcome.errors == ["The file has no competencies in it."]


# Confirming ------------------------------------------------------------------------------


def test_only_a_draft_can_be_imported_into(draft):
    CompetencyFactory(domain=DomainFactory(framework=draft, code="D1"))
    publish_framework(framework=draft)
    before = _snapshot()
    with pytest.raises(PortfolioError, match="published and cannot change"):
        preview_import(framework=draft, upload=_upload(_csv([_row(code="NEW")])))
    assert _snapshot() == before


def test_a_preview_cannot_be_confirmed_once_the_version_is_published(draft):
    preview = preview_import(framework=draft, upload=_upload(_csv([_row()])))
    confirm_import(framework=draft, payload=preview.payload)
    publish_framework(framework=draft)
    before = _snapshot()
    with pytest.raises(PortfolioError, match="published"):
        confirm_import(framework=draft, payload=preview.payload)
    assert _snapshot() == before


def test_a_tampered_or_foreign_preview_is_refused(draft):
    preview = preview_import(framework=draft, upload=_upload(_csv([_row()])))
    with pytest.raises(PortfolioError, match="expired or was altered"):
        confirm_import(framework=draft, payload=preview.payload[:-3] + "abc")
    other = FrameworkFactory()
    with pytest.raises(PortfolioError, match="another framework"):
        confirm_import(framework=other, payload=preview.payload)
    assert not Competency.objects.exists()


def test_a_preview_of_a_draft_that_changed_since_is_refused(draft):
    preview = preview_import(framework=draft, upload=_upload(_csv([_row()])))
    CompetencyFactory(domain=DomainFactory(framework=draft, code="D7"), code="C7")
    with pytest.raises(PortfolioError, match="changed after you previewed"):
        confirm_import(framework=draft, payload=preview.payload)
    assert not Competency.objects.filter(code="C1").exists()


def test_a_failure_part_way_through_writes_nothing(draft):
    rows = [_row(code=f"C{n}", domain_title="Domain" if n == 0 else "") for n in range(5)]
    preview = preview_import(framework=draft, upload=_upload(_csv(rows)))
    save = Competency.save

    def failing_save(self, *args, **kwargs):
        if self.code == "C3":
            raise RuntimeError("disk full")
        return save(self, *args, **kwargs)

    with mock.patch.object(Competency, "save", failing_save):
        outcome = confirm_import(framework=draft, payload=preview.payload)
    assert outcome.errors == ["Row 5: could not be saved (RuntimeError)."]
    assert not Domain.objects.exists() and not Competency.objects.exists()
    assert not AuditEvent.objects.filter(action="portfolio.framework_imported").exists()


# Export ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("file_format", "name"), [("csv", "round.csv"), ("xlsx", "round.xlsx")])
def test_an_export_imports_back_unchanged(draft, file_format, name):
    _import(draft, _csv(GOOD_ROWS))
    publish_framework(framework=draft)
    content, _type, filename = export_framework(framework=draft, file_format=file_format)
    assert filename == f"msk-advanced-practice-v1.{file_format}"
    copy = FrameworkFactory(code="copy")
    _import(copy, content, name)
    fields = ["domain__code", "domain__title", "domain__order", "domain__min_evidence"]
    fields += ["domain__max_evidence", "code", "title", "descriptor", "level"]
    fields += ["min_evidence", "max_evidence", "order"]
    assert list(copy.competencies.order_by("code").values(*fields)) == list(
        draft.competencies.order_by("code").values(*fields)
    )
    # Importing the export into a fresh draft of the same framework changes nothing.
    second = new_draft_version(framework=draft)
    preview = preview_import(framework=second, upload=_upload(content, name))
    assert {row.action for row in preview.rows} == {"skip"}


def test_exports_escape_text_that_a_spreadsheet_would_run(draft):
    domain = DomainFactory(framework=draft, code="D1", title="@risky")
    CompetencyFactory(domain=domain, code="C1", title='=HYPERLINK("http://x.example","y")')
    CompetencyFactory(domain=domain, code="C2", title="-1+2", descriptor="+cmd")
    content, _type, _name = export_framework(framework=draft, file_format="csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0]["title"] == '\'=HYPERLINK("http://x.example","y")'
    assert rows[0]["domain_title"] == "'@risky"
    assert (rows[1]["title"], rows[1]["descriptor"]) == ("'-1+2", "'+cmd")
    content, _type, _name = export_framework(framework=draft, file_format="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert sheet["G2"].value.startswith("'=HYPERLINK")


# Pages -----------------------------------------------------------------------------------


def test_the_import_page_previews_then_writes(client, faculty_staff, draft):
    client.force_login(faculty_staff)
    url = f"/portfolio/frameworks/{draft.pk}/import/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": _upload(_csv(GOOD_ROWS))})
    html = response.content.decode()
    assert "Check the import" in html and "P1.2" in html and "Import these rows" in html
    assert not Competency.objects.exists()
    payload = response.context["outcome"].payload
    response = client.post(url, {"payload": payload})
    assert response["Location"] == f"/portfolio/frameworks/{draft.pk}/"
    assert Competency.objects.filter(framework=draft).count() == 3


def test_the_import_page_lists_row_errors_and_writes_nothing(client, faculty_staff, draft):
    client.force_login(faculty_staff)
    rows = [_row(), _row(code="C1"), _row(code="C3", title="=1+1")]
    response = client.post(
        f"/portfolio/frameworks/{draft.pk}/import/", {"file": _upload(_csv(rows))}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Row 3: competency code C1 appears twice (first on row 2)" in html
    assert "Row 4, column title: formulas are not allowed" in html
    assert "Nothing was imported" in html
    assert not Domain.objects.exists()


def test_the_import_page_asks_for_a_file(client, faculty_staff, draft):
    client.force_login(faculty_staff)
    response = client.post(f"/portfolio/frameworks/{draft.pk}/import/", {})
    assert "Choose a CSV or Excel file to import" in response.content.decode()
    response = client.post(f"/portfolio/frameworks/{draft.pk}/import/", {"payload": "forged"})
    assert "expired or was altered" in response.content.decode()


def test_the_import_page_is_closed_for_a_published_version(client, faculty_staff, draft):
    CompetencyFactory(domain=DomainFactory(framework=draft))
    publish_framework(framework=draft)
    client.force_login(faculty_staff)
    response = client.post(
        f"/portfolio/frameworks/{draft.pk}/import/", {"file": _upload(_csv([_row()]))}
    )
    assert response["Location"] == f"/portfolio/frameworks/{draft.pk}/"
    assert not Competency.objects.filter(code="C1", framework=draft).exists()


@pytest.mark.parametrize(
    ("suffix", "content_type"), [("csv", "text/csv"), ("xlsx", "spreadsheetml")]
)
def test_the_export_links_download_a_file(client, faculty_staff, draft, suffix, content_type):
    CompetencyFactory(domain=DomainFactory(framework=draft))
    client.force_login(faculty_staff)
    response = client.get(f"/portfolio/frameworks/{draft.pk}/export.{suffix}")
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert f'filename="msk-advanced-practice-v1.{suffix}"' in response["Content-Disposition"]
