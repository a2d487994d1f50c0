"""The domain model: one module per aggregate. Importing this registers every table."""

from portal.models.accounts import OneTimeLink, RateLimitWindow, SignInThrottle
from portal.models.audit import AuditEvent
from portal.models.cases import (
    Attachment,
    Case,
    ContactLogEntry,
    Incident,
    InformalStep,
    NeedsConsideration,
    Referral,
    TerminatedCall,
)
from portal.models.challenges import (
    Appeal,
    ChallengeDraft,
    ComplaintRefusal,
    ReconsiderationRequest,
)
from portal.models.files import LetterRender, StoredFile
from portal.models.gdpr import LegalHold, SubjectAccessRequest
from portal.models.imports import ImportFileChunk, ImportRow, ImportRun
from portal.models.jobs import Job
from portal.models.letters import Letter
from portal.models.people import (
    AdvocateAuthority,
    Customer,
    ProtectedCharacteristics,
    RecoveryCode,
    User,
    UserRole,
    UserSession,
)
from portal.models.policy import PolicyFeedback, PolicyVersion, RelatedDocument
from portal.models.reports import KeptReportFigures, ReportExport, ReportExportStatus
from portal.models.restrictions import Escalation, Restriction, RestrictionMeasure, Review

__all__ = [
    "AdvocateAuthority",
    "Appeal",
    "Attachment",
    "AuditEvent",
    "Case",
    "ChallengeDraft",
    "ComplaintRefusal",
    "ContactLogEntry",
    "Customer",
    "Escalation",
    "ImportFileChunk",
    "ImportRow",
    "ImportRun",
    "Incident",
    "InformalStep",
    "Job",
    "LegalHold",
    "Letter",
    "LetterRender",
    "NeedsConsideration",
    "OneTimeLink",
    "PolicyFeedback",
    "PolicyVersion",
    "ProtectedCharacteristics",
    "RecoveryCode",
    "KeptReportFigures",
    "ReportExport",
    "ReportExportStatus",
    "RateLimitWindow",
    "SignInThrottle",
    "ReconsiderationRequest",
    "Referral",
    "RelatedDocument",
    "Restriction",
    "RestrictionMeasure",
    "StoredFile",
    "SubjectAccessRequest",
    "Review",
    "TerminatedCall",
    "User",
    "UserRole",
    "UserSession",
]
