"""The workforce page for commissioners and exam administrators (and superusers); 404 for
anyone else.

Accredited clinicians by ICB or nation and credential type: valid today, ending within 90
days, new awards, and the rate per 100,000 population; a chart per credential type over the
last eight quarters with its table beside it; the same figures as CSV. Counts only, never names
(credentials/selectors/workforce_counts.py says how everyone is counted, workforce.py how small
numbers are hidden).
"""

import csv
from html import escape

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from credentials.selectors.register import register_kinds
from credentials.selectors.workforce import (
    AREA_BY_CODE,
    SMALL_COUNT,
    UNITED_KINGDOM,
    AreaFigures,
    KindFigures,
    Level,
    WorkforceReport,
    area_choices,
    areas_within,
    workforce_report,
)
from credentials.selectors.workforce_counts import ENDING_WITHIN_DAYS
from credentials.workforce_chart import Bar, bar_chart
from portal.access import role_required
from portal.roles import Role
from portal.spreadsheets import escape_cell

workforce_readers = role_required(Role.COMMISSIONER, Role.FACULTY_STAFF)
ALL_AREAS = "All ICBs and nations"
ALL_KINDS = "All credentials"


class WorkforceFilterForm(forms.Form):
    area = forms.ChoiceField(
        label="ICB or nation",
        required=False,
        choices=[("", ALL_AREAS), *area_choices()],
        error_messages={"invalid_choice": "Choose an ICB or nation from the list."},
    )
    kind = forms.ChoiceField(
        label="Credential",
        required=False,
        choices=[("", ALL_KINDS)],
        error_messages={"invalid_choice": "Choose a credential from the list."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", ALL_KINDS), *register_kinds()]


@workforce_readers
@require_safe
def workforce(request):
    """The figures, narrowed to an area and a credential type; ?download=csv for the file."""
    form = WorkforceFilterForm(request.GET)
    context = {
        "form": form,
        "breadcrumbs": [{"label": "Dashboard", "url": reverse("dashboard")}],
        "small_count": SMALL_COUNT,
        "ending_days": ENDING_WITHIN_DAYS,
    }
    if not form.is_valid():
        return render(request, "credentials/workforce/page.html", context)
    report = workforce_report()
    area_code, kind_code = form.cleaned_data["area"], form.cleaned_data["kind"]
    kinds = [kind for kind in report.kinds if kind_code in ("", kind.code)]
    areas = areas_within(area_code)
    if request.GET.get("download") == "csv":
        return _csv(report, kinds, [area.code for area in areas])
    chart_area = AREA_BY_CODE[area_code or UNITED_KINGDOM]
    context.update(
        report=report,
        chart_area=chart_area,
        awards_heading=f"New awards, {report.last_full_quarter.label}",
        sections=[
            _section(report, kind, [area.code for area in areas], chart_area.code) for kind in kinds
        ],
        sources=_sources(report),
        download_url=_download_url(request),
    )
    return render(request, "credentials/workforce/page.html", context)


def _download_url(request) -> str:
    query = request.GET.copy()
    query["download"] = "csv"
    return f"{request.path}?{query.urlencode()}"


def _rate_words(figures: AreaFigures) -> str:
    if figures.valid.small:
        return "Not shown"
    return figures.rate or "No population figure"


def _section(report: WorkforceReport, kind: KindFigures, areas: list[str], chart_area: str):
    """One credential type's chart, its table, and its table of areas, as plain words."""
    over_time = kind.areas[chart_area]
    series = list(zip(report.quarters, over_time.valid_at, over_time.awarded, strict=True))
    title = f"{kind.name}: clinicians holding one at the end of each quarter, {over_time.area.name}"
    values = "; ".join(f"{quarter.label}: {valid.words}" for quarter, valid, _ in series)
    last = -2  # the last quarter that has ended
    return {
        "code": kind.code,
        "name": kind.name,
        "chart": bar_chart(
            chart_id=f"chart-{kind.code}",
            title=title,
            description=f"{title}. {values}.",
            bars=[Bar(quarter.short_label, valid) for quarter, valid, _ in series],
        ),
        "has_range": any(not valid.exact for _, valid, _ in series),
        "series": [
            {"quarter": quarter.label, "valid": valid.words, "awarded": awarded.words}
            for quarter, valid, awarded in series
        ],
        "area_rows": _area_rows(
            [kind.areas[code] for code in areas], f"New awards, {report.quarters[last].label}"
        ),
    }


def _area_rows(rows: list[AreaFigures], awards_heading: str) -> SafeString:
    """The body of a credential type's table of areas, as nhsuk-table-responsive rows.

    Written here, not in the template: a page of every credential type has some 350 of these
    rows, and the template engine spent most of the page's time on them (bench/workforce.py).
    Every value is escaped."""
    headings = [
        "Valid today",
        f"Ending within {ENDING_WITHIN_DAYS} days",
        awards_heading,
        "Per 100,000 population",
        "Population",
    ]
    heading_spans = [
        f'<span class="nhsuk-table-responsive__heading" aria-hidden="true">{escape(h)} </span>'
        for h in headings
    ]
    html = []
    for figures in rows:
        name = escape(figures.area.name)
        if figures.area.level == Level.TOTAL:
            name = f"<strong>{name}</strong>"
        values = (
            figures.valid.words,
            figures.ending.words,
            figures.awarded[-2].words,
            _rate_words(figures),
            figures.population.words if figures.population else "No figure",
        )
        cells = "".join(
            f'<td class="nhsuk-table__cell nhsuk-table__cell--numeric">{span}{escape(value)}</td>'
            for span, value in zip(heading_spans, values, strict=True)
        )
        html.append(
            '<tr class="nhsuk-table__row"><th class="nhsuk-table__cell" scope="row">'
            '<span class="nhsuk-table-responsive__heading" aria-hidden="true">ICB or nation '
            f"</span>{name}</th>{cells}</tr>"
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


def _sources(report: WorkforceReport) -> list[dict]:
    """Each source of the population figures once, with how many areas it gives."""
    sources: dict[tuple, int] = {}
    for code, population in report.populations.items():
        if AREA_BY_CODE[code].level != Level.TOTAL:
            key = (population.source, population.year, population.source_url)
            sources[key] = sources.get(key, 0) + 1
    return [
        {"source": source, "year": year, "url": url, "areas": count}
        for (source, year, url), count in sorted(sources.items(), key=lambda item: item[0][0])
    ]


def _csv(report: WorkforceReport, kinds: list[KindFigures], areas: list[str]) -> HttpResponse:
    """The page's figures, one row per credential type and area; every cell escaped."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"workforce-{report.today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "ICB or nation",
            "Credential",
            "Valid today",
            f"Ending within {ENDING_WITHIN_DAYS} days",
            "Per 100,000 population",
            "Population",
            "Population year",
            "Population source",
            *(f"Valid at the end of {quarter.label}" for quarter in report.quarters),
            *(f"New awards {quarter.label}" for quarter in report.quarters),
        ]
    )
    for kind in kinds:
        for code in areas:
            figures = kind.areas[code]
            population = figures.population
            row = [
                figures.area.name,
                kind.name,
                figures.valid.cell,
                figures.ending.cell,
                _rate_words(figures),
                population.people if population else "",
                (population.year or "") if population else "",
                population.source if population else "",
                *(figure.cell for figure in figures.valid_at),
                *(figure.cell for figure in figures.awarded),
            ]
            writer.writerow([escape_cell(value) for value in row])
    return response
