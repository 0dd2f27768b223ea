from tracker.models.people import (
    AtrophyCause,
    AtrophyKind,
    BodyRegion,
    PatientProfile,
    Role,
    Side,
    User,
)

__all__ = [
    "AtrophyCause",
    "AtrophyKind",
    "BodyRegion",
    "PatientProfile",
    "Role",
    "Side",
    "User",
]
