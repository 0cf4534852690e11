"""Hofstee from the exams team's pages and from the command line: one convention (a score equal
to the cut passes; the curve is the percentage of candidates scoring below each mark), the same
cut and the same fail rate everywhere, and a candidate exactly on the cut passes."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from exams.models import CandidateResult, Sitting
from tests.exams.factories import book, make_sitting
from tests.exams.results_data import KEY, KEY_HEADER, SBA, SBA_HEADER, csv_bytes, run_import

pytestmark = pytest.mark.django_db

BOUNDS = {"min_cut": "40", "max_cut": "70", "min_fail": "0", "max_fail": "60"}
ITEMS = 10


@pytest.fixture
def sitting(faculty_staff):
    """Ten candidates on ten questions: candidate n answers the first n right (10% to 100%)."""
    sitting = make_sitting(past=True, label="Hofstee")
    numbers = [book(sitting).candidate_number for _ in range(ITEMS)]
    key = [(f"Q{j:03d}", "A", "Diagnosis") for j in range(1, ITEMS + 1)]
    run_import(sitting, "paper", KEY, csv_bytes(KEY_HEADER, key), by=faculty_staff)
    answers = [
        (number, code, "A" if j < n else "B")
        for n, number in enumerate(numbers, start=1)
        for j, (code, _, _) in enumerate(key)
    ]
    run_import(sitting, "paper", SBA, csv_bytes(SBA_HEADER, answers), by=faculty_staff)
    return Sitting.objects.get(pk=sitting.pk)


def test_the_candidate_on_the_cut_passes_and_the_pages_and_command_agree(
    client, faculty_staff, sitting, tmp_path
):
    client.force_login(faculty_staff)
    url = f"/manage/exams/sittings/{sitting.pk}/standard/"
    form = {"standard-method": "hofstee", **{f"standard-{k}": v for k, v in BOUNDS.items()}}
    response = client.post(url, form)
    assert response.status_code == 302

    # The line meets the curve at 50%: 5 of 10 marks, the fifth candidate's score.
    sitting.refresh_from_db()
    assert sitting.cut_score == pytest.approx(5.0)
    assert sitting.standard_detail["cut_percent"] == pytest.approx(50.0)
    results = {r.total: r.passed for r in CandidateResult.objects.filter(booking__sitting=sitting)}
    assert results[5.0] is True  # exactly on the cut: a pass
    assert results[4.0] is False
    assert sum(not passed for passed in results.values()) == 4  # 40% fail

    # The pages say the same: the cut, how it was reached, the fail rate it gives.
    sentence = (
        "Hofstee compromise: the cut is 50.00%, where the panel&#x27;s line meets the curve of "
        "candidates scoring below each mark. 40.0% of candidates score below the cut and fail; "
        "a score equal to the cut passes."
    )
    standard_page = client.get(url).content.decode()
    assert sentence in standard_page
    results_page = client.get(f"/manage/exams/sittings/{sitting.pk}/results/").content.decode()
    assert sentence in results_page
    assert "6 of 10 passed (60.0%)" in results_page

    # And so does the command line, from the same percentages.
    scores = tmp_path / "scores.csv"
    scores.write_text("score\n" + "".join(f"{10 * n}\n" for n in range(1, 11)))
    out = StringIO()
    options = [f"--{name.replace('_', '-')}={value}" for name, value in BOUNDS.items()]
    call_command("standard_set", "hofstee", str(scores), *options, stdout=out)
    assert json.loads(out.getvalue()) == {
        "cut": 50.0,
        "method": "intersection",
        "fail_percent": 40.0,
    }
