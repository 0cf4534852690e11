"""Building results files for tests (and the bench): keys, SBA responses, OSCE scores."""

import io

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile

from exams.models import Component, ImportKind
from exams.services.imports import confirm_import, dry_run


def csv_bytes(header, rows) -> bytes:
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def xlsx_bytes(header, rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def key_rows(items: int, prefix="Q", seed=1):
    rng = np.random.default_rng(seed)
    letters = "ABCD"
    return [
        (f"{prefix}{j + 1:03d}", letters[rng.integers(4)], f"Domain {j % 4 + 1}")
        for j in range(items)
    ]


def sba_rows(numbers, key, *, seed=2):
    """Responses where abler candidates answer more questions correctly."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, number in enumerate(numbers):
        ability = 0.3 + 0.6 * (i + 1) / (len(numbers) + 1)
        for code, answer, _domain in key:
            correct = rng.random() < ability
            option = answer if correct else "ABCD".replace(answer, "")[rng.integers(3)]
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


def upload(data: bytes, name="results.csv"):
    return SimpleUploadedFile(name, data)


def run_import(sitting, component_code, kind, data, *, by, name="results.csv"):
    component = Component.objects.get(exam=sitting.exam, code=component_code)
    report, pending = dry_run(sitting, component, kind, upload(data, name), by=by)
    assert report.ok, report.errors
    if pending is not None:
        return confirm_import(pending, by=by)
    return report


KEY = ImportKind.KEY
SBA = ImportKind.SBA
OSCE = ImportKind.OSCE
KEY_HEADER = ("item", "answer", "domain")
SBA_HEADER = ("candidate_number", "item", "option")
OSCE_HEADER = ("candidate_number", "station", "score", "grade")
