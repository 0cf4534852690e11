"""The version of a sitting's results, for caching the report shown beside them.

The pass rates by profession and the reliability of an SBA paper read every result and every
mark of the sitting, yet change only when marks are imported, a question is excluded or
restored, or results are stored. Those services call results_changed(); the report is kept
in the cache under the sitting's current version, so a change is seen on the next request.
"""

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "exams:results-version:{sitting_id}"
REPORT_KEY = "exams:results-report:{sitting_id}:{version}"
REPORT_CACHE_SECONDS = 24 * 3600


def _bump(sitting_id: int) -> None:
    key = VERSION_KEY.format(sitting_id=sitting_id)
    try:
        cache.incr(key)
    except ValueError:  # not set yet, evicted, or Redis away: any new value differs
        cache.set(key, time.time_ns(), None)


def results_changed(sitting_id: int) -> None:
    """Now, and again after the commit: a report made between the change and the commit
    would otherwise be kept under the new version with the old figures."""
    _bump(sitting_id)
    transaction.on_commit(lambda: _bump(sitting_id))


def report_key(sitting_id: int) -> str:
    version = cache.get_or_set(VERSION_KEY.format(sitting_id=sitting_id), 1, None)
    return REPORT_KEY.format(sitting_id=sitting_id, version=version)
