"""Spreadsheet cells: the one rule for formula injection, used by every import and export.

A cell a spreadsheet program would run as a formula starts with one of FORMULA_PREFIXES,
possibly after spaces. Imports refuse such cells (with the row and column); exports write them
with a leading single quote so they show as text. Our own rule rather than a library option,
so that CSV and XLSX, framework exports, bulk verification and exam reports all agree.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula(value) -> bool:
    if not isinstance(value, str):
        return False
    return value.startswith(FORMULA_PREFIXES) or value.lstrip().startswith(FORMULA_PREFIXES)


def escape_cell(value):
    """VALUE as an export writes it: text that would run as a formula gets a leading quote.

    None becomes ""; numbers, dates and other non-text values pass through unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value
