"""An assessor's review of the current round: a judgement on every capability and a
recommendation. The last review needed moves the application on (transitions.reviews_in)."""

from django.db import IntegrityError, transaction

from accreditation.errors import AccreditationError
from accreditation.models import Allocation, Judgement, Recommendation, Review, State
from accreditation.services.transitions import _locked, _text, reviews_in
from portal.audit import record


@transaction.atomic
def submit_review(
    *, application, assessor, judgements: dict, recommendation: str, comment: str = ""
) -> Review:
    """JUDGEMENTS: {capability code: {"judgement", "comment", "evidence": [item ids]}}.

    Refused unless the assessor is allocated, has declared no conflict, the application is in
    review and the round still needs a review from them. Nothing is written when refused.
    """
    application = _locked(application)
    allocation = Allocation.objects.filter(
        application=application, assessor=assessor, ended_at__isnull=True
    ).first()
    if allocation is None:
        raise AccreditationError("You are not allocated to this application.")
    if allocation.no_conflict_declared_at is None:
        raise AccreditationError("Declare that you have no conflict of interest first.")
    if application.state != State.IN_REVIEW:
        raise AccreditationError(
            f"You cannot review it now: the application is "
            f"{application.get_state_display().lower()}."
        )
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
                "comment": _text(
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
    try:
        with transaction.atomic():
            review = Review.objects.create(
                round=current,
                assessor=assessor,
                recommendation=recommendation,
                comment=_text(comment, "your overall comment", required=False),
                judgements=rows,
            )
    except IntegrityError:
        raise AccreditationError("You have already reviewed this round.") from None
    record(
        "accreditation.review_submitted",
        obj=application,
        new={"round": current.number, "recommendation": recommendation},
    )
    if len(existing) + 1 >= needed:
        reviews_in(application=application, snapshot_round=current, reviews=[*existing, review])
    return review
