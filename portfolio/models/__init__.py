from portfolio.models.clinicians import ClinicianProfile, Profession
from portfolio.models.evidence import (
    Confirmation,
    ConfirmationStatus,
    EvidenceFile,
    EvidenceItem,
    EvidenceKind,
    EvidenceLink,
)
from portfolio.models.frameworks import Competency, Domain, Framework, FrameworkStatus
from portfolio.registration import Regulator

__all__ = [
    "ClinicianProfile",
    "Competency",
    "Confirmation",
    "ConfirmationStatus",
    "Domain",
    "EvidenceFile",
    "EvidenceItem",
    "EvidenceKind",
    "EvidenceLink",
    "Framework",
    "FrameworkStatus",
    "Profession",
    "Regulator",
]
