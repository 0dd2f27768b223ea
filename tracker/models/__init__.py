"""The database tables, by subject: people.py, catalogue.py, plans.py, sessions.py (sessions,
danger reports, alerts), measurements.py, feedback.py, escalation.py, audit.py, attention.py
(each patient's triage, kept); once.py the abstract SavedOnce (a form's request key)."""

from tracker.models.attention import Attention
from tracker.models.audit import AuditAction, AuditEvent
from tracker.models.catalogue import Activity, Impact
from tracker.models.escalation import AlertAttempt, AlertEmail
from tracker.models.feedback import Comment
from tracker.models.measurements import Measurement, MeasurementKind, Site
from tracker.models.people import (
    AtrophyCause,
    AtrophyKind,
    BodyRegion,
    PatientProfile,
    Role,
    Side,
    User,
)
from tracker.models.plans import (
    BORG_MAX,
    BORG_MIN,
    Clearance,
    Plan,
    PlanChange,
    PlanHold,
    PlanStatus,
    PlanTemplate,
    Prescription,
    TemplatePrescription,
)
from tracker.models.sessions import (
    Alert,
    AlertKind,
    DangerReport,
    DangerSign,
    DistanceUnit,
    ReportedSymptom,
    SessionLog,
    SessionRevision,
    Source,
    Symptom,
)

__all__ = [
    "BORG_MAX",
    "BORG_MIN",
    "Activity",
    "Alert",
    "AlertAttempt",
    "AlertEmail",
    "AlertKind",
    "AtrophyCause",
    "AtrophyKind",
    "Attention",
    "AuditAction",
    "AuditEvent",
    "BodyRegion",
    "Clearance",
    "Comment",
    "DangerReport",
    "DangerSign",
    "DistanceUnit",
    "Impact",
    "Measurement",
    "MeasurementKind",
    "PatientProfile",
    "Plan",
    "PlanChange",
    "PlanHold",
    "PlanStatus",
    "PlanTemplate",
    "Prescription",
    "ReportedSymptom",
    "Role",
    "SessionLog",
    "SessionRevision",
    "Side",
    "Site",
    "Source",
    "Symptom",
    "TemplatePrescription",
    "User",
]
