"""Audit events in words, for the staff pages that list them.

`describe_action("credential.suspended")` gives "Credential suspended"; an action nobody has
worded yet still reads as words ("exams.sitting_opened" → "Exams: sitting opened").
`describe_changes(old, new)` turns the stored old and new state into lines such as
"Status: active → suspended": one per field that changed, or one per field recorded.

The words for every action recorded today are here. An app that records new actions may add its
own words from its AppConfig.ready() with `ACTION_WORDS.update(...)`, as dashboards' notes do.
"""

import datetime
import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

ACTION_WORDS: dict[str, str] = {
    # Accounts (portal/signals.py)
    "auth.signed_up": "Created an account",
    "auth.login": "Signed in",
    "auth.login_failed": "Failed to sign in",
    "auth.logout": "Signed out",
    "auth.password_changed": "Changed their password",
    "auth.password_reset": "Reset their password",
    "auth.email_confirmed": "Confirmed an email address",
    "auth.mfa_added": "Set up a two-factor authentication method",
    "auth.mfa_removed": "Removed a two-factor authentication method",
    # Roles (portal/role_requests.py)
    "role_request.submitted": "Asked for a role",
    "role_request.email_confirmed": "Confirmed the work email address of a role request",
    "role_request.approved": "Role request approved: role given",
    "role_request.declined": "Role request declined",
    "role_request.withdrawn": "Role request withdrawn",
    # Operations
    "tasks.requeued": "Background task left by a stopped worker put back in the queue",
    # Credentials
    "credential.issued": "Credential issued",
    "credential.suspended": "Credential suspended",
    "credential.reinstated": "Credential reinstated",
    "credential.revoked": "Credential revoked",
    "credential.renewed": "Credential renewed",
    "credential.superseded": "Credential replaced by a renewal",
    "credential.expiring": "Credential ends within 30 days",
    "credential.expired": "Credential expired",
    "credential.reminder_sent": "Expiry reminder sent to the holder",
    "credential.watchers_alerted": "Watch lists told of a change",
    "credential.certificate_generated": "Certificate made and signed",
    "watchlist.created": "Watch list created",
    "watchlist.renamed": "Watch list renamed",
    "watchlist.deleted": "Watch list deleted",
    "watchlist.entries_added": "Registration numbers added to a watch list",
    "watchlist.entry_removed": "Registration number removed from a watch list",
    # Portfolios
    "portfolio.profile_saved": "Clinician profile saved",
    "portfolio.evidence_created": "Evidence added",
    "portfolio.evidence_updated": "Evidence changed",
    "portfolio.evidence_deleted": "Evidence deleted",
    "portfolio.evidence_file_added": "File added to evidence",
    "portfolio.evidence_file_removed": "File removed from evidence",
    "portfolio.exported": "Portfolio downloaded",
    "portfolio.confirmation_requested": "Confirmation of evidence requested",
    "portfolio.confirmation_responded": "Confirmer answered",
    "portfolio.confirmation_withdrawn": "Confirmation request withdrawn",
    "portfolio.confirmation_voided": "Confirmation cancelled: the evidence changed",
    "portfolio.confirmation_lapsed": "Confirmation link expired",
    "portfolio.framework_created": "Competency framework created",
    "portfolio.framework_changed": "Competency framework changed",
    "portfolio.framework_imported": "Competency framework imported",
    "portfolio.framework_published": "Competency framework published",
    "portfolio.framework_retired": "Competency framework retired",
    "portfolio.framework_draft_created": "New draft of a competency framework",
    "portfolio.framework_draft_deleted": "Draft competency framework deleted",
}

# Field names whose plain form would read badly.
FIELD_WORDS = {
    "sha256": "SHA-256 fingerprint",
    "bytes": "Size in bytes",
    "days_before": "Days before it ends",
    "competencies": "Capabilities",
    "type": "Method",
    "icb": "Integrated care board",
}
# Stored values that have a plainer name (authenticator types).
VALUE_WORDS = {
    "totp": "authenticator app",
    "webauthn": "security key",
    "recovery_codes": "recovery codes",
}
_WORD = re.compile(r"[a-z0-9]+")
# Long enough for a framework's content, short enough for a table cell.
MAX_VALUE_LENGTH = 300


def describe_action(action: str) -> str:
    """The action's words, or a readable form of its code."""
    words = ACTION_WORDS.get(action)
    if words:
        return words
    area, _, what = action.partition(".")
    area_words = " ".join(_WORD.findall(area.lower())).capitalize() or "Event"
    what_words = " ".join(_WORD.findall(what.lower()))
    return f"{area_words}: {what_words}" if what_words else area_words


def describe_field(name) -> str:
    name = str(name)
    if name in FIELD_WORDS:
        return FIELD_WORDS[name]
    return " ".join(_WORD.findall(name.lower())).capitalize() or name


def describe_value(value) -> str:
    """A stored value as a person would write it."""
    if value is None or value == "" or value == [] or value == {}:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return _clip(", ".join(describe_value(item) for item in value))
    if isinstance(value, dict):
        return _clip(
            "; ".join(f"{describe_field(k)}: {describe_value(v)}" for k, v in value.items())
        )
    if isinstance(value, str):
        return _clip(_describe_text(value))
    return _clip(str(value))


def describe_changes(old, new) -> list[str]:
    """Lines "field: value" (or "field: before → after") for an event's old and new state."""
    if isinstance(old, dict) and isinstance(new, dict):
        lines = []
        for key in [*new, *(k for k in old if k not in new)]:
            if key not in new:
                lines.append(f"{describe_field(key)}: {describe_value(old[key])} → none")
            elif key not in old:
                lines.append(f"{describe_field(key)}: {describe_value(new[key])}")
            elif old[key] != new[key]:
                before, after = describe_value(old[key]), describe_value(new[key])
                lines.append(f"{describe_field(key)}: {before} → {after}")
        return lines or ["No change"]
    if old is None and new is None:
        return []
    if isinstance(new, dict) and old is None:
        return [f"{describe_field(k)}: {describe_value(v)}" for k, v in new.items()]
    if isinstance(old, dict) and new is None:
        return [f"{describe_field(k)}: {describe_value(v)}" for k, v in old.items()]
    if old is None:
        return [describe_value(new)]
    if new is None:
        return [describe_value(old)]
    return [f"{describe_value(old)} → {describe_value(new)}"]


def _describe_text(text: str) -> str:
    if text in VALUE_WORDS:
        return VALUE_WORDS[text]
    if len(text) == 10 and (day := _parse(parse_date, text)):
        return f"{day.day} {day:%B} {day.year}"
    if "T" in text and (moment := _parse(parse_datetime, text)):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment.day} {moment:%B} {moment.year}, {moment:%H:%M}"
    return text


def _parse(parser, text):
    try:
        value = parser(text)
    except ValueError:
        return None
    return value if isinstance(value, (datetime.date, datetime.datetime)) else None


def _clip(text: str) -> str:
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"
