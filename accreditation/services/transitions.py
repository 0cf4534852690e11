"""The application's state machine: one function per step, and no other code writes `state`.

Each step locks the application's row, checks its move against accreditation.states and who
is acting (services.guards), refuses anything else with a clear AccreditationError before
writing a thing, then writes the change, a timeline event and an audit event in one
transaction (services.moves), and queues its emails for after the commit (services.telling).

The steps live by concept; this module is the one door the pages (and other callers) use:

- services.submission: start (or renew), change the declaration, submit, resubmit, withdraw
- services.completeness: the faculty office's check, a return, sending for review
- services.decisions: the reviews in, the lead assessor's decision
- services.appeals: lodging an appeal and deciding it
- services.award: the credential an approval earns
"""

from accreditation.services.appeals import decide_appeal, lodge_appeal
from accreditation.services.completeness import (
    begin_review,
    completeness_blockers,
    mark_complete,
    return_application,
)
from accreditation.services.decisions import decide, disagreements, reviews_in
from accreditation.services.submission import (
    resubmit_application,
    start_application,
    start_renewal,
    submit_application,
    unanswered_capabilities,
    update_declaration,
    withdraw_application,
)
from accreditation.states import appeal_deadline

__all__ = [
    "appeal_deadline",
    "begin_review",
    "completeness_blockers",
    "decide",
    "decide_appeal",
    "disagreements",
    "lodge_appeal",
    "mark_complete",
    "resubmit_application",
    "return_application",
    "reviews_in",
    "start_application",
    "start_renewal",
    "submit_application",
    "unanswered_capabilities",
    "update_declaration",
    "withdraw_application",
]
