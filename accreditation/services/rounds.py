"""What changed between two rounds of one application: which evidence is new or changed.

Used when a resubmission is checked (every capability the request named needs new or changed
evidence), and on the pages that show a later round (its new evidence is marked).
"""

from urllib.parse import urlencode

from django.urls import reverse

NEW, CHANGED = "new", "changed"
WORDS = {NEW: "New", CHANGED: "Changed"}


def _fingerprint(item: dict) -> tuple:
    """What an assessor would notice: the item's words, date, kind, capabilities and files."""
    return (
        item.get("kind"),
        item.get("date"),
        item.get("title"),
        item.get("reflection"),
        tuple(sorted(item.get("competencies", []))),
        tuple(sorted(f["sha256"] for f in item.get("files", []))),
    )


def evidence_changes(previous_items, items) -> dict[int, str]:
    """{item id: NEW or CHANGED} for the ITEMS not in PREVIOUS_ITEMS as they were there."""
    before = {item["id"]: _fingerprint(item) for item in previous_items}
    changes = {}
    for item in items:
        if item["id"] not in before:
            changes[item["id"]] = NEW
        elif before[item["id"]] != _fingerprint(item):
            changes[item["id"]] = CHANGED
    return changes


def fresh_evidence(codes, previous_items, items) -> dict[str, list[dict]]:
    """{capability code: the new or changed ITEMS linked to it}, for each of CODES."""
    changes = evidence_changes(previous_items, items)
    return {
        code: [item for item in items if item["id"] in changes and code in item["competencies"]]
        for code in codes
    }


def previous_round(snapshot_round):
    """The round before SNAPSHOT_ROUND of the same application, or None."""
    return (
        snapshot_round.application.rounds.filter(number__lt=snapshot_round.number)
        .order_by("-number")
        .first()
    )


def more_evidence_lines(application, items, framework=None) -> list:
    """One checklist line per capability the request for more evidence named: met once the
    portfolio holds new or changed evidence for it since the round the request was made on."""
    from accreditation.services.rules import Line

    last = application.rounds.order_by("-number").first()
    if last is None:
        return []
    fresh = fresh_evidence(application.more_evidence_capabilities, last.items, items)
    lines = []
    for code, found in fresh.items():
        if found:
            titles = ", ".join(item["title"] for item in found[:3])
            more = " and others" if len(found) > 3 else ""
            text = f"New or changed evidence for {code} since the request: {titles}{more}."
        else:
            text = f"New or changed evidence for {code} since the request: none yet."
        lines.append(
            Line(
                bool(found),
                text,
                add_evidence_url(application, code, framework),
                f"Add evidence for {code}",
            )
        )
    return lines


def add_evidence_url(application, code="", framework=None) -> str:
    """The portfolio's "add evidence" page with CODE chosen, coming back to the application."""
    query = {}
    if code and framework is not None:
        query.update(capability=code, framework=framework.pk)
    query["next"] = reverse("accreditation:application", args=[application.pk])
    return f"{reverse('portfolio:evidence_add')}?{urlencode(query)}"


def items_marked(snapshot_round) -> list[dict]:
    """SNAPSHOT_ROUND's items, each with "change": "New" or "Changed" since the round before
    (blank for the first round, or an item as it was). Copies: the snapshot is not touched."""
    before = previous_round(snapshot_round)
    if before is None:
        return [{**item, "change": ""} for item in snapshot_round.items]
    changes = evidence_changes(before.items, snapshot_round.items)
    return [
        {**item, "change": WORDS.get(changes.get(item["id"], ""), "")}
        for item in snapshot_round.items
    ]
