"""What a file storage raises when it cannot be reached, whichever storage is configured."""

import logging

logger = logging.getLogger(__name__)

try:  # object storage (django-storages on boto3)
    from botocore.exceptions import BotoCoreError, ClientError

    STORAGE_ERRORS: tuple[type[BaseException], ...] = (OSError, BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - boto3 is a dependency; kept for a slimmed install
    STORAGE_ERRORS = (OSError,)

STORAGE_UNAVAILABLE = (
    "Your files could not be stored just now, so nothing was saved. "
    "Try again in a few minutes; if it keeps happening, contact the faculty."
)


def delete_quietly(storage, names) -> None:
    """Remove stored files after a failed change; an unreachable storage is logged, not raised,
    so that the error the user sees is the one that stopped the change."""
    for name in names:
        try:
            storage.delete(name)
        except STORAGE_ERRORS:
            logger.warning("Could not remove %s after a failed change; remove it by hand", name)
