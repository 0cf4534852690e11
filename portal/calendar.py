"""Working days, in one place for every app.

A working day is Monday to Friday and not a bank holiday in England and Wales (the faculty's
office is in London), including the substitute days when a holiday falls on a weekend. The
holidays come from the `holidays` package, so the calendar needs no yearly update.
"""

import datetime
from functools import lru_cache

import holidays

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=128)
def bank_holidays(year: int) -> frozenset[datetime.date]:
    """England and Wales bank holidays in YEAR, substitute days included."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def _weekday_holidays(after: datetime.date, through: datetime.date) -> int:
    """How many bank holidays fall on a weekday after AFTER, up to and including THROUGH."""
    return sum(
        1
        for year in range(after.year, through.year + 1)
        for holiday in bank_holidays(year)
        if after < holiday <= through and holiday.weekday() < 5
    )


def _weekdays_through(day: datetime.date) -> int:
    """Weekdays from 1 January of year 1 (a Monday) up to and including DAY."""
    weeks, weekday = divmod(day.toordinal() - 1, 7)
    return 5 * weeks + min(weekday + 1, 5)


@lru_cache(maxsize=4096)
def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The Nth working day after DAY (DAY itself when N is 0, even on a weekend).

    Whole weeks are jumped (any seven days hold five weekdays) and the bank holidays they
    held are counted back on, so a long service level costs a few steps, not one a day."""
    if n < 0:
        raise ValueError("Count working days forwards only.")
    remaining = n
    while remaining > 5:
        weeks = (remaining - 1) // 5
        end = day + datetime.timedelta(weeks=weeks)
        remaining += _weekday_holidays(day, end) - 5 * weeks
        day = end
    while remaining > 0:
        day += ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after START up to and including END (negative when END is before
    START), so that add_working_days(start, working_days_between(start, end)) == end
    whenever END is a working day after START."""
    if end < start:
        return -working_days_between(end, start)
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    return weekdays - _weekday_holidays(start, end)
