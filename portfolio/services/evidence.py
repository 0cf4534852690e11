"""Evidence items and their files: each change of state is one function here.

Every function is guarded (raises PortfolioError on an illegal move), atomic, audited, and
removes stored files only once the database change has committed.

Decisions:
- Files reach these functions only as `CheckedUpload`s from `portfolio.files.inspect_upload`,
  which the forms call; the count rule (1 to EvidenceItem.MAX_FILES) is enforced here under a
  row lock so two tabs cannot add a sixth file between them.
- Links are replaced only among competencies of published frameworks (the ones a person can
  choose); links made under a framework version since retired are kept as they were.
- Any change to an item (fields, links or files) voids its confirmations: the confirmer vouched
  for what the item said then. A save that changes nothing voids nothing and is not recorded.
"""

from collections.abc import Iterable, Sequence
from datetime import date as Date
from functools import partial

from django.db import transaction
from django.utils import timezone

from portal.audit import record
from portal.ops.storage import STORAGE_ERRORS, STORAGE_UNAVAILABLE, delete_quietly
from portfolio.errors import PortfolioError
from portfolio.files import CheckedUpload
from portfolio.models import (
    Competency,
    EvidenceFile,
    EvidenceItem,
    EvidenceKind,
    EvidenceLink,
    FrameworkStatus,
)

LOCKED_MESSAGE = "This evidence is part of a submitted application and cannot be changed."
FUTURE_DATE_MESSAGE = "The date of the activity must be today or in the past."


def too_many_files_message(existing: int) -> str:
    room = EvidenceItem.MAX_FILES - existing
    limit = f"An evidence item can have at most {EvidenceItem.MAX_FILES} files."
    if existing == 0:
        return limit
    if room <= 0:
        return f"{limit} This one has {existing} already: remove one before adding another."
    return f"{limit} This one has {existing} already, so you can add {room} more."


def _lock(item: EvidenceItem) -> EvidenceItem:
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    if item.is_locked:
        raise PortfolioError(LOCKED_MESSAGE)
    return item


def _check_date(date: Date) -> None:
    if date > timezone.localdate():
        raise PortfolioError(FUTURE_DATE_MESSAGE)


def _choosable(competency_ids: Iterable[int]) -> list[Competency]:
    """The competencies, all of which must belong to a published framework."""
    wanted = set(competency_ids)
    found = list(
        Competency.objects.filter(pk__in=wanted, framework__status=FrameworkStatus.PUBLISHED)
    )
    if len(found) != len(wanted):
        raise PortfolioError(
            "Some of the capabilities you chose are no longer offered. Choose again."
        )
    return found


def _codes(item: EvidenceItem) -> list[str]:
    pairs = item.links.values_list("competency__framework__code", "competency__code")
    return sorted(f"{framework}:{code}" for framework, code in pairs)


def _snapshot(item: EvidenceItem) -> dict:
    return {
        "kind": item.kind,
        "date": item.date.isoformat(),
        "title": item.title,
        "competencies": _codes(item),
    }


def _void_confirmations(item: EvidenceItem) -> None:
    """The one place an item's change voids its confirmations (owned by that service)."""
    from portfolio.services.confirmations import void_confirmations

    void_confirmations(item=item)


def _delete_stored(names: Sequence[str]) -> None:
    delete_quietly(EvidenceFile._meta.get_field("file").storage, names)


def _store(item: EvidenceItem, uploads: Sequence[CheckedUpload], stored: list[str]) -> None:
    for checked in uploads:
        evidence_file = EvidenceFile(
            item=item,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        checked.upload.seek(0)
        try:
            evidence_file.file.save(checked.name, checked.upload, save=False)
        except STORAGE_ERRORS as exc:
            # The whole change is rolled back and any file already stored removed.
            raise PortfolioError(STORAGE_UNAVAILABLE) from exc
        stored.append(evidence_file.file.name)
        evidence_file.save()
        record(
            "portfolio.evidence_file_added",
            obj=evidence_file,
            new={
                "item": item.pk,
                "name": checked.name,
                "content_type": checked.content_type,
                "size": checked.size,
                "sha256": checked.sha256,
            },
        )


def _atomic_with_files(change):
    """Run CHANGE(stored) atomically; files it stored are removed again if it fails."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return change(stored)
    except BaseException:
        _delete_stored(stored)
        raise


def create_evidence(
    *,
    owner,
    kind: str,
    date: Date,
    title: str,
    reflection: str = "",
    competency_ids: Iterable[int] = (),
    uploads: Sequence[CheckedUpload],
) -> EvidenceItem:
    """A new evidence item with its first 1 to 5 files and its links to competencies."""
    _check_date(date)
    if not uploads:
        raise PortfolioError("Choose at least one file to upload.")
    if len(uploads) > EvidenceItem.MAX_FILES:
        raise PortfolioError(too_many_files_message(0))
    item = EvidenceItem(
        owner=owner, kind=EvidenceKind(kind), date=date, title=title.strip(), reflection=reflection
    )
    item.full_clean()

    def change(stored):
        competencies = _choosable(competency_ids)
        item.save()
        EvidenceLink.objects.bulk_create(
            EvidenceLink(item=item, competency=competency) for competency in competencies
        )
        record("portfolio.evidence_created", obj=item, new=_snapshot(item))
        _store(item, uploads, stored)
        return item

    return _atomic_with_files(change)


@transaction.atomic
def update_evidence(
    *,
    item: EvidenceItem,
    kind: str,
    date: Date,
    title: str,
    reflection: str,
    competency_ids: Iterable[int],
) -> EvidenceItem:
    """Change an unlocked item's details and links; a real change voids its confirmations."""
    item = _lock(item)
    _check_date(date)
    old = _snapshot(item)
    old_reflection = item.reflection
    item.kind, item.date, item.title, item.reflection = (
        EvidenceKind(kind),
        date,
        title.strip(),
        reflection,
    )
    item.full_clean()

    wanted = {c.pk for c in _choosable(competency_ids)}
    current = set(
        item.links.filter(competency__framework__status=FrameworkStatus.PUBLISHED).values_list(
            "competency_id", flat=True
        )
    )
    item.links.filter(competency_id__in=current - wanted).delete()
    EvidenceLink.objects.bulk_create(
        EvidenceLink(item=item, competency_id=pk) for pk in sorted(wanted - current)
    )
    new = _snapshot(item)
    reflection_changed = item.reflection != old_reflection
    if new == old and not reflection_changed:
        return item
    item.save()
    record(
        "portfolio.evidence_updated",
        obj=item,
        old=old,
        new=new,
        detail="The reflection was changed." if reflection_changed else "",
    )
    _void_confirmations(item)
    return item


def add_files(*, item: EvidenceItem, uploads: Sequence[CheckedUpload]) -> list[EvidenceFile]:
    """Attach more checked files to an unlocked item, up to EvidenceItem.MAX_FILES in all."""
    if not uploads:
        raise PortfolioError("Choose at least one file to upload.")

    def change(stored):
        locked = _lock(item)
        existing = locked.files.count()
        if existing + len(uploads) > EvidenceItem.MAX_FILES:
            raise PortfolioError(too_many_files_message(existing))
        _store(locked, uploads, stored)
        locked.save(update_fields=["updated_at"])
        _void_confirmations(locked)
        return list(locked.files.filter(file__in=stored))

    return _atomic_with_files(change)


@transaction.atomic
def remove_file(*, evidence_file: EvidenceFile) -> None:
    """Take one file off an unlocked item; the stored copy goes once this commits."""
    item = _lock(evidence_file.item)
    evidence_file = EvidenceFile.objects.select_for_update().get(pk=evidence_file.pk)
    if item.files.count() <= 1:
        raise PortfolioError(
            "An evidence item needs at least one file. Add the new file first, "
            "then remove this one."
        )
    record(
        "portfolio.evidence_file_removed",
        obj=evidence_file,
        old={"item": item.pk, "name": evidence_file.original_name, "sha256": evidence_file.sha256},
    )
    name = evidence_file.file.name
    evidence_file.delete()
    item.save(update_fields=["updated_at"])
    _void_confirmations(item)
    transaction.on_commit(partial(_delete_stored, [name]), robust=True)


@transaction.atomic
def delete_evidence(*, item: EvidenceItem) -> None:
    """Delete an unlocked item with its files, links and confirmations."""
    item = _lock(item)
    names = list(item.files.values_list("file", flat=True))
    record(
        "portfolio.evidence_deleted",
        obj=item,
        old={**_snapshot(item), "files": len(names)},
    )
    item.delete()
    transaction.on_commit(partial(_delete_stored, names), robust=True)
