"""Working days: Monday to Friday, without England and Wales bank holidays."""

import datetime

import pytest

from portal.calendar import add_working_days, is_working_day, working_days_between

D = datetime.date.fromisoformat


def day_by_day(start: datetime.date, days: int) -> datetime.date:
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-12-04", 1, "2026-12-07"),  # Friday + 1 → Monday
        ("2026-12-05", 5, "2026-12-11"),  # from a Saturday, five working days → Friday
        ("2026-12-06", 10, "2026-12-18"),  # from a Sunday, two weeks
        ("2026-12-07", 0, "2026-12-07"),
        # Christmas 2026: Friday 25 December, Boxing Day on the Saturday, its substitute
        # on Monday 28 December.
        ("2026-12-24", 1, "2026-12-29"),
        ("2026-12-23", 5, "2027-01-04"),  # and New Year's Day 2027, a Friday
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        ("2026-04-02", 1, "2026-04-07"),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        ("2027-03-25", 1, "2027-03-30"),
        # Christmas 2027 falls on a weekend: both substitutes, Monday 27 and Tuesday 28.
        ("2027-12-24", 1, "2027-12-29"),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, days, due):
    assert add_working_days(D(start), days) == D(due)


@pytest.mark.parametrize(
    "day", ["2026-12-25", "2026-12-28", "2026-04-06", "2027-03-29", "2027-12-27", "2027-12-28"]
)
def test_bank_holidays_are_not_working_days(day):
    assert not is_working_day(D(day))


def test_scotlands_own_holidays_are_working_days_here():
    # 2 January and St Andrew's Day are bank holidays in Scotland only.
    assert is_working_day(D("2026-01-02")) and is_working_day(D("2026-11-30"))


def test_long_counts_jump_weeks_to_the_same_date_as_counting_day_by_day():
    for offset in range(0, 400, 3):
        start = D("2026-01-01") + datetime.timedelta(days=offset)
        for days in (0, 1, 4, 5, 6, 10, 11, 30, 61, 200):
            assert add_working_days(start, days) == day_by_day(start, days), (start, days)


def test_working_days_between_counts_what_add_working_days_adds():
    assert working_days_between(D("2026-12-24"), D("2026-12-29")) == 1
    assert working_days_between(D("2026-12-29"), D("2026-12-24")) == -1
    assert working_days_between(D("2026-12-07"), D("2026-12-07")) == 0
    for offset in range(0, 400, 7):
        start = D("2026-01-01") + datetime.timedelta(days=offset)
        for days in (1, 5, 12, 30, 90):
            end = add_working_days(start, days)
            assert working_days_between(start, end) == days, (start, days)


def test_counting_backwards_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D("2026-12-07"), -1)
