"""Writing a checked results file: an answer key's questions, or a component's marks (the file
is the whole truth for the component). Called inside the confirmation's transaction."""

from django.db import connection

from exams.models import ImportKind, Item, Mark
from exams.services.import_rows import ImportReport


def write(sitting, component, kind, report: ImportReport) -> None:
    if kind == ImportKind.KEY:
        Item.objects.filter(sitting=sitting, component=component).delete()
        Item.objects.bulk_create(
            Item(
                sitting=sitting,
                component=component,
                code=code,
                order=order,
                answer=answer,
                domain=domain,
                max_score=component.max_score,
            )
            for order, (code, answer, domain) in enumerate(report.parsed)
        )
        return
    # A new file replaces the component's marks: the file is the whole truth for it.
    Mark.objects.filter(item__sitting=sitting, item__component=component).delete()
    if kind == ImportKind.OSCE:
        stations = dict(
            Item.objects.filter(sitting=sitting, component=component).values_list("code", "pk")
        )
        new = []
        for _booking, station, *_ in report.parsed:
            if station not in stations and station not in new:
                new.append(station)
        Item.objects.bulk_create(
            Item(
                sitting=sitting,
                component=component,
                code=code,
                order=len(stations) + index,
                max_score=component.max_score,
            )
            for index, code in enumerate(sorted(new))
        )
        if new:
            stations.update(
                Item.objects.filter(sitting=sitting, component=component).values_list("code", "pk")
            )
        report.parsed = [(b, stations[s], o, sc, g) for b, s, o, sc, g in report.parsed]
    _insert_marks(report.parsed)


def _insert_marks(rows) -> None:
    """Plain executemany: 100,000 checked rows in well under a second, where building model
    instances for bulk_create takes ten times longer. Values are parameters, never text."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("booking_id", "item_id", "option", "score", "grade"))
    sql = f"INSERT INTO {quote(Mark._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start : start + 10_000])
