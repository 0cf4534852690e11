"""The question bank's steps: write, revise, review, approve, retire; and record how each
version performed in a sitting.

Rules:
- Only the exam team works on the bank (the views check the role; these functions check the
  people involved): the reviewer is never the author, and the approver is never the author.
- A version is edited in place only while it is a draft that no paper uses. Editing any other
  version makes the next version, a draft, and leaves the old one as it was (a version in a
  frozen paper, and so in a sitting, never changes).
- Retiring takes a question out of new papers; papers that already hold it keep it.
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from exams.models import (
    OPTION_LETTERS,
    Exam,
    PaperQuestion,
    Question,
    QuestionState,
    QuestionStatistic,
    QuestionVersion,
)
from exams.services.errors import ExamError
from portal.audit import record
from portal.text import has_hidden_characters

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,29}", re.ASCII)
MAX_STEM = 4000
MAX_OPTION = 500
MAX_DOMAIN = 60
MAX_TAGS = 10


def _text(value, what: str, limit: int, *, required=True, multiline=False) -> str:
    value = (value or "").strip() if multiline else " ".join(str(value or "").split())
    if required and not value:
        raise ExamError(f"Enter {what}.")
    if len(value) > limit:
        raise ExamError(f"{what[0].upper()}{what[1:]} must be {limit:,} characters or fewer.")
    if has_hidden_characters(value, multiline=multiline):
        raise ExamError(f"Remove the hidden or text-direction characters from {what}.")
    return value


def clean_content(
    *, stem, options, key, domain, tags=(), explanation="", image_alt="", has_image=False
) -> dict:
    """The words of a version, checked: 4 or 5 options, a key that names one of them."""
    options = [_text(option, "every option", MAX_OPTION) for option in (options or [])]
    if len(options) not in (4, 5):
        raise ExamError("Give 4 or 5 options.")
    if len({option.casefold() for option in options}) != len(options):
        raise ExamError("Each option must be different.")
    key = (key or "").strip().upper()
    if len(key) != 1 or key not in OPTION_LETTERS[: len(options)]:
        raise ExamError(f"Choose the key: one of {', '.join(OPTION_LETTERS[: len(options)])}.")
    tags = sorted({_text(tag, "each tag", 40).lower() for tag in tags if str(tag).strip()})
    if len(tags) > MAX_TAGS:
        raise ExamError(f"Give at most {MAX_TAGS} tags.")
    alt = _text(image_alt, "the image's alternative text", 300, required=has_image)
    return {
        "stem": _text(stem, "the question", MAX_STEM, multiline=True),
        "options": options,
        "key": key,
        "domain": _text(domain, "the domain", MAX_DOMAIN),
        "tags": tags,
        "explanation": _text(explanation, "the explanation", 2000, required=False, multiline=True),
        "image_alt": alt if has_image else "",
    }


def _snapshot(version: QuestionVersion) -> dict:
    return {"version": version.number, "state": version.state}


def in_a_paper(version: QuestionVersion) -> bool:
    return PaperQuestion.objects.filter(version=version).exists()


@transaction.atomic
def write_question(*, exam: Exam, code: str, by, image=None, **content) -> QuestionVersion:
    """A new question in EXAM's bank, its first version a draft by BY."""
    code = (code or "").strip()
    if not CODE.fullmatch(code):
        raise ExamError(
            "Give the question a code of up to 30 letters, digits, dots, dashes or underscores."
        )
    fields = clean_content(has_image=bool(image), **content)
    try:
        with transaction.atomic():
            question = Question.objects.create(exam=exam, code=code)
    except IntegrityError:
        raise ExamError(f"The bank already has a question {code}.") from None
    version = QuestionVersion(question=question, number=1, author=by, **fields)
    if image:
        version.image = image
    version.save()
    record("exams.question_written", obj=version, new=_snapshot(version), actor=by)
    return version


@transaction.atomic
def revise_question(*, version: QuestionVersion, by, image=None, keep_image=True, **content):
    """Change a question's words. A draft no paper uses changes in place; otherwise the next
    version is made (a draft by BY), and the version given stays exactly as it was."""
    version = (
        QuestionVersion.objects.select_for_update().select_related("question").get(pk=version.pk)
    )
    latest = version.question.versions.aggregate(n=Max("number"))["n"]
    if version.number != latest:
        raise ExamError(
            f"Version {version.number} is not the latest: change version {latest} instead."
        )
    if version.state == QuestionState.RETIRED:
        raise ExamError("A retired question cannot be changed.")
    has_image = bool(image) or (keep_image and bool(version.image))
    fields = clean_content(has_image=has_image, **content)
    if version.state == QuestionState.DRAFT and not in_a_paper(version):
        old = _snapshot(version)
        for name, value in fields.items():
            setattr(version, name, value)
        if image:
            version.image = image
        elif not keep_image:
            version.image = ""
        version.author = by
        version.save()
        record("exams.question_changed", obj=version, old=old, new=_snapshot(version), actor=by)
        return version
    new = QuestionVersion(question=version.question, number=version.number + 1, author=by, **fields)
    if image:
        new.image = image
    elif keep_image and version.image:
        new.image = version.image.name
    new.save()
    record(
        "exams.question_revised",
        obj=new,
        old=_snapshot(version),
        new=_snapshot(new),
        actor=by,
        detail=f"Version {new.number} made from version {version.number}.",
    )
    return new


def _move(version, by, *, to, allowed, action, check=None, **stamps) -> QuestionVersion:
    with transaction.atomic():
        version = QuestionVersion.objects.select_for_update().get(pk=version.pk)
        if version.state not in allowed:
            raise ExamError(
                f"You cannot do this now: the question is {version.get_state_display().lower()}."
            )
        if check:
            check(version)
        old = _snapshot(version)
        version.state = to
        for name, value in stamps.items():
            setattr(version, name, value)
        version.save(update_fields=["state", *stamps])
        record(action, obj=version, old=old, new=_snapshot(version), actor=by)
    return version


def review_question(*, version: QuestionVersion, by) -> QuestionVersion:
    """DRAFT → REVIEWED, by a second person (never the author)."""

    def second_person(v):
        if v.author_id == by.pk:
            raise ExamError("A second person reviews each question: you wrote this version.")

    return _move(
        version,
        by,
        to=QuestionState.REVIEWED,
        allowed=(QuestionState.DRAFT,),
        action="exams.question_reviewed",
        check=second_person,
        reviewer=by,
        reviewed_at=timezone.now(),
    )


def approve_question(*, version: QuestionVersion, by) -> QuestionVersion:
    """REVIEWED → APPROVED (not by the author). Only approved versions go into papers."""

    def not_the_author(v):
        if v.author_id == by.pk:
            raise ExamError("You wrote this version: someone else approves it.")

    return _move(
        version,
        by,
        to=QuestionState.APPROVED,
        allowed=(QuestionState.REVIEWED,),
        action="exams.question_approved",
        check=not_the_author,
        approved_by=by,
        approved_at=timezone.now(),
    )


def send_back(*, version: QuestionVersion, by) -> QuestionVersion:
    """REVIEWED → DRAFT: the reviewer or approver wants changes first."""
    return _move(
        version,
        by,
        to=QuestionState.DRAFT,
        allowed=(QuestionState.REVIEWED,),
        action="exams.question_sent_back",
        reviewer=None,
        reviewed_at=None,
    )


def retire_question(*, version: QuestionVersion, by) -> QuestionVersion:
    return _move(
        version,
        by,
        to=QuestionState.RETIRED,
        allowed=(QuestionState.DRAFT, QuestionState.REVIEWED, QuestionState.APPROVED),
        action="exams.question_retired",
        retired_at=timezone.now(),
    )


def latest_versions(exam: Exam):
    """Each question's latest version, for the bank's list."""
    from django.db.models import OuterRef, Subquery

    latest = (
        QuestionVersion.objects.filter(question=OuterRef("question"))
        .order_by("-number")
        .values("pk")[:1]
    )
    return (
        QuestionVersion.objects.filter(question__exam=exam, pk=Subquery(latest))
        .select_related("question")
        .order_by("question__code")
    )


def record_statistics(sitting) -> int:
    """Keep how each bank question performed in SITTING (its item analysis over every question,
    excluded ones included, with their exclusion). Run again after an exclusion or re-score,
    it replaces the figures. Returns how many versions it recorded."""
    from exams import psychometrics
    from exams.models import ComponentKind
    from exams.selectors.matrices import sitting_matrix

    versions = dict(
        PaperQuestion.objects.filter(item__sitting=sitting).values_list("item_id", "version_id")
    )
    if not versions:
        return 0
    matrix = sitting_matrix(sitting, kind=ComponentKind.SBA, include_excluded=True)
    if not matrix.booking_ids:
        return 0
    analysis = psychometrics.analyse_items(
        (matrix.scores > 0).astype(int), [str(item.pk) for item in matrix.items]
    )
    rows = 0
    for item, stats in zip(matrix.items, analysis.items, strict=True):
        if item.pk not in versions:
            continue
        QuestionStatistic.objects.update_or_create(
            version_id=versions[item.pk],
            sitting=sitting,
            defaults={
                "candidates": analysis.candidates,
                "facility": stats.facility,
                "point_biserial": stats.point_biserial,
                "corrected_item_total": stats.corrected_item_total,
                "flags": list(stats.flags),
                "excluded": item.excluded,
            },
        )
        rows += 1
    return rows
