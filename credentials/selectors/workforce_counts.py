"""Counting the workforce in the database: clinicians holding a valid credential, by region
and credential type, today, at the end of each of the last quarters, and first awarded in each
quarter. The page's figures are made from these counts (credentials.selectors.workforce).

How a clinician is counted
--------------------------
- *Valid today*: `public_record`'s rule, in SQL: active, started, not ended. A clinician who
  holds several valid credentials of one type counts once, in the ICB or nation the
  credential was issued in (`Credential.region`).
- *Ending within 90 days*: valid today, and no credential of that type they hold covers the
  day after the 90 days (a renewal in force, or issued early and starting by then, means they
  are not ending).
- *Valid at the end of a past quarter*: the dates covered that day, and the credential was
  active then: it is active now, or its status changed (suspended, revoked, replaced by a
  renewal) after that day. A suspension since lifted is not known here and counts as valid.
- *New awards in a quarter*: credentials issued in it, renewals left out, whatever their
  status now.
"""

import datetime
import secrets
import threading
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BitOr, Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils import timezone
from django.utils.dateformat import format as date_format

from credentials.models import Credential
from credentials.statuses import CredentialStatus
from portal import generations

ENDING_WITHIN_DAYS = 90
QUARTERS_SHOWN = 8
CACHE_SECONDS = 24 * 60 * 60  # the key changes with the day and with any change


# --- quarters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    first_day: datetime.date
    last_day: datetime.date
    today: datetime.date
    label: str  # "Jan to Mar 2026"; the current quarter "Oct to Dec 2026 (to 7 December)"
    short_label: tuple[str, str]  # the chart's two lines: ("Jan–Mar", "2026"), ("to 7 Dec", …)

    @property
    def to_date(self) -> bool:
        """The current quarter, counted up to today."""
        return self.last_day >= self.today


def quarter(first_day: datetime.date, last_day: datetime.date, today: datetime.date) -> Quarter:
    first_month, last_month = date_format(first_day, "M"), date_format(last_day, "M")
    label = f"{first_month} to {last_month} {last_day.year}"
    short_label = (f"{first_month}–{last_month}", str(last_day.year))
    if last_day >= today:
        label += f" (to {date_format(today, 'j F')})"
        short_label = (f"to {date_format(today, 'j M')}", str(last_day.year))
    return Quarter(first_day, last_day, today, label, short_label)


def recent_quarters(today: datetime.date, count: int = QUARTERS_SHOWN) -> list[Quarter]:
    """The COUNT calendar quarters up to and including today's, oldest first."""
    current = today.year * 4 + (today.month - 1) // 3
    quarters = []
    for index in range(current - count + 1, current + 1):
        year, number = divmod(index, 4)
        next_year, next_number = divmod(index + 1, 4)
        after = datetime.date(next_year, next_number * 3 + 1, 1)
        first = datetime.date(year, number * 3 + 1, 1)
        quarters.append(quarter(first, after - datetime.timedelta(days=1), today))
    return quarters


# --- counting in the database ------------------------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# The days a credential's validity is read on, as bits of one number per clinician: the end of
# each past quarter (bits 0 to 6), today (bit 7) and the day after the 90 days (bit 8: still
# valid then, so not ending).
TODAY_BIT = QUARTERS_SHOWN - 1
LASTING_BIT = QUARTERS_SHOWN
NOT_STARTED = LASTING_BIT + 1


def _points(today: datetime.date, quarters: list[Quarter]) -> list[datetime.date]:
    ends = [quarter.last_day for quarter in quarters if not quarter.to_date]
    return [*ends, today, today + datetime.timedelta(days=ENDING_WITHIN_DAYS + 1)]


def _until(day: datetime.date) -> Q:
    return Q(valid_until__isnull=True) | Q(valid_until__gte=day)


def _first_point(points: list[datetime.date]) -> Case:
    """The first point on which the credential had started (NOT_STARTED: not even by the day
    after the 90 days)."""
    return Case(
        *(When(valid_from__lte=day, then=Value(n)) for n, day in enumerate(points)),
        default=Value(NOT_STARTED),
        output_field=IntegerField(),
    )


def _last_point(points: list[datetime.date]) -> Case:
    """The last point on which the credential was still valid (-1: none). An active one: its
    end date decides. A suspended, revoked or replaced one: valid up to the day before its
    status changed (never today; one suspended and since reinstated counts as valid)."""
    latest_first = list(reversed(list(enumerate(points))))
    active = Case(
        *(When(_until(day), then=Value(n)) for n, day in latest_first),
        default=Value(-1),
    )
    stopped = Case(
        *(
            When(
                _until(day) & Q(status_changed_at__gte=_start_of(day + datetime.timedelta(days=1))),
                then=Value(n),
            )
            for n, day in latest_first
            if n < TODAY_BIT
        ),
        default=Value(-1),
    )
    return Case(
        When(status=CredentialStatus.ACTIVE, then=active),
        default=stopped,
        output_field=IntegerField(),
    )


def _validity_bits(points: list[datetime.date]) -> CombinedExpression:
    """Bits FIRST to LAST set: the points on which the credential was valid. Written as
    (2^(LAST+1) - 1) AND -(2^FIRST), so that each point is worked out once: LAST = -1 gives
    no bits, and so does FIRST = NOT_STARTED, beyond the last bit."""
    up_to_last = Value(1).bitleftshift(_last_point(points) + 1) - 1
    from_first = Value(0) - Value(1).bitleftshift(_first_point(points))
    return up_to_last.bitand(from_first)


def _award_bits(quarters: list[Quarter]) -> Case:
    """Bit N: a first award (not a renewal) issued in quarter N."""
    return Case(
        When(supersedes__isnull=False, then=Value(0)),
        *(
            When(issued_at__gte=_start_of(quarter.first_day), then=Value(1 << n))
            for n, quarter in reversed(list(enumerate(quarters)))
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


# Bumped by any change to a credential (credentials.receivers) and by bench_data's COPY: the
# counts read only credentials (consent counts every clinician, so it changes nothing here).
GENERATION_KEY = "credentials:workforce:generation"


def _key(today: datetime.date) -> str:
    generation = generations.current(GENERATION_KEY)
    return f"credentials:workforce:{generation}:{today.isoformat()}"


def counted(today: datetime.date, quarters: list[Quarter]) -> list[dict]:
    """count_rows(), kept until a credential changes or the day ends (made again in the
    background after each change: credentials.tasks.count_workforce)."""
    key = _key(today)
    rows = cache.get(key)
    if rows is None:
        rows = count_rows(today, quarters)
        cache.set(key, rows, CACHE_SECONDS)
    return rows


_pending = threading.local()


def credentials_changed() -> None:
    """A credential changed: the figures are stale now, and are counted again once the change
    commits (in the background), so the next reader finds them ready.

    One count per transaction however many credentials it changed: every callback of one
    transaction carries the same token, and only the first to run for the generation counts.
    A reader who counted between the change and the commit (and so kept the old figures under
    the new generation) is overwritten by that count."""
    from credentials.tasks import count_workforce

    generations.bump(GENERATION_KEY)
    token = getattr(_pending, "token", None) or secrets.token_hex(8)
    _pending.token = token

    def after_commit():
        _pending.token = None
        count_workforce.enqueue(token=token)

    transaction.on_commit(after_commit)


def count_ahead(*, token: str, today: datetime.date | None = None) -> bool:
    """Count now unless this transaction's count ran already; True if it counted."""
    from django.utils import timezone

    today = today or timezone.localdate()
    key = _key(today)
    if not cache.add(f"{key}:counting:{token}", 1, 300):
        return False
    cache.set(key, count_rows(today, recent_quarters(today)), CACHE_SECONDS)
    return True


def count_rows(today: datetime.date, quarters: list[Quarter]) -> list[dict]:
    """One row per (region, kind) with a column per figure, counted in one query.

    Inside: one row per clinician, credential type and region, whose bits say on which points
    they held a valid credential and in which quarters they were first awarded one (BIT_OR
    over their credentials, so that a clinician with several counts once). Outside: each bit
    summed per region and type. Django has no subquery in FROM, so the outer query is written
    here around the ORM's inner one: only our own names and numbers go into its text, every
    value is a parameter.
    """
    points = _points(today, quarters)
    oldest = quarters[0]
    relevant = (
        Q(valid_until__isnull=True)
        | Q(valid_until__gte=oldest.last_day)
        | Q(issued_at__gte=_start_of(oldest.first_day))
    )
    per_holder = (
        Credential.objects.filter(relevant)
        .values(clinician=F("holder"), credential_type=F("kind"), area=F("region"))
        .annotate(validity=BitOr(_validity_bits(points)), awards=BitOr(_award_bits(quarters)))
        .order_by()
    )
    inner, params = per_holder.query.sql_with_params()
    q = connection.ops.quote_name

    def bit(column: str, n: int) -> str:
        return f"(({q(column)} >> {n}) & 1)"

    sums = {f"valid_{n}": f"SUM({bit('validity', n)})" for n in range(len(points) - 2)}
    sums["valid"] = f"SUM({bit('validity', TODAY_BIT)})"
    # Valid today and not beyond the 90 days (a credential starting within them, a renewal
    # issued early, sets only the later bit: on its own it is not "valid today").
    sums["ending"] = f"SUM({bit('validity', TODAY_BIT)} * (1 - {bit('validity', LASTING_BIT)}))"
    sums.update((f"awarded_{n}", f"SUM({bit('awards', n)})") for n in range(len(quarters)))
    columns = ", ".join(f"{total} AS {q(name)}" for name, total in sums.items())
    outer = (
        f"SELECT {q('area')}, {q('credential_type')}, {columns} "  # noqa: S608 - see above
        f"FROM ({inner}) per_holder GROUP BY {q('area')}, {q('credential_type')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        return [
            {"region": row[0], "kind": row[1], **dict(zip(sums, row[2:], strict=True))}
            for row in cursor.fetchall()
        ]
