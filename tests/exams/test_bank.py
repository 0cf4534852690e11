"""The question bank: versions, a second person's review, approval, retirement; a version in
a paper never changes; statistics per version and sitting; only the exam team sees it."""

import re

import pytest
from django.urls import reverse

from exams.models import QuestionState, QuestionStatistic, QuestionVersion
from exams.services import bank
from exams.services.errors import ExamError
from portal.roles import Role
from tests.exams import delivery_builders as builders
from tests.factories import make_persona

pytestmark = pytest.mark.django_db

CONTENT = {
    "stem": "A runner has heel pain worst on the first steps of the morning. Most likely?",
    "options": ["Plantar fasciopathy", "Achilles rupture", "Calcaneal fracture", "Gout"],
    "key": "A",
    "domain": "Lower limb",
}


@pytest.fixture
def team(db):
    return [make_persona(Role.FACULTY_STAFF, mfa=True) for _ in range(3)]


@pytest.fixture
def exam(db):
    return builders.small_exam()


def test_a_question_goes_from_draft_to_approved_by_two_other_people(exam, team):
    author, reviewer, approver = team
    version = bank.write_question(exam=exam, code="LL-001", by=author, **CONTENT)
    assert version.state == QuestionState.DRAFT and version.number == 1
    with pytest.raises(ExamError, match="second person"):
        bank.review_question(version=version, by=author)
    version = bank.review_question(version=version, by=reviewer)
    with pytest.raises(ExamError, match="someone else approves"):
        bank.approve_question(version=version, by=author)
    version = bank.approve_question(version=version, by=approver)
    assert version.state == QuestionState.APPROVED
    assert (version.reviewer, version.approved_by) == (reviewer, approver)


def test_moves_out_of_order_are_refused_and_change_nothing(exam, team):
    author, reviewer, _ = team
    version = bank.write_question(exam=exam, code="LL-002", by=author, **CONTENT)
    with pytest.raises(ExamError, match="the question is draft"):
        bank.approve_question(version=version, by=reviewer)
    version.refresh_from_db()
    assert version.state == QuestionState.DRAFT and version.approved_by is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"options": ["One", "Two", "Three"]}, "4 or 5 options"),
        ({"options": ["Same", "same", "Other", "More"]}, "different"),
        ({"key": "E"}, "Choose the key"),
        ({"stem": ""}, "Enter the question"),
        ({"stem": "x" * 4001}, "4,000 characters"),
        ({"domain": "Lower\u202elimb"}, "hidden"),
    ],
)
def test_bad_content_is_refused(exam, team, change, message):
    with pytest.raises(ExamError, match=message):
        bank.write_question(exam=exam, code="LL-003", by=team[0], **{**CONTENT, **change})
    assert not QuestionVersion.objects.exists()


@pytest.mark.parametrize("code", ["", "has space", "x" * 31, "\u0661\u0662", "=cmd"])
def test_codes_are_short_and_ascii(exam, team, code):
    with pytest.raises(ExamError, match="code"):
        bank.write_question(exam=exam, code=code, by=team[0], **CONTENT)


def test_editing_an_approved_question_makes_a_new_draft_version(exam, team):
    author, reviewer, approver = team
    version = bank.write_question(exam=exam, code="LL-004", by=author, **CONTENT)
    bank.review_question(version=version, by=reviewer)
    approved = bank.approve_question(version=version, by=approver)
    new = bank.revise_question(version=approved, by=reviewer, **{**CONTENT, "key": "B"})
    approved.refresh_from_db()
    assert (new.number, new.state, new.key) == (2, QuestionState.DRAFT, "B")
    assert (approved.state, approved.key) == (QuestionState.APPROVED, "A")
    with pytest.raises(ExamError, match="not the latest"):
        bank.revise_question(version=approved, by=author, **CONTENT)


def test_a_draft_no_paper_uses_is_changed_in_place(exam, team):
    version = bank.write_question(exam=exam, code="LL-005", by=team[0], **CONTENT)
    same = bank.revise_question(version=version, by=team[0], **{**CONTENT, "key": "C"})
    assert same.pk == version.pk and same.key == "C"


def test_a_question_in_a_frozen_paper_never_changes(db):
    paper = builders.frozen_paper()
    question = paper.questions.select_related("version").first()
    before = (question.version.stem, question.version.key)
    new = bank.revise_question(
        version=question.version, by=make_persona(Role.FACULTY_STAFF), **CONTENT
    )
    question.version.refresh_from_db()
    assert new.pk != question.version.pk
    assert (question.version.stem, question.version.key) == before
    assert question.item.answer == before[1]


def test_retired_questions_go_into_no_new_paper(db, team):
    exam = builders.small_exam()
    versions = builders.approved_bank(exam, per_domain=2)
    bank.retire_question(version=versions[0], by=team[0])
    from exams.services.papers import approved_versions

    assert versions[0].pk not in {v.pk for v in approved_versions(exam)}


def test_statistics_are_kept_per_version_and_sitting(db):
    from exams.services import attempts, papers
    from tests.exams.factories import make_candidate

    paper = builders.frozen_paper()
    for n in range(4):
        booking = builders.seated(paper, make_candidate())
        attempt = attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate)
        for i, pq in enumerate(paper.questions.select_related("version")):
            right = pq.version.key if i <= n else "ABCD".replace(pq.version.key, "")[0]
            attempts.save_answer(
                attempt_id=attempt.pk,
                by=booking.candidate,
                paper_question_id=pq.pk,
                version_id=pq.version_id,
                tab="t",
                sequence=1,
                option=right,
            )
        attempts.submit_attempt(attempt=attempt, by=booking.candidate)
    papers.close_paper(paper=paper, by=make_persona(Role.FACULTY_STAFF))
    assert bank.record_statistics(paper.sitting) == 4
    first = paper.questions.order_by("order").first()
    stat = QuestionStatistic.objects.get(version=first.version)
    assert stat.candidates == 4 and stat.facility == 1.0


def test_only_the_exam_team_sees_the_bank(client, exam, team, applicant, assessor):
    version = bank.write_question(exam=exam, code="LL-006", by=team[0], **CONTENT)
    urls = [
        reverse("exams:bank_index"),
        reverse("exams:bank", args=[exam.code]),
        reverse("exams:bank_question", args=[exam.code, "LL-006"]),
        reverse("exams:bank_edit", args=[exam.code, "LL-006"]),
        reverse("exams:bank_new", args=[exam.code]),
    ]
    for person in (applicant, assessor):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, url
        step = reverse("exams:bank_step", args=[exam.code, "LL-006", "review"])
        assert client.post(step).status_code == 404
    version.refresh_from_db()
    assert version.state == QuestionState.DRAFT
    client.force_login(team[1])
    page = client.get(reverse("exams:bank_question", args=[exam.code, "LL-006"]))
    assert page.status_code == 200 and "Plantar fasciopathy" in page.content.decode()


def test_the_team_writes_reviews_and_approves_through_the_pages(client, exam, team):
    author, reviewer, _ = team
    client.force_login(author)
    response = client.post(
        reverse("exams:bank_new", args=[exam.code]),
        {
            "code": "LL-010",
            "domain": "Lower limb",
            "stem": "Which test?",
            "option_a": "One",
            "option_b": "Two",
            "option_c": "Three",
            "option_d": "Four",
            "key": "B",
        },
    )
    assert response.status_code == 302
    client.force_login(reviewer)
    client.post(reverse("exams:bank_step", args=[exam.code, "LL-010", "review"]))
    client.force_login(author)
    refused = client.post(
        reverse("exams:bank_step", args=[exam.code, "LL-010", "approve"]), follow=True
    )
    assert "someone else approves" in refused.content.decode()
    client.force_login(team[2])
    client.post(reverse("exams:bank_step", args=[exam.code, "LL-010", "approve"]))
    assert QuestionVersion.objects.get().state == QuestionState.APPROVED


def test_the_form_says_what_is_missing(client, exam, team):
    client.force_login(team[0])
    page = client.post(reverse("exams:bank_new", args=[exam.code]), {"code": "LL-011"})
    text = page.content.decode()
    assert "There is a problem" in text
    assert "Enter the question." in text and "Choose the key." in text
    assert not QuestionVersion.objects.exists()


# --- the bank as a file ------------------------------------------------------------------

HEADER = "code,domain,question,option_a,option_b,option_c,option_d,option_e,key,tags,explanation\n"


def _csv(*rows) -> bytes:
    return (HEADER + "".join(rows)).encode()


ROW = "UL-001,Upper limb,Which nerve?,Median,Ulnar,Radial,Axillary,,B,hand;nerve,Because.\n"


def test_a_file_is_checked_then_imported_all_or_nothing_and_again_changes_nothing(exam, team):
    from exams.services import bank_files

    report = bank_files.check(exam, _csv(ROW), "bank.csv")
    assert report.ok and report.new == ["UL-001"]
    assert not QuestionVersion.objects.exists()  # a check saves nothing
    bank_files.import_bank(exam, _csv(ROW), "bank.csv", by=team[0])
    version = QuestionVersion.objects.get()
    assert (version.key, version.tags, version.state) == ("B", ["hand", "nerve"], "draft")
    again = bank_files.import_bank(exam, _csv(ROW), "bank.csv", by=team[0])
    assert again.unchanged == ["UL-001"] and QuestionVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("UL-002,Upper limb,=HYPERLINK(1),A,B,C,D,,A,,\n", "formula"),
        ("UL-002,Upper limb,Q?,A,B,C,D,,F,,\n", "Row 3: Choose the key"),
        ("UL 002,Upper limb,Q?,A,B,C,D,,A,,\n", "Row 3: the code"),
        (ROW, "appears twice"),
    ],
)
def test_any_bad_row_means_nothing_is_imported(exam, team, row, message):
    from exams.services import bank_files

    report = bank_files.import_bank(exam, _csv(ROW, row), "bank.csv", by=team[0])
    assert not report.ok and any(message in error for error in report.errors), report.errors
    assert not QuestionVersion.objects.exists()


def test_a_workbook_export_round_trips(exam, team):
    from exams.services import bank_files

    bank_files.import_bank(exam, _csv(ROW), "bank.csv", by=team[0])
    data = bank_files.export(exam, fmt="xlsx")
    report = bank_files.check(exam, data, "bank.xlsx")
    assert report.ok and report.unchanged == ["UL-001"], report.errors


def test_the_import_page_checks_then_imports(client, exam, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(team[0])
    url = reverse("exams:bank_import", args=[exam.code])
    page = client.post(url, {"file": SimpleUploadedFile("bank.csv", _csv(ROW))})
    text = page.content.decode()
    assert "The file is ready: 1 new question" in text
    token = re.search(r'name="confirm" value="([^"]+)"', text)[1]
    assert not QuestionVersion.objects.exists()
    client.post(url, {"confirm": token})
    assert QuestionVersion.objects.count() == 1
    bad = client.post(url, {"file": SimpleUploadedFile("bank.pdf", b"%PDF-1.4")})
    assert "Upload a CSV file" in bad.content.decode()
