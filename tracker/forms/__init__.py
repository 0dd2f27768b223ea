"""All validation of what people type, by subject: plans.py (clearance, plan, prescription,
status and progression), sessions.py (log, danger report), feedback.py, measurements.py,
morning.py, contact.py, filters.py (the caseload's search); limits.py the visible limit of every
free text. Clinical rules come from tracker/rules/."""

from tracker.forms.contact import ContactDetailsForm
from tracker.forms.feedback import CommentForm, ReplyForm
from tracker.forms.plans import (
    ClearanceForm,
    PlanCreateForm,
    PlanStatusForm,
    PrescriptionForm,
    check_letter,
    sniff_letter,
)
from tracker.forms.sessions import (
    AcknowledgeForm,
    DangerReportForm,
    SessionLogForm,
    care_team_names,
    danger_signs_in,
)

__all__ = [
    "AcknowledgeForm",
    "ClearanceForm",
    "CommentForm",
    "ContactDetailsForm",
    "DangerReportForm",
    "PlanCreateForm",
    "PlanStatusForm",
    "PrescriptionForm",
    "ReplyForm",
    "SessionLogForm",
    "care_team_names",
    "check_letter",
    "danger_signs_in",
    "sniff_letter",
]
