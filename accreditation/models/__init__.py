from accreditation.models.applications import (
    Allocation,
    Appeal,
    Application,
    ApplicationEvent,
    Decision,
    FeeStatus,
    Judgement,
    Outcome,
    Recommendation,
    Review,
    ReviewDraft,
    ReviewRound,
    RoundOrigin,
)
from accreditation.models.pathways import (
    ApplicationWindow,
    AppliesTo,
    AssessorTraining,
    EligibilityKind,
    EligibilityRule,
    EvidenceRule,
    EvidenceRuleKind,
    Pathway,
)
from accreditation.models.qualifications import (
    LIVE_QUALIFICATION_STATUSES,
    PriorQualification,
    QualificationStatus,
)
from accreditation.models.references import (
    LIVE_REFERENCE_STATUSES,
    ReferenceStatus,
    SupervisorReference,
    SupervisorSpecialty,
)

# The states' vocabulary lives in accreditation.states; kept here for the models' callers.
from accreditation.states import ACTIVE_REVIEW_STATES, OPEN_STATES, AppealOutcome, State

__all__ = [
    "LIVE_REFERENCE_STATUSES",
    "ReferenceStatus",
    "SupervisorReference",
    "SupervisorSpecialty",
    "ACTIVE_REVIEW_STATES",
    "LIVE_QUALIFICATION_STATUSES",
    "PriorQualification",
    "QualificationStatus",
    "ReviewDraft",
    "RoundOrigin",
    "OPEN_STATES",
    "Allocation",
    "Appeal",
    "AppliesTo",
    "AppealOutcome",
    "Application",
    "ApplicationEvent",
    "ApplicationWindow",
    "AssessorTraining",
    "Decision",
    "EligibilityKind",
    "EligibilityRule",
    "EvidenceRule",
    "EvidenceRuleKind",
    "FeeStatus",
    "Judgement",
    "Outcome",
    "Pathway",
    "Recommendation",
    "Review",
    "ReviewRound",
    "State",
]
