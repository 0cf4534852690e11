"""The workforce in numbers: clinicians holding a valid credential, by ICB or nation and by
credential type, for commissioners and the faculty (credentials/views/workforce.py).

Counts, never names: nothing here reads a name, and everyone is counted whether or not they
agreed to appear on the public register. How a clinician is counted: workforce_counts.

Areas are the ICBs, the three devolved nations, "outside the UK" and "not recorded"; England
is the total of its ICBs and the United Kingdom of England and the nations. A clinician
holding one type in two ICBs (two credentials of a type at once: rare) counts in both, and
twice in a total.

Small numbers
-------------
A count from 1 to 4 is never shown: it reads "fewer than 5", and it has no rate. A total is
exact only when all of its parts are; otherwise it is the range its parts allow ("1,230 to
1,242"), so that nobody can take the shown parts from a total to find a hidden one.

Speed: one aggregate query (count_rows), kept until a credential or consent changes or the
day ends; one query for the population figures; the cached list of credential types; a few
thousand additions in Python.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone

from credentials.selectors.register import register_kinds
from credentials.selectors.workforce_counts import (
    QUARTERS_SHOWN,
    Quarter,
    counted,
    recent_quarters,
)
from portal.models import RegionPopulation
from portal.regions import Region

SMALL_COUNT = 5  # counts below this (1 to 4) are never shown
PER_PEOPLE = 100_000

UNITED_KINGDOM = "united_kingdom"
ENGLAND = "england"
NOT_RECORDED = "not_recorded"
# The devolved nations are regions of their own; every other region but "outside the UK" is an
# ICB in England.
NATIONS = {
    Region.SCOTLAND.value: "Scotland",
    Region.WALES.value: "Wales",
    Region.NORTHERN_IRELAND.value: "Northern Ireland",
}
ICBS = tuple(r.value for r in Region if r.value not in NATIONS and r != Region.OUTSIDE_UK)
# Each total and the areas it adds up.
TOTALS = {
    ENGLAND: ICBS,
    UNITED_KINGDOM: (ENGLAND, *NATIONS),
}


class Level:
    """What an area is, for the page's wording and layout."""

    TOTAL = "total"
    ICB = "icb"
    NATION = "nation"
    OTHER = "other"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str


AREAS = (
    Area(UNITED_KINGDOM, "United Kingdom", Level.TOTAL),
    Area(ENGLAND, "England (all ICBs)", Level.TOTAL),
    *(Area(code, Region(code).label, Level.ICB) for code in ICBS),
    *(Area(code, name, Level.NATION) for code, name in NATIONS.items()),
    Area(Region.OUTSIDE_UK.value, Region.OUTSIDE_UK.label, Level.OTHER),
    Area(NOT_RECORDED, "ICB or nation not recorded", Level.OTHER),
)
AREA_BY_CODE = {area.code: area for area in AREAS}


def area_choices() -> list[tuple[str, str]]:
    """The areas one may narrow the page to (every area but the whole, which is the default)."""
    return [(area.code, area.name) for area in AREAS if area.code != UNITED_KINGDOM]


def areas_within(code: str) -> list[Area]:
    """The rows the page shows for CODE: everything for "" (or the United Kingdom), England and
    its ICBs for England, otherwise that one area."""
    if code in ("", UNITED_KINGDOM):
        return list(AREAS)
    if code == ENGLAND:
        return [AREA_BY_CODE[ENGLAND], *(AREA_BY_CODE[icb] for icb in ICBS)]
    return [AREA_BY_CODE[code]]


# --- what may be shown ---------------------------------------------------------------------------


class Figure(NamedTuple):
    """A count as it may be shown: exact (LOW == HIGH), or the range a total's parts allow."""

    low: int
    high: int

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @property
    def small(self) -> bool:
        return 0 < self.high < SMALL_COUNT

    @property
    def words(self) -> str:
        if self.small:
            return f"fewer than {SMALL_COUNT}"
        if self.exact:
            return f"{self.low:,}"
        return f"{self.low:,} to {self.high:,}"

    @property
    def cell(self):
        """As a spreadsheet cell: a number when exact, otherwise the words."""
        return self.low if self.exact else self.words

    def rate(self, population: int | None) -> str:
        """Per 100,000 of POPULATION to one decimal place ("" when it may not be shown)."""
        if not population or self.small:
            return ""
        low, high = (f"{value * PER_PEOPLE / population:.1f}" for value in self)
        return low if low == high else f"{low} to {high}"


FEWER_THAN_SMALL = Figure(1, SMALL_COUNT - 1)


def shown(value: int) -> Figure:
    """One area's count: 1 to 4 become "fewer than 5"."""
    return FEWER_THAN_SMALL if 0 < value < SMALL_COUNT else Figure(value, value)


def added(parts: list[Figure]) -> Figure:
    """A total: exact only if every part is."""
    return Figure(sum(part.low for part in parts), sum(part.high for part in parts))


@dataclass(frozen=True)
class Population:
    people: int
    year: int | None  # None: a sum of figures for different years
    source: str
    source_url: str = ""

    @property
    def words(self) -> str:
        return f"{self.people:,} (mid-{self.year})" if self.year else f"{self.people:,}"


class AreaFigures:
    """One area's figures for one credential type, in FIGURE_COLUMNS order."""

    __slots__ = ("area", "figures", "population")

    def __init__(self, area: Area, figures: list[Figure], population: Population | None):
        self.area = area
        self.figures = figures
        self.population = population

    @property
    def valid(self) -> Figure:
        return self.figures[0]

    @property
    def ending(self) -> Figure:
        return self.figures[1]

    @property
    def valid_at(self) -> list[Figure]:
        """At the end of each quarter (the current one: today)."""
        return self.figures[2 : 2 + QUARTERS_SHOWN]

    @property
    def awarded(self) -> list[Figure]:
        """New awards in each quarter."""
        return self.figures[2 + QUARTERS_SHOWN :]

    @property
    def rate(self) -> str:
        return self.valid.rate(self.population.people if self.population else None)


@dataclass(frozen=True)
class KindFigures:
    code: str
    name: str
    areas: dict[str, AreaFigures]  # every area, in AREAS order


@dataclass(frozen=True)
class WorkforceReport:
    today: datetime.date
    quarters: list[Quarter]
    kinds: list[KindFigures]
    populations: dict[str, Population]

    @property
    def last_full_quarter(self) -> Quarter:
        return self.quarters[-2]


def _populations() -> dict[str, Population]:
    """Each area's population: the stored figures, and the totals' sums where every part has
    one (England: its ICBs; the United Kingdom: England and the three nations)."""
    found = {
        row.region: Population(row.population, row.year, row.source, row.source_url)
        for row in RegionPopulation.objects.only(
            "region", "population", "year", "source", "source_url"
        )
    }
    for total, parts in TOTALS.items():
        if all(part in found for part in parts):
            years = {found[part].year for part in parts}
            found[total] = Population(
                sum(found[part].people for part in parts),
                years.pop() if len(years) == 1 else None,
                f"The sum of the figures for {AREA_BY_CODE[total].name}",
            )
    return found


def _leaf_code(region: str) -> str:
    return region if region in AREA_BY_CODE and region not in TOTALS else NOT_RECORDED


def _columns(row: dict, quarters: list[Quarter]) -> list[int]:
    valid = row.get("valid", 0)
    return [
        valid,
        row.get("ending", 0),
        *(valid if q.to_date else row.get(f"valid_{n}", 0) for n, q in enumerate(quarters)),
        *(row.get(f"awarded_{n}", 0) for n in range(len(quarters))),
    ]


def workforce_report(today: datetime.date | None = None) -> WorkforceReport:
    """Every area's figures for every credential type (see the module's note)."""
    today = today or timezone.localdate()
    quarters = recent_quarters(today)
    populations = _populations()
    by_leaf: dict[tuple[str, str], list[int]] = {}
    for row in counted(today, quarters):
        key = (row["kind"], _leaf_code(row["region"]))
        columns = _columns(row, quarters)
        if key in by_leaf:  # blank and unknown regions are all "not recorded"
            columns = [a + b for a, b in zip(by_leaf[key], columns, strict=True)]
        by_leaf[key] = columns
    empty = [0] * (2 + 2 * len(quarters))
    kinds = []
    for code, name in register_kinds():
        figures = {
            area.code: [shown(value) for value in by_leaf.get((code, area.code), empty)]
            for area in AREAS
            if area.code not in TOTALS
        }
        for total, parts in TOTALS.items():  # England first: the United Kingdom adds it up
            columns = zip(*(figures[part] for part in parts), strict=True)
            figures[total] = [added(column) for column in columns]
        areas = {
            area.code: AreaFigures(area, figures[area.code], populations.get(area.code))
            for area in AREAS
        }
        kinds.append(KindFigures(code, name, areas))
    return WorkforceReport(today, quarters, kinds, populations)
