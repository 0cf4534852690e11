"""An assessor's review of the current round: a judgement on every capability and a
recommendation that agrees with them. The last review needed moves the application on
(decisions.reviews_in). An assessor may save a draft and come back to it."""

from django.db import IntegrityError, transaction

from accreditation.errors import AccreditationError
from accreditation.models import (
    Allocation,
    Judgement,
    Recommendation,
    Review,
    ReviewDraft,
)
from accreditation.services.decisions import reviews_in
from accreditation.services.guards import clean_text, locked, require_move
from accreditation.states import Action
from portal.audit import record


@transaction.atomic
def submit_review(
    *, application, assessor, judgements: dict, recommendation: str, comment: str = ""
) -> Review:
    """JUDGEMENTS: {capability code: {"judgement", "comment", "evidence": [item ids]}}.

    Refused unless the assessor is allocated, has declared no conflict, the application is in
    review and the round still needs a review from them. Nothing is written when refused.
    """
    application = locked(application)
    allocation = Allocation.objects.filter(
        application=application, assessor=assessor, ended_at__isnull=True
    ).first()
    if allocation is None:
        raise AccreditationError("You are not allocated to this application.")
    if allocation.no_conflict_declared_at is None:
        raise AccreditationError("Declare that you have no conflict of interest first.")
    require_move(application, Action.REVIEW)
    current = application.rounds.order_by("-number").first()
    existing = list(current.reviews.all())
    if any(r.assessor_id == assessor.pk for r in existing):
        raise AccreditationError("You have already reviewed this round.")
    needed = application.pathway.assessors_required
    if len(existing) >= needed:
        raise AccreditationError("This round has all the reviews it needs.")
    if recommendation not in Recommendation.values:
        raise AccreditationError("Choose a recommendation.")
    item_ids = {item["id"] for item in current.items}
    rows = []
    for capability in current.capabilities:
        code = capability["code"]
        given = judgements.get(code) or {}
        if given.get("judgement") not in Judgement.values:
            raise AccreditationError(f"Give a judgement for {code}.")
        rows.append(
            {
                "code": code,
                "judgement": given["judgement"],
                "comment": clean_text(
                    given.get("comment", ""), f"the comment on {code}", required=False
                ),
                "evidence": sorted(
                    {
                        int(i)
                        for i in given.get("evidence", [])
                        if str(i).isdigit() and int(i) in item_ids
                    }
                ),
            }
        )
    comment = clean_text(comment, "your overall comment", required=False)
    check_recommendation(recommendation, rows, comment)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                round=current,
                assessor=assessor,
                recommendation=recommendation,
                comment=comment,
                judgements=rows,
            )
    except IntegrityError:
        raise AccreditationError("You have already reviewed this round.") from None
    ReviewDraft.objects.filter(round=current, assessor=assessor).delete()
    record(
        "accreditation.review_submitted",
        obj=application,
        new={"round": current.number, "recommendation": recommendation},
    )
    if len(existing) + 1 >= needed:
        reviews_in(application=application, snapshot_round=current, reviews=[*existing, review])
    return review


def check_recommendation(recommendation: str, rows: list[dict], comment: str) -> None:
    """A recommendation must agree with the assessor's own judgements: approval only with
    every capability met; asking for more evidence or declining when every capability is met
    needs the overall comment to say why."""
    short = [row["code"] for row in rows if row["judgement"] != Judgement.MET]
    if recommendation == Recommendation.APPROVE and short:
        raise AccreditationError(
            f"You recommend approval but judged {', '.join(short)} not met. Change the "
            "judgement or the recommendation."
        )
    if recommendation != Recommendation.APPROVE and not short and not comment:
        raise AccreditationError(
            "You judged every capability met: say in your overall comment why you do not "
            "recommend approval."
        )


DRAFT_MAX_BYTES = 200_000


@transaction.atomic
def save_draft(*, application, assessor, data: dict) -> ReviewDraft:
    """Keep ASSESSOR's unfinished review of the current round (the form's fields, unchecked
    but bounded); refused where a review could not be submitted."""
    application = locked(application)
    allocation = Allocation.objects.filter(
        application=application, assessor=assessor, ended_at__isnull=True
    ).first()
    if allocation is None or allocation.no_conflict_declared_at is None:
        raise AccreditationError("You are not allocated to this application.")
    require_move(application, Action.REVIEW)
    current = application.rounds.order_by("-number").first()
    if current.reviews.filter(assessor=assessor).exists():
        raise AccreditationError("You have already reviewed this round.")
    clean = {
        str(key)[:40]: [str(v)[:5000] for v in value][:200]
        if isinstance(value, list)
        else str(value)[:5000]
        for key, value in list(data.items())[:400]
    }
    if len(str(clean)) > DRAFT_MAX_BYTES:
        raise AccreditationError("Your draft is too long to save: shorten your comments.")
    draft, _ = ReviewDraft.objects.update_or_create(
        round=current, assessor=assessor, defaults={"data": clean}
    )
    record("accreditation.review_draft_saved", obj=application, new={"round": current.number})
    return draft


def draft_of(snapshot_round, assessor) -> ReviewDraft | None:
    return ReviewDraft.objects.filter(round=snapshot_round, assessor=assessor).first()
