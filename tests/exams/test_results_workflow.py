"""Standard setting, item exclusion, ratification, release, awards and appeals: each move
guarded, refused moves change nothing."""

import datetime

import pytest
from django.utils import timezone

from credentials.api import holder_credentials
from exams.models import AngoffJudgement, Appeal, CandidateResult, Item, SittingStatus
from exams.sample_results import DOMAINS
from exams.services.appeals import decide_appeal, lodge_appeal
from exams.services.errors import ExamError
from exams.services.judgements import parse_judgements, save_judgements
from exams.services.standards import (
    ANGOFF,
    BORDERLINE_REGRESSION,
    FIXED,
    award_passes,
    ratify,
    release,
    set_item_excluded,
    set_standard,
)
from portal.roles import Role
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
)
from tests.factories import make_persona

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def second_administrator(db):
    return make_persona(Role.FACULTY_STAFF, mfa=True, email="second@example.org")


@pytest.fixture
def imported(faculty_staff):
    sitting = make_sitting(past=True)
    bookings = [book(sitting) for _ in range(10)]
    key = key_rows(20)
    run_import(sitting, "paper", KEY, csv_bytes(KEY_HEADER, key), by=faculty_staff)
    numbers = [b.candidate_number for b in bookings]
    run_import(
        sitting, "paper", SBA, csv_bytes(SBA_HEADER, sba_rows(numbers, key)), by=faculty_staff
    )
    sitting.refresh_from_db()
    return sitting


def _judge(sitting, by, value=0.6):
    codes = list(Item.objects.filter(sitting=sitting).values_list("code", flat=True))
    header = ["judge", *codes]
    rows = [[judge, *[value] * len(codes)] for judge in ("A", "B", "C")]
    judgements, errors = parse_judgements(sitting, csv_bytes(header, rows), "j.csv")
    assert errors == []
    save_judgements(sitting, judgements, by=by)


def test_angoff_sets_the_cut_and_computes_every_result(imported, faculty_staff):
    _judge(imported, faculty_staff)
    set_standard(imported, method=ANGOFF, by=faculty_staff)
    imported.refresh_from_db()
    assert imported.status == SittingStatus.STANDARD_SET
    assert imported.cut_score == pytest.approx(12.0)
    results = CandidateResult.objects.filter(booking__sitting=imported)
    assert results.count() == 10
    assert all(r.passed == (r.total >= 12) for r in results)
    feedback = results.first().feedback
    assert {f["label"] for f in feedback} == set(DOMAINS)


def test_judgement_files_with_bad_cells_are_reported(imported):
    header = ["judge", "Q001", "Q999"]
    rows = [["A", "1.5", "0.5"], ["=cmd", "0.5", "0.5"]]
    _, errors = parse_judgements(imported, csv_bytes(header, rows), "j.csv")
    assert (1, "column 'q999' is not a question of this sitting") in errors
    assert any(row == 2 and "not a probability" in message for row, message in errors)
    assert any(row == 3 and "is not a name" in message for row, message in errors)


def test_angoff_without_judgements_is_refused(imported, faculty_staff):
    with pytest.raises(ExamError, match="Angoff judgements first"):
        set_standard(imported, method=ANGOFF, by=faculty_staff)
    imported.refresh_from_db()
    assert imported.status == SittingStatus.RESULTS_IMPORTED
    assert not CandidateResult.objects.exists()


def test_excluding_an_item_rescores(imported, faculty_staff):
    set_standard(imported, method=FIXED, cut=10, by=faculty_staff)
    before = {r.booking_id: r.total for r in CandidateResult.objects.all()}
    item = Item.objects.get(sitting=imported, code="Q001")
    with pytest.raises(ExamError, match="Say why"):
        set_item_excluded(item, excluded=True, reason="", by=faculty_staff)
    set_item_excluded(item, excluded=True, reason="Two right answers", by=faculty_staff)
    imported.refresh_from_db()
    assert imported.cut_score == pytest.approx(10 * 19 / 20)
    after = {r.booking_id: r.total for r in CandidateResult.objects.all()}
    assert all(r.max_total == 19 for r in CandidateResult.objects.all())
    assert sum(before.values()) - sum(after.values()) == item.marks.filter(score=1).count()
    with pytest.raises(ExamError, match="already excluded"):
        set_item_excluded(item, excluded=True, reason="again", by=faculty_staff)


def test_only_a_second_administrator_ratifies(imported, faculty_staff, second_administrator):
    with pytest.raises(ExamError, match="whose standard is set"):
        ratify(imported, by=second_administrator)
    set_standard(imported, method=FIXED, cut=10, by=faculty_staff)
    with pytest.raises(ExamError, match="second administrator"):
        ratify(imported, by=faculty_staff)
    imported.refresh_from_db()
    assert imported.status == SittingStatus.STANDARD_SET
    ratify(imported, by=second_administrator)
    imported.refresh_from_db()
    assert imported.status == SittingStatus.RATIFIED
    with pytest.raises(ExamError, match="before they are ratified"):
        set_standard(imported, method=FIXED, cut=5, by=faculty_staff)
    with pytest.raises(ExamError, match="before the results are ratified"):
        set_item_excluded(
            Item.objects.filter(sitting=imported).first(),
            excluded=True,
            reason="x",
            by=faculty_staff,
        )


def _ratified(sitting, first, second, cut=10):
    set_standard(sitting, method=FIXED, cut=cut, by=first)
    ratify(sitting, by=second)
    sitting.refresh_from_db()
    return sitting


def test_release_awards_each_pass_once(
    imported,
    faculty_staff,
    second_administrator,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    _ratified(imported, faculty_staff, second_administrator)
    with pytest.raises(ExamError, match="Only ratified"):
        release(make_sitting(past=True, label="Other"), by=faculty_staff)
    with django_capture_on_commit_callbacks(execute=True):
        release(imported, by=faculty_staff)
    # Every candidate is told their result is ready; the email itself says nothing of it.
    assert len(mailoutbox) == 10
    assert all("pass" not in m.body.lower() and "/result/" in m.body for m in mailoutbox)
    passes = CandidateResult.objects.filter(booking__sitting=imported, passed=True)
    assert passes.exists()
    for result in passes:
        creds = holder_credentials(result.booking.candidate, credential_type="diploma_msk_medicine")
        assert creds.count() == 1
    # Running the award again (a retried task) awards nothing new.
    award_passes(imported.pk)
    for result in passes:
        assert holder_credentials(result.booking.candidate).count() == 1
    fails = CandidateResult.objects.filter(booking__sitting=imported, passed=False)
    for result in fails:
        assert not holder_credentials(result.booking.candidate).exists()
    with pytest.raises(ExamError, match="Only ratified"):
        release(imported, by=faculty_staff)


def test_a_scheduled_release_awards_nothing_until_it_is_due(
    imported, faculty_staff, second_administrator, django_capture_on_commit_callbacks
):
    _ratified(imported, faculty_staff, second_administrator)
    later = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        release(imported, by=faculty_staff, at=later)
    assert award_passes(imported.pk) == 0


def test_the_highest_score_at_a_membership_sitting_gets_the_medal(faculty_staff):
    sitting = make_sitting("mfsem-part-2", past=True)
    numbers = [book(sitting).candidate_number for _ in range(12)]
    run_import(sitting, "osce", OSCE, csv_bytes(OSCE_HEADER, osce_rows(numbers)), by=faculty_staff)
    set_standard(sitting, method=BORDERLINE_REGRESSION, by=faculty_staff)
    results = CandidateResult.objects.filter(booking__sitting=sitting)
    best = max(r.total for r in results)
    assert [r.total for r in results if r.medal] == [best]
    sitting.refresh_from_db()
    assert len(sitting.standard_detail["stations"]) == 12
    assert all(r.stations_passed is not None for r in results)
    with pytest.raises(ExamError, match="borderline regression"):
        set_standard(sitting, method=FIXED, cut=100, by=faculty_staff)


def test_appeals_within_the_window_decided_once(
    imported, faculty_staff, second_administrator, django_capture_on_commit_callbacks
):
    _ratified(imported, faculty_staff, second_administrator)
    booking = CandidateResult.objects.filter(booking__sitting=imported).first().booking
    with pytest.raises(ExamError, match="once your result is released"):
        lodge_appeal(booking, grounds="Unfair", by=booking.candidate)
    with django_capture_on_commit_callbacks(execute=True):
        release(imported, by=faculty_staff)
    with pytest.raises(ExamError, match="Only the candidate"):
        lodge_appeal(booking, grounds="Unfair", by=faculty_staff)
    appeal = lodge_appeal(booking, grounds="The room was too noisy.", by=booking.candidate)
    with pytest.raises(ExamError, match="waiting for a decision"):
        lodge_appeal(booking, grounds="Again", by=booking.candidate)
    decide_appeal(appeal, upheld=False, outcome="Noise was within the norms.", by=faculty_staff)
    with pytest.raises(ExamError, match="decided already"):
        decide_appeal(appeal, upheld=True, outcome="x", by=faculty_staff)
    type(imported).objects.filter(pk=imported.pk).update(
        released_at=timezone.now() - datetime.timedelta(days=15)
    )
    with pytest.raises(ExamError, match="Appeals closed"):
        lodge_appeal(booking, grounds="Late", by=booking.candidate)
    assert Appeal.objects.count() == 1
    assert AngoffJudgement.objects.count() == 0


def test_exam_awards_awards_a_scheduled_release_once_due(
    imported, faculty_staff, second_administrator, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    _ratified(imported, faculty_staff, second_administrator)
    later = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        release(imported, by=faculty_staff, at=later)
    call_command("exam_awards", stdout=open("/dev/null", "w"))  # noqa: SIM115
    passes = CandidateResult.objects.filter(booking__sitting=imported, passed=True)
    assert not any(holder_credentials(r.booking.candidate).exists() for r in passes)
    type(imported).objects.filter(pk=imported.pk).update(
        released_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("exam_awards", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("exam_awards", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert all(holder_credentials(r.booking.candidate).count() == 1 for r in passes)


def test_hofstee_sets_the_cut_from_the_panels_bounds(imported, faculty_staff):
    from exams import psychometrics
    from exams.services.standards import HOFSTEE

    bounds = {"min_cut": 40.0, "max_cut": 70.0, "min_fail": 10.0, "max_fail": 50.0}
    with pytest.raises(ExamError, match="Hofstee standard cannot be set"):
        set_standard(
            imported,
            method=HOFSTEE,
            hofstee_bounds={**bounds, "min_cut": 80.0},
            by=faculty_staff,
        )
    set_standard(imported, method=HOFSTEE, hofstee_bounds=bounds, by=faculty_staff)
    imported.refresh_from_db()
    totals = [r.total for r in CandidateResult.objects.filter(booking__sitting=imported)]
    expected = psychometrics.hofstee([100 * t / 20 for t in totals], **bounds).cut
    assert imported.cut_score == pytest.approx(expected * 20 / 100)
    assert imported.standard_detail["cut_percent"] == pytest.approx(expected)
