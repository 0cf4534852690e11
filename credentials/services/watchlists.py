"""Commissioners' watch lists and the alerts sent when a watched credential changes.

Decisions:
- A list holds registration numbers, not people: a commissioner knows their workforce by
  number, and a number can be watched before its holder has any credential.
- Numbers are stored uppercase without spaces and must look like a GMC, HCPC, NMC or GOsC
  number. Adding is all or nothing: one bad row refuses the whole paste, nothing is added.
- One alert per list, credential, event (and occurrence), backed by a unique constraint, so
  a retried task or a second daily run sends nothing new. A watcher gets one email per event
  however many of their lists hold the number.
- Only active users who are (still) commissioners, or superusers, are alerted.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from credentials.events import CredentialEvent
from credentials.links import verification_url
from credentials.models import Credential, WatchList, WatchListEntry, WatchNotification
from credentials.statuses import event_sentence
from portal.audit import record
from portal.links import absolute_url
from portal.organisations import commissioner_region
from portal.roles import Role, role_lookup
from portal.tasks import send_email
from portfolio.api import (
    NOT_A_NUMBER,
    ClinicianProfile,
    consents_to_register,
    is_registration_number,
    read_registration_number,
    region_of,
)

MAX_ERRORS_SHOWN = 25
# A commissioner watches their own workforce: these are well above an ICB's MSK workforce.
MAX_LISTS_PER_OWNER = 20
MAX_NUMBERS_PER_OWNER = 5000
# Events that can happen to one credential more than once; the others happen at most once.
REPEATABLE_EVENTS = frozenset({CredentialEvent.SUSPENDED, CredentialEvent.REINSTATED})


class WatchListError(Exception):
    """A refused change to a watch list; each message is shown to the person as it is."""

    def __init__(self, messages: str | list[str]):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        self.message = " ".join(self.messages)
        super().__init__(self.message)


# --- lists ------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise WatchListError("Enter a name for the list.")
    if len(name) > WatchList.NAME_MAX_LENGTH:
        raise WatchListError(f"The name must be {WatchList.NAME_MAX_LENGTH} characters or fewer.")
    return name


def _name_taken(owner, name: str, *, exclude_pk=None) -> bool:
    return WatchList.objects.filter(owner=owner, name__iexact=name).exclude(pk=exclude_pk).exists()


def create_watch_list(*, owner, name: str) -> WatchList:
    name = _clean_name(name)
    taken = WatchListError("You already have a watch list with this name.")
    if _name_taken(owner, name):
        raise taken
    if WatchList.objects.filter(owner=owner).count() >= MAX_LISTS_PER_OWNER:
        raise WatchListError(
            f"You can keep at most {MAX_LISTS_PER_OWNER} watch lists. Delete one you no longer "
            "need, or add the numbers to an existing list."
        )
    try:
        with transaction.atomic():
            watch_list = WatchList.objects.create(owner=owner, name=name)
            record("watchlist.created", obj=watch_list, new={"name": name}, actor=owner)
    except IntegrityError:
        raise taken from None
    return watch_list


def rename_watch_list(*, watch_list: WatchList, name: str, actor) -> WatchList:
    name = _clean_name(name)
    with transaction.atomic():
        locked = WatchList.objects.select_for_update().get(pk=watch_list.pk)
        if _name_taken(locked.owner_id, name, exclude_pk=locked.pk):
            raise WatchListError("You already have a watch list with this name.")
        old = {"name": locked.name}
        locked.name = name
        locked.save(update_fields=["name"])
        record("watchlist.renamed", obj=locked, old=old, new={"name": name}, actor=actor)
    return locked


def delete_watch_list(*, watch_list: WatchList, actor) -> None:
    with transaction.atomic():
        locked = WatchList.objects.select_for_update().get(pk=watch_list.pk)
        record(
            "watchlist.deleted",
            obj=locked,
            old={"name": locked.name, "entries": locked.entries.count()},
            actor=actor,
        )
        locked.delete()


# --- entries ----------------------------------------------------------------------------------


def _check_rows(lines: list[str], *, numbered: bool) -> tuple[dict[str, int], list[str]]:
    """The normalised numbers in LINES with their rows (blank lines skipped), and what is
    wrong with them."""
    errors: list[str] = []
    first_row: dict[str, int] = {}
    for row, line in enumerate(lines, start=1):
        prefix = f"Row {row}: " if numbered else ""
        number = read_registration_number(line)
        if not number:
            continue
        if not is_registration_number(number):
            shown = line.strip()[:30]
            errors.append(f"{prefix}“{shown}” {NOT_A_NUMBER}.")
        elif number in first_row:
            errors.append(f"{prefix}{number} is also on row {first_row[number]}.")
        else:
            first_row[number] = row
    return first_row, errors


def _shorten(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_ERRORS_SHOWN:
        return errors
    more = len(errors) - MAX_ERRORS_SHOWN
    return [*errors[:MAX_ERRORS_SHOWN], f"And {more} more row{'s' if more != 1 else ''}."]


def add_entries(
    *, watch_list: WatchList, lines: list[str], actor, numbered: bool = True
) -> list[WatchListEntry]:
    """Add the registration numbers in LINES (one a line) to the list: all of them or none.

    NUMBERED prefixes each message with its row, for pasted lists; a single number added
    with the one-number form gets plain messages.
    """
    rows, errors = _check_rows(lines, numbered=numbered)
    numbers = list(rows)
    if not numbers and not errors:
        raise WatchListError(
            "Paste at least one registration number."
            if numbered
            else "Enter a registration number."
        )
    if errors:
        raise WatchListError(_shorten(errors))
    with transaction.atomic():
        locked = WatchList.objects.select_for_update().get(pk=watch_list.pk)
        present = set(
            locked.entries.filter(registration_number__in=numbers).values_list(
                "registration_number", flat=True
            )
        )
        if present:
            raise WatchListError(
                _shorten(
                    [
                        (f"Row {rows[n]}: " if numbered else "") + f"{n} is already on this list."
                        for n in numbers
                        if n in present
                    ]
                )
            )
        count = locked.entries.count()
        room = WatchList.MAX_ENTRIES - count
        if len(numbers) > room:
            raise WatchListError(
                f"A list can hold at most {WatchList.MAX_ENTRIES:,} registration numbers. "
                f"This list has {count:,}, so you can add {room:,} more. "
                "Remove some numbers or start another list."
            )
        # Across all of one person's lists: more lists are not more numbers.
        watched = WatchListEntry.objects.filter(watch_list__owner_id=locked.owner_id).count()
        room = MAX_NUMBERS_PER_OWNER - watched
        if len(numbers) > room:
            raise WatchListError(
                f"You can watch at most {MAX_NUMBERS_PER_OWNER:,} registration numbers across "
                f"all your lists. You watch {watched:,}, so you can add {max(room, 0):,} more."
            )
        now = timezone.now()
        try:
            with transaction.atomic():
                entries = WatchListEntry.objects.bulk_create(
                    WatchListEntry(watch_list=locked, registration_number=n, added_at=now)
                    for n in numbers
                )
        except IntegrityError:
            raise WatchListError(
                "Some of these numbers were added to the list just now. Refresh and try again."
            ) from None
        record(
            "watchlist.entries_added",
            obj=locked,
            new={"added": len(numbers), "entries": count + len(numbers)},
            actor=actor,
            detail=", ".join(numbers[:20]) + (" …" if len(numbers) > 20 else ""),
        )
    return entries


def remove_entry(*, entry: WatchListEntry, actor) -> None:
    with transaction.atomic():
        locked = WatchList.objects.select_for_update().get(pk=entry.watch_list_id)
        deleted, _ = WatchListEntry.objects.filter(pk=entry.pk, watch_list=locked).delete()
        if deleted:
            record(
                "watchlist.entry_removed",
                obj=locked,
                old={"registration_number": entry.registration_number},
                actor=actor,
            )


# --- alerts -----------------------------------------------------------------------------------


def unread_alerts(user):
    return WatchNotification.objects.filter(
        watch_list__owner=user,
        read_at__isnull=True,
        credential__in=visible_credentials(user),
    )


def unread_alerts_note(user) -> str:
    """The note on the commissioner's dashboard card."""
    count = unread_alerts(user).count()
    return f"{count} new alert{'s' if count != 1 else ''}" if count else ""


def mark_alerts_read(*, user) -> int:
    return unread_alerts(user).update(read_at=timezone.now())


# --- who may see what a watched number holds (ADR 0006) -----------------------------------
#
# A watch list must not be a way round the register's consent. A watched number shows its
# credentials in detail, and its changes are alerted, when the holder consents to the public
# register, or when the holder's integrated care board (their profile's region) is the one the
# commissioner acts for (portal.organisations). Otherwise it shows only "no public
# credential". Superusers (the faculty's own staff) see everything.


def visible_credentials(viewer):
    """The credentials VIEWER may see in detail on a watch list (a queryset)."""
    credentials = Credential.objects.all()
    if viewer.is_superuser:
        return credentials
    rule = Q(holder_consents=True)
    region = commissioner_region(viewer)
    if region:
        rule |= Q(holder_region=region)
    return credentials.alias(
        holder_consents=consents_to_register(), holder_region=region_of()
    ).filter(rule)


def _watching_lists(credential: Credential):
    """The lists watching CREDENTIAL's number whose owner may see it (and so be alerted)."""
    holder = ClinicianProfile.objects.filter(user_id=credential.holder_id).first()
    watchers = Q(owner__is_superuser=True)
    if holder is not None and holder.consent_to_public_register:
        watchers |= role_lookup(Role.COMMISSIONER, via="owner__")
    elif holder is not None and holder.region:
        watchers |= role_lookup(Role.COMMISSIONER, via="owner__") & Q(
            owner__role_grants__role=Role.COMMISSIONER,
            owner__role_grants__region=holder.region,
        )
    return (
        WatchList.objects.filter(
            entries__registration_number=credential.registration_number, owner__is_active=True
        )
        .filter(watchers)
        .select_related("owner")
        .distinct()
        .order_by("owner_id", "name")
    )


def occurrence_of(credential: Credential, event: str) -> str:
    if event in REPEATABLE_EVENTS and credential.status_changed_at is not None:
        return credential.status_changed_at.isoformat()
    return ""


def notify_watchers(
    *, credential: Credential, event: str, occurrence: str = ""
) -> list[WatchNotification]:
    """Alert every list watching the credential's registration number, once per list.

    Returns the alerts created now; lists already alerted about this event are skipped.
    """
    event = CredentialEvent(event)
    number = credential.registration_number
    if not number:
        return []
    created = []
    with transaction.atomic():
        done = set(
            WatchNotification.objects.filter(
                credential=credential, event=event, occurrence=occurrence
            ).values_list("watch_list_id", flat=True)
        )
        for watch_list in _watching_lists(credential):
            if watch_list.pk in done:
                continue
            try:
                with transaction.atomic():
                    created.append(
                        WatchNotification.objects.create(
                            watch_list=watch_list,
                            credential=credential,
                            registration_number=number,
                            event=event,
                            occurrence=occurrence,
                        )
                    )
            except IntegrityError:
                continue  # another worker alerted this list at the same moment
        if created:
            record(
                "credential.watchers_alerted",
                obj=credential,
                new={"event": event.value, "lists": len(created)},
                detail=capfirst(event.label),
            )
            _queue_alert_emails(credential, event, created)
    return created


def _queue_alert_emails(credential, event, created) -> None:
    by_owner: dict[int, list[WatchNotification]] = {}
    for alert in created:
        by_owner.setdefault(alert.watch_list.owner_id, []).append(alert)
    for alerts in by_owner.values():
        owner = alerts[0].watch_list.owner
        holder = " ".join(credential.holder_name.split())
        subject = f"{credential.kind.name} for {holder}: {event.label}"
        body = render_to_string(
            "emails/credential_watch_alert.txt",
            {
                "owner": owner,
                "credential": credential,
                "event": event,
                "what_happened": event_sentence(event, credential),
                "lists": [alert.watch_list.name for alert in alerts],
                "alerts_link": absolute_url(reverse("credentials:watchlist_alerts")),
                "verify_link": verification_url(credential),
            },
        )
        to = [owner.email]
        transaction.on_commit(
            lambda subject=subject, body=body, to=to: send_email.enqueue(
                subject=subject[:200], body=body, to=to, from_email=settings.DEFAULT_FROM_EMAIL
            )
        )
