"""Typed SQLAlchemy 2.0 models. Import models from here."""
from .audit import AuditEvent
from .base import MAX_DEPLOYMENT_DAYS, MIN_DEPLOYMENT_DAYS, utcnow
from .choices import (
    AgreementStatus,
    ApplicationStatus,
    AssessorStatus,
    DeploymentStatus,
    EmployerKind,
    InspectionStatus,
    InspectionType,
    MessageStatus,
    Role,
    Sector,
    SolveRunStatus,
    Specialism,
)
from .data_version import UNTRACKED_TABLES, DataChange, DataVersion
from .messages import OutboxMessage, UsedLink
from .notifications import (
    DeadlineClock,
    Extension,
    Feedback,
    Notification,
    NotificationKind,
    NotificationSource,
    NotificationStatus,
    NotificationTombstone,
    PartnerLink,
)
from .people import Area, Assessor, Employer, EmployerAgreement, LoginSession, RecoveryCode, Unavailability, User
from .policy import AIMS, DEPLOYMENT_CAP_RANGE, PlanningPolicy
from .preferences import PREFERENCE_NOTE_MAX, Preference, PreferenceKind
from .programme import Deployment, Inspection, InspectionDay, Seat, SolveRun
from .recruitment import Application, ApplicationDraft, Campaign
from .requests import ChangeRequestStatus, SpecialismChangeRequest

__all__ = [
    "AgreementStatus", "Application", "ApplicationDraft", "ApplicationStatus", "Area", "Assessor", "AssessorStatus",
    "AuditEvent", "Campaign", "DataChange", "DataVersion", "Deployment", "DeploymentStatus", "Employer",
    "EmployerAgreement", "EmployerKind", "Inspection", "InspectionDay", "InspectionStatus", "InspectionType",
    "LoginSession", "RecoveryCode", "MAX_DEPLOYMENT_DAYS", "MessageStatus", "MIN_DEPLOYMENT_DAYS", "OutboxMessage",
    "Role", "Sector", "Seat",
    "SolveRun", "SolveRunStatus", "Specialism", "Unavailability", "UsedLink", "User", "utcnow",
    "ChangeRequestStatus", "SpecialismChangeRequest",
    "DeadlineClock", "Extension", "Feedback", "Notification", "NotificationKind", "NotificationSource",
    "NotificationStatus", "NotificationTombstone", "PartnerLink", "UNTRACKED_TABLES", "DEPLOYMENT_CAP_RANGE",
    "PlanningPolicy", "AIMS", "PREFERENCE_NOTE_MAX", "Preference", "PreferenceKind",
]
