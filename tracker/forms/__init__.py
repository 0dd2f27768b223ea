from tracker.forms.contact import ContactDetailsForm
from tracker.forms.feedback import CommentForm
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
    "SessionLogForm",
    "care_team_names",
    "check_letter",
    "danger_signs_in",
    "sniff_letter",
]
