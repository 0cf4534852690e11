"""Audit events in words, for the staff pages that list them.

`describe_action("credential.suspended")` gives "Credential suspended"; an action nobody has
worded yet still reads as words ("exams.sitting_opened" → "Exams: sitting opened").
`describe_changes(old, new)` turns the stored old and new state into lines such as
"Status: active → suspended": one per field that changed, or one per field recorded.

Portal's own actions are worded here; each app words its own in its api.py (AUDIT_WORDS), and
`action_words()` gathers them all (portal.contributions).
"""

import datetime
import functools
import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from portal.contributions import declared_mappings

# Portal's own actions.
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


@functools.cache
def action_words() -> dict[str, str]:
    """The words for every action: portal's, then each app's AUDIT_WORDS. An action is worded
    once: no app can reword another's."""
    words = dict(ACTION_WORDS)
    for module_name, app_words in declared_mappings("AUDIT_WORDS"):
        for action, text in app_words.items():
            if action in words:
                raise ValueError(f"{module_name} words {action!r} a second time.")
            words[action] = text
    return words


def describe_action(action: str) -> str:
    """The action's words, or a readable form of its code."""
    words = action_words().get(action)
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
