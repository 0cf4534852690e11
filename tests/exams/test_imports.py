"""Results imports: dry run then confirm, all or nothing, every bad row reported by number."""

import pytest

from exams.models import Component, Item, Mark, PendingImport, ResultsImport, SittingStatus
from exams.services.errors import ExamError
from exams.services.imports import check_file, dry_run
from exams.spreadsheets import export_rows
from tests.exams.factories import book, make_sitting
from tests.exams.results_data import (
    KEY,
    KEY_HEADER,
    OSCE,
    OSCE_HEADER,
    SBA,
    SBA_HEADER,
    csv_bytes,
    key_rows,
    osce_rows,
    run_import,
    sba_rows,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting():
    sitting = make_sitting(past=True)
    for _ in range(3):
        book(sitting)
    return sitting


@pytest.fixture
def paper(sitting):
    return Component.objects.get(exam=sitting.exam, code="paper")


@pytest.fixture
def keyed(sitting, faculty_staff):
    key = key_rows(5)
    run_import(sitting, "paper", KEY, csv_bytes(KEY_HEADER, key), by=faculty_staff)
    return key


def _rows(keyed):
    return sba_rows(["0001", "0002", "0003"], keyed)


def test_dry_run_writes_nothing_then_confirm_writes_everything(
    sitting, paper, keyed, faculty_staff
):
    data = csv_bytes(SBA_HEADER, _rows(keyed))
    report, pending = dry_run(sitting, paper, SBA, upload(data), by=faculty_staff)
    assert report.ok and report.rows == 15
    assert "15 responses from 3 candidates to 5 questions" in report.summary
    assert Mark.objects.count() == 0
    assert sitting.status == SittingStatus.SCHEDULED
    from exams.services.imports import confirm_import

    confirm_import(pending, by=faculty_staff)
    assert Mark.objects.count() == 15
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.RESULTS_IMPORTED
    assert not PendingImport.objects.exists()


def test_importing_the_same_file_again_changes_nothing(sitting, paper, keyed, faculty_staff):
    data = csv_bytes(SBA_HEADER, _rows(keyed))
    run_import(sitting, "paper", SBA, data, by=faculty_staff)
    marks = list(Mark.objects.order_by("pk").values_list("pk", "option", "score"))
    report, pending = dry_run(sitting, paper, SBA, upload(data), by=faculty_staff)
    assert report.unchanged and pending is None
    assert "changes nothing" in report.summary
    assert list(Mark.objects.order_by("pk").values_list("pk", "option", "score")) == marks
    assert ResultsImport.objects.filter(kind=SBA).count() == 1


def test_xlsx_imports_like_csv(sitting, keyed, faculty_staff):
    data = xlsx_bytes(SBA_HEADER, _rows(keyed))
    run_import(sitting, "paper", SBA, data, by=faculty_staff, name="responses.xlsx")
    assert Mark.objects.count() == 15


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (("9999", "Q001", "A"), 'candidate number "9999" has no place at this sitting'),
        (("0001", "Q999", "A"), 'item "Q999" is not in the answer key'),
        (("0001", "Q001", "E"), 'option "E" is not one of A, B, C, D or blank'),
        (("0001", "Q001", "B"), "candidate 0001 item Q001 appears again (first on row 2)"),
        (("0001", "=1+1", "A"), 'the item cell "=1+1" would run as a formula'),
        (("@SUM(A1)", "Q001", "A"), "would run as a formula"),
        (("0001", "Q001", "-A"), "would run as a formula"),
    ],
)
def test_any_bad_row_writes_nothing_and_is_reported_by_number(
    sitting, paper, keyed, faculty_staff, bad_row, message
):
    rows = _rows(keyed)
    rows.append(bad_row)
    report, pending = dry_run(
        sitting, paper, SBA, upload(csv_bytes(SBA_HEADER, rows)), by=faculty_staff
    )
    assert not report.ok and pending is None
    assert report.errors[0][0] == 17  # 15 good rows after the header, then the bad one
    assert message in report.errors[0][1]
    assert Mark.objects.count() == 0 and not PendingImport.objects.exists()


def test_a_formula_cell_in_a_workbook_is_refused(sitting, paper, keyed, faculty_staff):
    rows = _rows(keyed)
    rows[3] = ("0001", "Q004", "=CHAR(65)")
    data = xlsx_bytes(SBA_HEADER, rows)
    report, _ = dry_run(sitting, paper, SBA, upload(data, "r.xlsx"), by=faculty_staff)
    assert report.errors == [
        (5, 'the option cell "=CHAR(65)" would run as a formula; write it as plain text')
    ]
    assert Mark.objects.count() == 0


def test_osce_scores_out_of_range_and_bad_grades_are_refused(faculty_staff):
    sitting = make_sitting("mfsem-part-2", past=True)
    for _ in range(2):
        book(sitting)
    osce = Component.objects.get(exam=sitting.exam, code="osce")
    rows = osce_rows(["0001", "0002"])
    rows[0] = ("0001", "S01", 21, 3)
    rows[1] = ("0001", "S02", 10, 6)
    rows[2] = ("0001", "S03", "ten", 3)
    data = csv_bytes(OSCE_HEADER, rows)
    report, pending = dry_run(sitting, osce, OSCE, upload(data), by=faculty_staff)
    assert [row for row, _ in report.errors] == [2, 3, 4]
    assert 'score "21" is not a number from 0 to 20' in report.errors[0][1]
    assert 'grade "6" is not a whole number from 1 to 5' in report.errors[1][1]
    assert pending is None and not Item.objects.exists()


def test_osce_import_creates_the_stations(faculty_staff):
    sitting = make_sitting("mfsem-part-2", past=True)
    for _ in range(4):
        book(sitting)
    data = csv_bytes(OSCE_HEADER, osce_rows(["0001", "0002", "0003", "0004"]))
    run_import(sitting, "osce", OSCE, data, by=faculty_staff)
    assert Item.objects.filter(sitting=sitting).count() == 12
    assert Mark.objects.filter(grade__isnull=False).count() == 48


def test_responses_need_the_key_and_the_key_is_fixed_after_responses(sitting, paper, faculty_staff):
    data = csv_bytes(SBA_HEADER, [("0001", "Q001", "A")])
    with pytest.raises(ExamError, match="Import the answer key"):
        check_file(sitting, paper, SBA, data, "r.csv")
    key = key_rows(5)
    run_import(sitting, "paper", KEY, csv_bytes(KEY_HEADER, key), by=faculty_staff)
    run_import(sitting, "paper", SBA, csv_bytes(SBA_HEADER, _rows(key)), by=faculty_staff)
    with pytest.raises(ExamError, match="key can no longer change"):
        check_file(sitting, paper, KEY, csv_bytes(KEY_HEADER, key_rows(5, seed=9)), "k.csv")


def test_size_and_row_limits_are_checked_before_parsing(sitting, paper, keyed, monkeypatch):
    import exams.spreadsheets as spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(ExamError, match="smaller than"):
        check_file(sitting, paper, SBA, b"x" * 101, "r.csv")
    monkeypatch.setattr(spreadsheets, "MAX_IMPORT_BYTES", 10_000)
    monkeypatch.setattr(spreadsheets, "MAX_IMPORT_ROWS", 5)
    with pytest.raises(ExamError, match="more than 5 rows"):
        check_file(sitting, paper, SBA, csv_bytes(SBA_HEADER, _rows(keyed)), "r.csv")
    with pytest.raises(ExamError, match="more than 5 rows"):
        check_file(sitting, paper, SBA, xlsx_bytes(SBA_HEADER, _rows(keyed)), "r.xlsx")


def test_wrong_columns_and_wrong_types_are_explained(sitting, paper, keyed):
    with pytest.raises(ExamError, match="must name the columns candidate_number, item, option"):
        check_file(sitting, paper, SBA, b"candidate,item,answer\n", "r.csv")
    with pytest.raises(ExamError, match="not a CSV file"):
        check_file(sitting, paper, SBA, b"PK\x03\x04rest", "r.csv")
    with pytest.raises(ExamError, match="CSV file .* or an Excel workbook"):
        check_file(sitting, paper, SBA, b"a,b", "r.txt")


def test_imports_are_refused_once_the_standard_is_set(sitting, paper, keyed):
    sitting.status = SittingStatus.STANDARD_SET
    sitting.save()
    with pytest.raises(ExamError, match="only until the standard is set"):
        check_file(sitting, paper, SBA, csv_bytes(SBA_HEADER, _rows(keyed)), "r.csv")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_escape_every_formula_leading_cell(fmt):
    dangerous = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", " =x"]
    data = export_rows(["name"], [[value] for value in dangerous], fmt=fmt)
    if fmt == "csv":
        text = data.decode()
        for value in dangerous:
            assert "'" + value.strip("\r") in text or "'" + value in text
    else:
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(data)).active
        values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert values == ["'" + value for value in dangerous]


def test_candidate_numbers_stored_as_numbers_in_a_workbook_are_found(
    sitting, paper, keyed, faculty_staff
):
    rows = [(int(number), code, option) for number, code, option in _rows(keyed)]
    data = xlsx_bytes(SBA_HEADER, rows)
    report, pending = dry_run(sitting, paper, SBA, upload(data, "r.xlsx"), by=faculty_staff)
    assert report.ok, report.errors
    assert pending is not None


def test_confirming_twice_imports_once(sitting, paper, keyed, faculty_staff):
    from exams.services.imports import confirm_import

    data = csv_bytes(SBA_HEADER, _rows(keyed))
    _, pending = dry_run(sitting, paper, SBA, upload(data), by=faculty_staff)
    _, again = dry_run(sitting, paper, SBA, upload(data), by=faculty_staff)
    assert PendingImport.objects.count() == 1  # the earlier unconfirmed check is replaced
    confirm_import(again, by=faculty_staff)
    with pytest.raises(ExamError, match="imported already"):
        confirm_import(again, by=faculty_staff)
    assert Mark.objects.count() == 15
    assert ResultsImport.objects.filter(kind=SBA).count() == 1


def test_files_wider_than_any_results_file_are_refused(sitting, paper, keyed):
    wide = ["c"] * 600
    with pytest.raises(ExamError, match="more than 501 columns"):
        check_file(sitting, paper, SBA, csv_bytes(wide, [wide]), "r.csv")
    with pytest.raises(ExamError, match="more than 501 columns"):
        check_file(sitting, paper, SBA, xlsx_bytes(wide, [wide]), "r.xlsx")
