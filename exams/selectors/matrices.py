"""A sitting's marks as numpy matrices (candidates × items), in a fixed number of queries."""

from dataclasses import dataclass

import numpy as np

from exams.models import Booking, BookingStatus, ComponentKind, Item, Mark


@dataclass(frozen=True)
class SittingMatrix:
    booking_ids: list[int]
    candidate_numbers: list[str]
    items: list[Item]
    scores: np.ndarray  # candidates × items
    grades: np.ndarray | None  # OSCE only

    @property
    def item_codes(self) -> list[str]:
        return [item.code for item in self.items]


def sitting_matrix(sitting, *, kind: str, include_excluded: bool = False) -> SittingMatrix:
    """Candidates who have at least one mark × the sitting's items of KIND (a missing mark is 0)."""
    items_qs = Item.objects.filter(sitting=sitting, component__kind=kind).select_related(
        "component"
    )
    if not include_excluded:
        items_qs = items_qs.filter(excluded=False)
    items = list(items_qs)
    column = {item.pk: j for j, item in enumerate(items)}
    marks = list(
        Mark.objects.filter(item__in=[i.pk for i in items]).values_list(
            "booking_id", "item_id", "score", "grade"
        )
    )
    marked = {booking for booking, *_ in marks}
    bookings = list(
        Booking.objects.filter(sitting=sitting, status=BookingStatus.CONFIRMED, pk__in=marked)
        .order_by("candidate_number")
        .values_list("pk", "candidate_number")
    )
    row = {pk: i for i, (pk, _) in enumerate(bookings)}
    scores = np.zeros((len(bookings), len(items)))
    grades = np.zeros((len(bookings), len(items))) if kind == ComponentKind.OSCE else None
    if marks:
        arr = np.array(
            [(row[b], column[i], s, g or 0) for b, i, s, g in marks if b in row], dtype=float
        ).reshape(-1, 4)
        r, c = arr[:, 0].astype(int), arr[:, 1].astype(int)
        scores[r, c] = arr[:, 2]
        if grades is not None:
            grades[r, c] = arr[:, 3]
    return SittingMatrix(
        [pk for pk, _ in bookings], [n for _, n in bookings], items, scores, grades
    )
