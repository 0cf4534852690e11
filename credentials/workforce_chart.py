"""The workforce page's charts: a bar per quarter, drawn on the server as SVG.

No JavaScript, and no style attributes (the CSP allows styles from our own files only): colours
and sizes are SVG presentation attributes. The SVG is one image to assistive technology
(role="img"), named by its <title> and described by its <desc>, which gives every value in
words; the page puts the same figures in a table beside it.

A total with hidden parts is drawn as a solid bar up to the least it can be and a dashed
outline up to the most; "fewer than 5" as a dashed outline alone.
"""

import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from credentials.selectors.workforce import Figure

WIDTH, HEIGHT = 640, 330
LEFT, RIGHT, TOP, BOTTOM = 64, 8, 44, 52
FONT_SIZE = 15
BAR_COLOUR = "#005eb8"  # NHS blue: 5.1:1 against white
TEXT_COLOUR = "#212b32"  # NHS text colour
GRID_COLOUR = "#aeb7bd"  # NHS mid grey (3:1 against white)


@dataclass(frozen=True)
class Bar:
    label: tuple[str, str]  # two short lines under the bar: ("Jan–Mar", "2026")
    figure: Figure


def scale_top(highest: int) -> tuple[int, int]:
    """(top of the scale, step between grid lines): steps of 1, 2 or 5 × 10ⁿ, at most 5 lines."""
    highest = max(highest, 5)
    magnitude = 10 ** max(0, math.floor(math.log10(highest)) - 1)
    for step in (magnitude * m for m in (1, 2, 5, 10, 20, 50, 100)):
        if highest / step <= 5:
            return step * math.ceil(highest / step), step
    raise AssertionError("unreachable: the last step always fits")


def value_lines(figure: Figure) -> list[str]:
    """A bar's label: "1,234"; ["fewer", "than 5"]; ["1,230 to", "1,242"]."""
    if figure.small:
        return ["fewer", "than 5"]
    if figure.exact:
        return [f"{figure.low:,}"]
    return [f"{figure.low:,} to", f"{figure.high:,}"]


def bar_chart(*, chart_id: str, title: str, description: str, bars: list[Bar]) -> SafeString:
    """An SVG bar chart of BARS; CHART_ID makes its title's and description's ids unique.

    Written with f-strings (a page has several): every number is ours, and every piece of text
    goes through escape()."""
    top, step = scale_top(max((bar.figure.high for bar in bars), default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_height

    def y(value: int) -> float:
        return round(base - plot_height * value / top, 1)

    ident = escape(chart_id)
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
    ]
    for value in range(0, top + 1, step):
        parts.append(
            f'<line x1="{LEFT}" y1="{y(value)}" x2="{WIDTH - RIGHT}" y2="{y(value)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            + _text(LEFT - 8, y(value) + 5, [f"{value:,}"], anchor="end")
        )
    slot = plot_width / max(len(bars), 1)
    width = round(slot * 0.6, 1)
    for n, bar in enumerate(bars):
        x = round(LEFT + slot * n + (slot - width) / 2, 1)
        middle = round(x + width / 2, 1)
        low, high = bar.figure
        low = 0 if bar.figure.small else low  # never a solid bar that reads as "1"
        if low:
            parts.append(
                f'<rect x="{x}" y="{y(low)}" width="{width}" height="{round(base - y(low), 1)}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        if high > low:
            parts.append(
                f'<rect x="{x}" y="{y(high)}" width="{width}" '
                f'height="{round(y(low) - y(high), 1)}" fill="none" stroke="{BAR_COLOUR}" '
                'stroke-width="2" stroke-dasharray="5 3"/>'
            )
        lines = value_lines(bar.figure)
        parts.append(_text(middle, y(high) - 8 - (len(lines) - 1) * (FONT_SIZE + 2), lines))
        parts.append(_text(middle, base + FONT_SIZE + 6, list(bar.label)))
    parts.append(
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="2"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - numbers are ours, text is escaped


def _text(x: float, y: float, lines: list[str], *, anchor: str = "middle") -> str:
    """Text at (X, Y), one <tspan> per line, each escaped."""
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if n == 0 else FONT_SIZE + 2}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return (
        f'<text x="{x}" y="{round(y, 1)}" text-anchor="{anchor}" font-size="{FONT_SIZE}" '
        f'fill="{TEXT_COLOUR}">{spans}</text>'
    )
