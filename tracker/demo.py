"""Demo data: a small clinic whose people and records show every feature of the app.

`load_demo` builds it once in an empty database. A database that already holds the demo is
left as it is; one that holds anybody else's accounts is refused, so the demo can never be
mixed into real records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tracker.models import AtrophyCause, AtrophyKind, BodyRegion, PatientProfile, Role, Side, User

DEFAULT_PASSWORD = "recover-together"


class DemoRefused(Exception):
    """The database holds accounts that are not the demo's."""


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    role: Role


@dataclass(frozen=True)
class DemoPatient:
    person: DemoPerson
    physio: str
    born: dt.date
    kind: AtrophyKind
    cause: AtrophyCause
    cause_detail: str
    region: BodyRegion
    side: Side
    weeks_since_lost: int
    weeks_immobile: int


ADMIN = DemoPerson("admin", "Alex", "Morgan", Role.ADMIN)
PHYSIOS = [
    DemoPerson("physio", "Maya", "Lindqvist", Role.PHYSIOTHERAPIST),
    DemoPerson("physio2", "Tomás", "Herrera", Role.PHYSIOTHERAPIST),
]
PATIENTS = [
    DemoPatient(
        DemoPerson("patient", "Anna", "Novak", Role.PATIENT),
        "physio",
        dt.date(1971, 4, 12),
        AtrophyKind.DISUSE,
        AtrophyCause.IMMOBILISATION,
        "Tibial fracture, six weeks in a cast",
        BodyRegion.THIGH,
        Side.RIGHT,
        16,
        6,
    ),
    DemoPatient(
        DemoPerson("patient2", "Ben", "Carter", Role.PATIENT),
        "physio",
        dt.date(1954, 9, 3),
        AtrophyKind.DISUSE,
        AtrophyCause.BED_REST,
        "Three weeks in hospital with pneumonia",
        BodyRegion.WHOLE_LEG,
        Side.BOTH,
        14,
        3,
    ),
    DemoPatient(
        DemoPerson("patient3", "Chloé", "Martin", Role.PATIENT),
        "physio",
        dt.date(1987, 1, 22),
        AtrophyKind.NEUROGENIC,
        AtrophyCause.GUILLAIN_BARRE,
        "Recovering from Guillain-Barré syndrome",
        BodyRegion.WHOLE_LEG,
        Side.BOTH,
        20,
        4,
    ),
    DemoPatient(
        DemoPerson("patient4", "David", "Osei", Role.PATIENT),
        "physio2",
        dt.date(1996, 7, 30),
        AtrophyKind.DISUSE,
        AtrophyCause.IMMOBILISATION,
        "Knee brace after ligament repair",
        BodyRegion.THIGH,
        Side.LEFT,
        12,
        5,
    ),
    DemoPatient(
        DemoPerson("patient5", "Elena", "Rossi", Role.PATIENT),
        "physio2",
        dt.date(1959, 11, 8),
        AtrophyKind.DISUSE,
        AtrophyCause.JOINT_DISEASE,
        "Knee osteoarthritis limiting walking",
        BodyRegion.CALF,
        Side.RIGHT,
        30,
        0,
    ),
    DemoPatient(
        DemoPerson("patient6", "Farid", "Haddad", Role.PATIENT),
        "physio2",
        dt.date(1980, 2, 17),
        AtrophyKind.DISUSE,
        AtrophyCause.IMMOBILISATION,
        "Humerus fracture, arm in a sling",
        BodyRegion.UPPER_ARM,
        Side.LEFT,
        10,
        6,
    ),
]
PEOPLE = [ADMIN, *PHYSIOS, *(patient.person for patient in PATIENTS)]
USERNAMES = {person.username for person in PEOPLE}


def load_demo(*, password: str = DEFAULT_PASSWORD) -> bool:
    """Fill an empty database with the demo clinic. Returns False if it was already there."""
    with transaction.atomic():
        existing = set(User.objects.values_list("username", flat=True))
        strangers = existing - USERNAMES
        if strangers:
            raise DemoRefused(
                f"this database already holds {len(strangers)} account(s) that are not demo "
                "accounts; the demo only fills an empty database (remove var/ or point "
                "DATABASE_URL at an empty database)"
            )
        if existing == USERNAMES:
            return False
        if existing:
            raise DemoRefused(
                "this database holds part of the demo only; start from an empty database"
            )
        _build(password=password, today=timezone.localdate())
        return True


def _build(*, password: str, today: dt.date) -> None:
    users: dict[str, User] = {}
    for person in PEOPLE:
        user = User(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@demo.example",
            role=person.role,
            is_superuser=person.role == Role.ADMIN,
        )
        user.set_password(password)
        user.save()
        users[person.username] = user

    for patient in PATIENTS:
        lost_on = today - dt.timedelta(weeks=patient.weeks_since_lost)
        profile = PatientProfile.objects.create(
            user=users[patient.person.username],
            date_of_birth=patient.born,
            atrophy_kind=patient.kind,
            cause=patient.cause,
            cause_detail=patient.cause_detail,
            affected_region=patient.region,
            affected_side=patient.side,
            mobility_lost_on=lost_on,
            mobility_regained_on=lost_on + dt.timedelta(weeks=patient.weeks_immobile),
        )
        profile.care_team.add(users[patient.physio])
