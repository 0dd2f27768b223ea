"""The database tables, by subject: people.py, catalogue.py, plans.py, sessions.py (sessions,
danger reports, alerts), measurements.py, feedback.py, escalation.py, audit.py, attention.py
(each patient's triage, kept); invitations.py, outbox.py (e-mail not about one alert),
reminders.py (reminders, calendar feed), preferences.py (how clinicians hear of alerts),
closing.py (closing an account); imports.py (files from watches and phones), psfs.py (the
Patient-Specific Functional Scale); once.py the abstract SavedOnce (a form's request key)."""

from tracker.models.attention import Attention
from tracker.models.audit import AuditAction, AuditEvent
from tracker.models.catalogue import Activity, Impact
from tracker.models.closing import AccountClosure
from tracker.models.escalation import AlertAttempt, AlertEmail
from tracker.models.feedback import Comment, Reply
from tracker.models.imports import FileFormat, ImportedFile
from tracker.models.invitations import Invitation
from tracker.models.measurements import Measurement, MeasurementKind, Site
from tracker.models.outbox import OutgoingEmail, ScheduledRun
from tracker.models.people import (
    AtrophyCause,
    AtrophyKind,
    BodyRegion,
    PatientProfile,
    Role,
    Sex,
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
from tracker.models.preferences import AlertPreference, Delivery, DigestPreference
from tracker.models.psfs import PsfsActivity, PsfsRound, PsfsScore
from tracker.models.reminders import CalendarFeed, Reminder
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
    "AccountClosure",
    "Activity",
    "Alert",
    "AlertAttempt",
    "AlertEmail",
    "AlertKind",
    "AlertPreference",
    "AtrophyCause",
    "AtrophyKind",
    "Attention",
    "AuditAction",
    "AuditEvent",
    "BodyRegion",
    "CalendarFeed",
    "Clearance",
    "Comment",
    "DangerReport",
    "DangerSign",
    "Delivery",
    "DigestPreference",
    "DistanceUnit",
    "FileFormat",
    "Impact",
    "ImportedFile",
    "Invitation",
    "Measurement",
    "MeasurementKind",
    "OutgoingEmail",
    "PatientProfile",
    "Plan",
    "PlanChange",
    "PlanHold",
    "PlanStatus",
    "PlanTemplate",
    "Prescription",
    "PsfsActivity",
    "PsfsRound",
    "PsfsScore",
    "Reminder",
    "Reply",
    "ReportedSymptom",
    "Role",
    "ScheduledRun",
    "SessionLog",
    "SessionRevision",
    "Sex",
    "Side",
    "Site",
    "Source",
    "Symptom",
    "TemplatePrescription",
    "User",
]
