"""Made-up results files (answer keys, SBA responses, OSCE scores) for the demo, the bench and
the tests: abler candidates answer more questions correctly, so item analysis has something to
find. Deterministic for a given seed."""

import io

import numpy as np

KEY_HEADER = ("item", "answer", "domain")
SBA_HEADER = ("candidate_number", "item", "option")
OSCE_HEADER = ("candidate_number", "station", "score", "grade")
DOMAINS = ("Anatomy and examination", "Diagnosis", "Management", "Sport and exercise")


def csv_bytes(header, rows) -> bytes:
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def xlsx_bytes(header, rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def key_rows(items: int, prefix="Q", seed=1, start=1):
    rng = np.random.default_rng(seed)
    return [
        (f"{prefix}{j + start:03d}", "ABCD"[rng.integers(4)], DOMAINS[j % len(DOMAINS)])
        for j in range(items)
    ]


def sba_rows(numbers, key, *, seed=2, spoilt=()):
    """One row per candidate and question. Questions in SPOILT are answered at random."""
    rng = np.random.default_rng(seed)
    count = len(numbers)
    abilities = 0.3 + 0.6 * (np.arange(count) + 1) / (count + 1)
    draws = rng.random((count, len(key)))
    wrong = rng.integers(3, size=(count, len(key)))
    rows = []
    for i, number in enumerate(numbers):
        for j, (code, answer, _domain) in enumerate(key):
            chance = 0.25 if code in spoilt else abilities[i]
            wrong_option = "ABCD".replace(answer, "")[wrong[i, j]]
            option = answer if draws[i, j] < chance else wrong_option
            rows.append((number, code, option))
    return rows


def osce_rows(numbers, stations=12, *, seed=3):
    rng = np.random.default_rng(seed)
    rows = []
    for i, number in enumerate(numbers):
        ability = (i + 1) / (len(numbers) + 1)
        for s in range(stations):
            grade = int(np.clip(round(1 + 4 * ability + rng.normal(0, 0.7)), 1, 5))
            score = float(np.clip(round(3.5 * grade + rng.normal(0, 1.5), 1), 0, 20))
            rows.append((number, f"S{s + 1:02d}", score, grade))
    return rows
