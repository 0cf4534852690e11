"""Credentials' background tasks, all of them. Thin: load the rows, call the service."""

import datetime
import logging
from dataclasses import asdict

from django.tasks import task

from credentials.models import Credential
from credentials.services.credentials import CredentialError
from credentials.services.lifecycle import run_daily_checks
from credentials.services.watchlists import notify_watchers

logger = logging.getLogger(__name__)


@task
def generate_certificates(*, credential_ids: list[int], force: bool = False) -> int:
    """Make the signed PDF certificate of each credential; return how many now have one.

    One run handles any number (bulk generation reuses one renderer and one signer). A revoked
    credential is skipped; any other failure stops the run, to be retried.
    """
    # Imported here: WeasyPrint and pyHanko are heavy, and this module loads at start-up.
    from credentials.certificates.services import generate_certificate

    done = 0
    for credential in Credential.objects.filter(pk__in=credential_ids).order_by("pk"):
        try:
            generate_certificate(credential=credential, force=force)
        except CredentialError as exc:
            logger.info("No certificate for %s: %s", credential.serial, exc.message)
            continue
        done += 1
    return done


@task
def alert_watchers(*, credential_pk: int, event: str, occurrence: str = "") -> int:
    credential = Credential.objects.filter(pk=credential_pk).first()
    if credential is None:
        return 0
    return len(notify_watchers(credential=credential, event=event, occurrence=occurrence))


@task
def run_daily_credential_checks(today: str | None = None) -> dict:
    """Once a day: reminders and expiry events. TODAY (ISO date) is for catching up by hand."""
    day = datetime.date.fromisoformat(today) if today else None
    return asdict(run_daily_checks(today=day))


@task
def count_workforce(*, token: str) -> bool:
    """A credential changed: count the workforce page's figures again, ahead of its readers."""
    from credentials.selectors.workforce_counts import count_ahead

    return count_ahead(token=token)
