"""Service-level due dates count working days (Monday to Friday)."""

import datetime

import pytest

from accreditation.views.common import add_working_days


def day_by_day(start: datetime.date, days: int) -> datetime.date:
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-12-04", 1, "2026-12-07"),  # Friday + 1 → Monday
        ("2026-12-05", 5, "2026-12-11"),  # from a Saturday, five working days → Friday
        ("2026-12-06", 10, "2026-12-18"),  # from a Sunday, two weeks
        ("2026-12-07", 0, "2026-12-07"),
    ],
)
def test_working_days_skip_weekends(start, days, due):
    start = datetime.date.fromisoformat(start)
    assert add_working_days(start, days) == datetime.date.fromisoformat(due)


def test_whole_weeks_are_jumped_to_the_same_date_as_counting_day_by_day():
    for offset in range(14):
        start = datetime.date(2026, 1, 1) + datetime.timedelta(days=offset)
        for days in range(0, 70):
            assert add_working_days(start, days) == day_by_day(start, days), (start, days)
