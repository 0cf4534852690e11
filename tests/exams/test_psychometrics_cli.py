"""`manage.py exam_stats` and `manage.py standard_set`: output, and refusal of bad input."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exams.psychometrics import io as psychometrics_io

REPO = Path(__file__).resolve().parents[2]
VECTORS = Path(__file__).resolve().parent / "vectors" / "psychometrics_published.json"
B = json.loads(VECTORS.read_text(encoding="utf-8"))["B_wuensch_kr20"]

RESPONSES = "candidate,q1,q2,q3\nc1,1,0,1\nc2,1,1,1\nc3,0,0,1\nc4,1,1,1\n"
KEY = "item,answer\nq1,A\nq2,b\nq3,C\n"
LETTERS = "candidate,q1,q2,q3\nc1,a,C,C\nc2,A,B,c\nc3,,,C\nc4,A,b,C\n"
JUDGEMENTS = "judge,i1,i2\nj1,0.5,0.9\nj2,0.7,0.6\nj3,0.6,0.3\n"
SCORES = "score\n10\n20\n30\n40\n50\n60\n70\n80\n90\n100\n"
HOFSTEE = ["--min-cut", "40", "--max-cut", "70", "--min-fail", "0", "--max-fail", "60"]
OSCE = (
    "candidate,station,score,grade\n"
    "c1,s1,1,0\nc1,s2,2,0\nc2,s1,3,1\nc2,s2,2,1\n"
    "c3,s1,5,1\nc3,s2,4,1\nc4,s1,7,2\nc4,s2,6,2\n"
)


@pytest.fixture
def write(tmp_path):
    def write(content: str | bytes, name: str = "data.csv") -> str:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    return write


def run(*args) -> dict:
    stdout, stderr = StringIO(), StringIO()
    call_command(*args, stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == ""
    return json.loads(stdout.getvalue())


def refused(*args) -> str:
    stdout = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=stdout, stderr=StringIO())
    assert caught.value.returncode == 2
    assert stdout.getvalue() == ""
    message = str(caught.value)
    assert "\n" not in message
    return message


# Output.


def test_exam_stats_reproduces_the_published_example(write):
    rows = [",".join(["c" + str(i)] + [str(v) for v in row]) for i, row in enumerate(B["rows"])]
    header = "candidate," + ",".join(f"q{j}" for j in range(1, 11))
    result = run("exam_stats", write("\n".join([header, *rows]) + "\n"))
    assert set(result) == {"candidates", "items", "mean", "sd", "alpha", "kr20", "sem"}
    assert result["candidates"] == 10
    assert [item["id"] for item in result["items"]] == [f"q{j}" for j in range(1, 11)]
    assert set(result["items"][0]) == {
        "id",
        "facility",
        "point_biserial",
        "corrected_item_total",
        "upper_lower_d",
    }
    assert [i["facility"] for i in result["items"]] == pytest.approx(B["p"], abs=1e-9)
    assert [i["point_biserial"] for i in result["items"]] == pytest.approx(
        B["r_pb_item_total"], abs=1e-9
    )
    assert [i["corrected_item_total"] for i in result["items"]] == pytest.approx(
        B["r_corrected_item_rest"], abs=1e-9
    )
    assert result["mean"] == pytest.approx(6.6)
    assert result["sd"] == pytest.approx(B["sd_total_sample"], abs=1e-9)
    assert result["alpha"] == pytest.approx(B["cronbach_alpha"], abs=1e-9)
    assert result["kr20"] == pytest.approx(B["kr20"], abs=1e-9)
    assert result["sem"] == pytest.approx(B["SEM_sampleSD"], abs=1e-9)
    assert all(isinstance(i["facility"], float) for i in result["items"])


def test_exam_stats_prints_null_for_undefined_statistics(write):
    stdout = StringIO()
    call_command("exam_stats", write(RESPONSES), stdout=stdout)
    text = stdout.getvalue()
    assert "NaN" not in text
    q3 = json.loads(text)["items"][2]
    assert q3 == {
        "id": "q3",
        "facility": 1.0,
        "point_biserial": None,
        "corrected_item_total": None,
        "upper_lower_d": 0.0,
    }
    assert text.startswith('{\n  "candidates": 4,')  # indent=2


def test_exam_stats_scores_letters_against_a_key(write):
    from_letters = run("exam_stats", write(LETTERS), "--key", write(KEY, "key.csv"))
    assert from_letters == run("exam_stats", write(RESPONSES, "binary.csv"))


def test_angoff_command(write):
    result = run("standard_set", "angoff", write(JUDGEMENTS))
    assert result["item_standards"] == [
        {"id": "i1", "standard": pytest.approx(0.6)},
        {"id": "i2", "standard": pytest.approx(0.6)},
    ]
    assert result["cut_raw"] == pytest.approx(1.2)
    assert result["cut_percent"] == pytest.approx(60.0)
    trimmed = run("standard_set", "angoff", write(JUDGEMENTS), "--trim")
    assert [s["standard"] for s in trimmed["item_standards"]] == pytest.approx([0.6, 0.6])


def test_hofstee_command(write):
    # The cut lands on a candidate's score (50): that candidate passes, the four below fail.
    assert run("standard_set", "hofstee", write(SCORES), *HOFSTEE) == {
        "cut": 50.0,
        "method": "intersection",
        "fail_percent": 40.0,
    }
    low = write("score\n10\n10\n", "low.csv")
    fallback = ["--min-cut", "40", "--max-cut", "70", "--min-fail", "5", "--max-fail", "30"]
    assert run("standard_set", "hofstee", low, *fallback) == {
        "cut": 40.0,
        "method": "min_cut",
        "fail_percent": 100.0,
    }


def test_borderline_regression_command(write):
    result = run("standard_set", "borderline-regression", write(OSCE), "--borderline-grade", "1")
    assert set(result) == {"stations", "alpha", "sem", "cut", "candidates"}
    s1, s2 = result["stations"]
    assert s1 == {
        "id": "s1",
        "intercept": pytest.approx(1.0),
        "slope": pytest.approx(3.0),
        "r2": pytest.approx(0.9),
        "pass_mark": pytest.approx(4.0),
        "borderline_group_mark": pytest.approx(4.0),
    }
    assert s2["pass_mark"] == pytest.approx(3.5)
    assert result["alpha"] == pytest.approx(56 / 59)
    assert result["sem"] == pytest.approx(1.0)
    assert result["cut"] == pytest.approx(8.5)
    assert result["candidates"] == [
        {"id": "c1", "total": 3.0, "stations_passed": 0, "pass": False},
        {"id": "c2", "total": 5.0, "stations_passed": 0, "pass": False},
        {"id": "c3", "total": 9.0, "stations_passed": 2, "pass": True},
        {"id": "c4", "total": 13.0, "stations_passed": 2, "pass": True},
    ]
    zero = run(
        "standard_set",
        "borderline-regression",
        write(OSCE),
        "--borderline-grade",
        "1",
        "--sem-margin",
        "0",
        "--min-stations",
        "2",
    )
    assert zero["cut"] == pytest.approx(7.5)
    assert [c["pass"] for c in zero["candidates"]] == [False, False, True, True]


def test_blank_rows_and_spaces_are_tolerated(write):
    tidy = run("exam_stats", write(RESPONSES))
    untidy = (
        "\ufeffcandidate, q1 ,q2,q3\r\nc1,1, 0,1\r\n\r\nc2,1,1,1\r\n,,,\r\nc3,0,0,1\r\nc4,1,1,1"
    )
    assert run("exam_stats", write(untidy, "untidy.csv")) == tidy


# Refusals: each names the file, and the row and column where there is one.


def test_missing_file(tmp_path):
    assert refused("exam_stats", str(tmp_path / "nope.csv")).endswith("nope.csv: no such file")


def test_a_directory_is_not_a_file(tmp_path):
    assert "not a regular file" in refused("exam_stats", str(tmp_path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"candidate,q1\nc1,\xff\nc2,1\n", "not UTF-8 text (invalid byte at offset 16)"),
        (b"", "file is empty"),
        (b" \n\n", "file is empty"),
        (b"\xef\xbb\xbf", "file is empty"),
    ],
)
def test_unreadable_files(write, content, message):
    assert message in refused("exam_stats", write(content))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("cand,q1\nc1,1\nc2,0\n", 'row 1: expected "candidate" as the first column, got "cand"'),
        ("c1,1,0\nc2,0,1\n", 'row 1: expected "candidate" as the first column, got "c1"'),
        ("candidate\nc1\nc2\n", 'row 1: expected item columns after "candidate"'),
        ("candidate,q1,q1\nc1,1,0\nc2,0,1\n", 'row 1: duplicate item id "q1" (columns 2 and 3)'),
        ("candidate,q1,\nc1,1,0\nc2,0,1\n", "row 1, column 3: item id must be 1-64 characters"),
        ("candidate,q 1\nc1,1\nc2,0\n", "column 2: item id must be 1-64 characters from A-Z a-z"),
        ("\ncandidate,q1\nc1,1\nc2,0\n", "row 1: expected a header, got a blank line"),
        (
            "candidate,q1\nc1,1\nc1,0\n",
            'row 3, column "candidate": duplicate candidate id "c1" (first at row 2)',
        ),
        ("candidate,q1\nc1,1\nc/2,0\n", 'row 3, column "candidate": candidate id must be'),
        ("candidate,q1\ncé,1\nc2,0\n", 'got "c\\u00e9" (not ASCII)'),
        ("candidate,q1\n" + "c" * 65 + ",1\nc2,0\n", "candidate id must be 1-64 characters"),
        ("candidate,q1\nc1,1\n", "needs at least 2 candidates, got 1"),
        ("candidate,q1\n", "needs at least 2 candidates, got 0"),
        ("candidate,q1,q2\nc1,1,0\nc2,1\n", "row 3: expected 3 cells, got 2"),
        ("candidate,q1\nc1,1\nc2,0,1\n", "row 3: expected 2 cells, got 3"),
        ("candidate,q1,q12\nc1,1,0\nc2,0,x\n", 'row 3, column "q12": expected 0 or 1, got "x"'),
        ("candidate,q1\nc1,1\nc2,2\n", 'row 3, column "q1": expected 0 or 1, got "2"'),
        ("candidate,q1\nc1,1\nc2,\n", 'row 3, column "q1": expected 0 or 1, got ""'),
        ("candidate,q1\nc1,1\nc2,1.0\n", 'expected 0 or 1, got "1.0"'),
        ("candidate,q1\nc1,1\nc2,１\n", 'expected 0 or 1, got "\\uff11" (not ASCII)'),
        ("candidate,q1\nc1,1\nc2,١\n", 'expected 0 or 1, got "\\u0661" (not ASCII)'),
        ('candidate,q1\nc1,1\nc2,"0"x\n', "row 3: not valid CSV"),
    ],
)
def test_bad_responses(write, content, message):
    assert message in refused("exam_stats", write(content))


def test_cell_errors_name_the_file_row_and_column(write):
    path = write("candidate,q1,q12\n" + "".join(f"c{i},1,0\n" for i in range(5)) + "c9,1,x\n")
    assert refused("exam_stats", path) == f'{path}, row 7, column "q12": expected 0 or 1, got "x"'


@pytest.mark.parametrize(
    ("responses", "key", "message"),
    [
        (
            LETTERS.replace("c3,,,C", "c3,E,,C"),
            KEY,
            'row 4, column "q1": expected an option A-D or blank, got "E"',
        ),
        (LETTERS.replace("c3,,,C", "c3,1,,C"), KEY, 'expected an option A-D or blank, got "1"'),
        (LETTERS.replace("c3,,,C", "c3,Ａ,,C"), KEY, '"\\uff21" (not ASCII)'),
        (LETTERS, "item,answer\nq1,A\nq2,B\n", 'key.csv: no answer for item "q3"'),
        (LETTERS, KEY + "q4,D\n", 'key.csv, row 5: item "q4" is not in'),
        (
            LETTERS,
            "item,answer\nq1,A\nq2,B\nq3,E\n",
            'key.csv, row 4, column "answer": expected an option A-D, got "E"',
        ),
        (LETTERS, "item,answer\nq1,A\nq2,B\nq3,\n", 'expected an option A-D, got ""'),
        (LETTERS, "item,answer\nq1,A\nq1,B\nq3,C\n", 'key.csv, row 3, column "item": duplicate'),
        (LETTERS, "question,answer\nq1,A\n", 'key.csv, row 1: expected the header "item,answer"'),
        (LETTERS, "item,answer\n", "key.csv: no items in the key"),
    ],
)
def test_bad_key_or_letters(write, responses, key, message):
    assert message in refused("exam_stats", write(responses), "--key", write(key, "key.csv"))


def test_file_larger_than_the_limit_is_refused_before_reading(write, monkeypatch):
    path = write("")
    with open(path, "wb") as handle:
        handle.truncate(psychometrics_io.MAX_FILE_BYTES + 1)  # sparse: no 20 MB written

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(psychometrics_io, "open", no_reading, raising=False)
    assert "file is larger than 20 MB" in refused("exam_stats", path)


def test_too_many_rows(write):
    rows = "".join(f"c{i},1\n" for i in range(psychometrics_io.MAX_ROWS + 1))
    assert f"more than {psychometrics_io.MAX_ROWS} data rows" in refused(
        "exam_stats", write("candidate,q1\n" + rows)
    )


def test_too_many_items(write):
    header = "candidate," + ",".join(f"q{j}" for j in range(psychometrics_io.MAX_ITEMS + 1))
    assert "row 1: more than 1000 item columns" in refused("exam_stats", write(header + "\n"))


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (
            JUDGEMENTS.replace("0.9", "1.5"),
            [],
            'row 2, column "i2": expected a probability from 0 to 1, got "1.5"',
        ),
        (JUDGEMENTS.replace("0.9", "-0.1"), [], 'expected a probability from 0 to 1, got "-0.1"'),
        (JUDGEMENTS.replace("0.9", "nan"), [], 'got "nan"'),
        (JUDGEMENTS.replace("0.9", "NaN"), [], 'got "NaN"'),
        (JUDGEMENTS.replace("0.9", "inf"), [], 'got "inf"'),
        (JUDGEMENTS.replace("0.9", "0,9"), [], "row 2: expected 3 cells, got 4"),
        (JUDGEMENTS.replace("0.9", "０.９"), [], "(not ASCII)"),
        (JUDGEMENTS.replace("0.9", ""), [], 'got ""'),
        (JUDGEMENTS.replace("j2", "j1"), [], 'duplicate judge id "j1" (first at row 2)'),
        ("judges,i1\nj1,0.5\n", [], 'row 1: expected "judge" as the first column, got "judges"'),
        ("judge,i1\n", [], "no judges"),
        ("judge,i1\nj1,0.5\nj2,0.6\n", ["--trim"], "trimming needs at least 3 judges, got 2"),
    ],
)
def test_bad_judgements(write, content, extra, message):
    assert message in refused("standard_set", "angoff", write(content), *extra)


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ("scores\n50\n60\n", HOFSTEE, 'row 1: expected the header "score", got "scores"'),
        ("score,x\n50,1\n60,1\n", HOFSTEE, 'expected the header "score", got "score,x"'),
        ("score\n50\n", HOFSTEE, "needs at least 2 candidates, got 1"),
        (
            "score\n50\n101\n",
            HOFSTEE,
            'row 3, column "score": expected a percentage from 0 to 100, got "101"',
        ),
        ("score\n50\nInfinity\n", HOFSTEE, 'got "Infinity"'),
        ("score\n50\n1e999\n", HOFSTEE, 'got "1e999"'),
        ("score\n50\n٥٠\n", HOFSTEE, "(not ASCII)"),
        (
            "score\n50\n60\n",
            [*HOFSTEE[:1], "x", *HOFSTEE[2:]],
            '--min-cut: expected a finite number, got "x"',
        ),
        (
            "score\n50\n60\n",
            [*HOFSTEE[:1], "４０", *HOFSTEE[2:]],
            "--min-cut: expected a finite number, got",
        ),
        (
            "score\n50\n60\n",
            [*HOFSTEE[:1], "nan", *HOFSTEE[2:]],
            '--min-cut: expected a finite number, got "nan"',
        ),
        ("score\n50\n60\n", [*HOFSTEE[:1], "80", *HOFSTEE[2:]], "minimum cut must be below"),
        ("score\n50\n60\n", [*HOFSTEE[:7], "120"], "bounds must be percentages from 0 to 100"),
    ],
)
def test_bad_hofstee_input(write, content, options, message):
    assert message in refused("standard_set", "hofstee", write(content), *options)


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        (
            OSCE + "c2,s1,3,1\n",
            [],
            'row 10: duplicate row for candidate "c2" at station "s1" (first at row 4)',
        ),
        (OSCE.replace("c4,s2,6,2\n", ""), [], 'candidate "c4" has no row for station "s2"'),
        (
            OSCE.replace("c3,s1,5,1", "c3,s1,five,1"),
            [],
            'row 6, column "score": expected a finite number, got "five"',
        ),
        (OSCE.replace("c3,s1,5,1", "c3,s1,nan,1"), [], 'got "nan"'),
        (OSCE.replace("c3,s1,5,1", "c3,s1,-inf,1"), [], 'got "-inf"'),
        (
            OSCE.replace("c3,s1,5,1", "c3,s1,5,1.5"),
            [],
            'row 6, column "grade": expected a whole-number grade, got "1.5"',
        ),
        (OSCE.replace("c3,s1,5,1", "c3,s1,5,١"), [], "(not ASCII)"),
        (OSCE.replace("c3,s1,5,1", "c3,s1,５,1"), [], "(not ASCII)"),
        (OSCE.replace("c3,s1", "c3,s 1"), [], 'row 6, column "station": station id must be'),
        (
            OSCE.replace("candidate,station", "candidate,room"),
            [],
            'expected the header "candidate,station,score,grade"',
        ),
        (
            "candidate,station,score,grade\nc1,s1,1,0\nc1,s2,1,1\n",
            [],
            "needs at least 2 candidates, got 1",
        ),
        (
            OSCE,
            ["--borderline-grade", "3"],
            "no candidate has the borderline grade 3 (grades present: 0, 1, 2)",
        ),
        (OSCE, ["--borderline-grade", "x"], '--borderline-grade: expected a whole number, got "x"'),
        (OSCE, ["--borderline-grade", "１"], "--borderline-grade: expected a whole number"),
        (OSCE, ["--borderline-grade", "-1"], "--borderline-grade: expected a whole number"),
        (OSCE, ["--sem-margin", "inf"], '--sem-margin: expected a finite number, got "inf"'),
        (OSCE, ["--min-stations", "3"], "minimum stations to pass must be from 0 to 2, got 3"),
        (OSCE, ["--min-stations", "٢"], "--min-stations: expected a whole number"),
        (
            OSCE.replace(",0\n", ",1\n").replace(",2\n", ",1\n"),
            [],
            'station "s1": every candidate has the same grade',
        ),
    ],
)
def test_bad_osce_input(write, content, options, message):
    if "--borderline-grade" not in options:
        options = ["--borderline-grade", "1", *options]
    assert message in refused("standard_set", "borderline-regression", write(content), *options)


# The real command line: exit status 2 and one line on stderr.


def manage(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.test_settings"}
    return subprocess.run(  # noqa: S603 (our own manage.py with fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_command_line_exit_status_and_message(write):
    path = write("candidate,q1,q12\nc1,1,0\nc2,0,x\n")
    done = manage("exam_stats", path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (f'CommandError: {path}, row 3, column "q12": expected 0 or 1, got "x"\n')
