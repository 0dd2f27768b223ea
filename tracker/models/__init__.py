from tracker.models.catalogue import Activity, Impact
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
    PlanStatus,
    PlanTemplate,
    Prescription,
    TemplatePrescription,
)

__all__ = [
    "BORG_MAX",
    "BORG_MIN",
    "Activity",
    "AtrophyCause",
    "AtrophyKind",
    "BodyRegion",
    "Clearance",
    "Impact",
    "PatientProfile",
    "Plan",
    "PlanStatus",
    "PlanTemplate",
    "Prescription",
    "Role",
    "Side",
    "TemplatePrescription",
    "User",
]
