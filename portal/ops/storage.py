"""What a file storage raises when it cannot be reached, whichever storage is configured."""

import logging

from django.core.files.storage import FileSystemStorage

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


class PortalServedURLs:
    """A storage whose files are linked through the portal's own /media/ path.

    For image renditions on public pages: object storage is private (signed links that expire
    in minutes, on another origin the content security policy does not allow), and pages are
    cached, so a page links `/media/<name>` and portal.ops.media streams the file."""

    def url(self, name):
        from django.conf import settings

        return f"{settings.MEDIA_URL}{name}"


class LocalRenditionStorage(PortalServedURLs, FileSystemStorage):
    pass


try:
    from storages.backends.s3 import S3Storage

    class S3RenditionStorage(PortalServedURLs, S3Storage):
        pass

except ImportError:  # pragma: no cover
    pass
