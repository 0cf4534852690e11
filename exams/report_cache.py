"""The version of a sitting's results, for caching the report shown beside them.

The pass rates by profession and the reliability of an SBA paper read every result and every
mark of the sitting, yet change only when marks are imported, a question is excluded or
restored, or results are stored. Those services call results_changed(); the report is kept
in the cache under the sitting's current version, so a change is seen on the next request.
"""

from portal import generations

VERSION_KEY = "exams:results-version:{sitting_id}"
REPORT_KEY = "exams:results-report:{sitting_id}:{version}"
REPORT_CACHE_SECONDS = 24 * 3600


def results_changed(sitting_id: int) -> None:
    generations.bump_now_and_after_commit(VERSION_KEY.format(sitting_id=sitting_id))


def report_key(sitting_id: int) -> str:
    version = generations.current(VERSION_KEY.format(sitting_id=sitting_id))
    return REPORT_KEY.format(sitting_id=sitting_id, version=version)
