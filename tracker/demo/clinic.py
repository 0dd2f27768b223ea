"""Demo data: a small clinic whose people and records show every feature of the app.

`load_demo` builds it once in an empty database. A database that already holds the demo is
left as it is; one that holds anybody else's accounts is refused, so the demo can never be
mixed into real records. Each patient's weeks of sessions, and the alerts they opened, come
from demo/sessions.py, through the same write path as a patient's own logging.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tracker.demo.imports import add_demo_imports
from tracker.demo.measurements import add_demo_measurements
from tracker.demo.psfs import add_demo_psfs
from tracker.demo.sessions import Habits, Story, log_demo_sessions
from tracker.demo.two_factor import give_staff_authenticators
from tracker.domain.feedback import add_comment
from tracker.domain.plans import change_status, create_plan
from tracker.models import (
    Activity,
    AtrophyCause,
    AtrophyKind,
    BodyRegion,
    Clearance,
    PatientProfile,
    PlanStatus,
    PlanTemplate,
    Role,
    SessionLog,
    Sex,
    Side,
    TemplatePrescription,
    User,
)

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
class DemoPlan:
    template: str
    weeks_in: int  # how long the plan has been running: whole weeks...
    days_in: int  # ...and days into the current week
    clearance_days_left: int
    max_session_minutes: int
    activities: tuple[str, ...]
    high_impact: bool = False
    weight_bearing: bool = True
    restrictions: str = ""


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
    plan: DemoPlan
    habits: Habits


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
        17,
        6,
        DemoPlan(
            "Walking back after a cast",
            10,
            3,
            120,
            45,
            ("Walking", "Swimming"),
            restrictions="Full weight bearing allowed; avoid uneven ground for now.",
        ),
        Habits(
            adherence=0.92,
            pain=1,
            walking_pace=72,
            start_hour=7,
            symptoms=("tiring_easily",),
            symptom_rate=0.05,
            notes=(("Walking", "Stayed on the pavement, no grass."),),
            flare_up_week=4,
        ),
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
        15,
        3,
        DemoPlan(
            "Gentle start after bed rest",
            11,
            4,
            10,
            30,
            ("Walking", "Swimming"),
            restrictions="Check blood pressure before sessions for the first month.",
        ),
        Habits(
            adherence=0.95,
            pain=1,
            walking_pace=55,
            start_hour=10,
            symptoms=("tiring_easily", "balance"),
            symptom_rate=0.15,
            notes=(
                ("Walking", "Walked with my wife."),
                ("Walking", "Took the stick, just in case."),
            ),
            story=Story.FADING,
        ),
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
        DemoPlan(
            "Pool and walking, supervised",
            11,
            6,
            150,
            30,
            ("Walking", "Swimming"),
            restrictions="Supervised progression only. Stop at once with new weakness or numbness.",
        ),
        Habits(
            adherence=0.8,
            pain=1,
            walking_pace=50,
            start_hour=16,
            symptoms=("hands_feet", "tiring_easily", "numbness"),
            symptom_rate=0.2,
            notes=(("Swimming", "Hydrotherapy pool with the group."),),
            story=Story.DANGER_SIGN,
        ),
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
        20,
        6,
        DemoPlan(
            "Return to running",
            10,
            5,
            90,
            60,
            ("Walking", "Jogging", "Swimming"),
            high_impact=True,
            restrictions="Jogging on flat ground only; no cutting or jumping.",
        ),
        Habits(
            adherence=0.95,
            pain=1,
            walking_pace=85,
            start_hour=18,
            notes=(("Jogging", "Treadmill, 0% incline."), ("Walking", "Walked to work.")),
            pushed_week=10,
        ),
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
        DemoPlan(
            "Pool start for sore knees",
            9,
            2,
            100,
            40,
            ("Swimming", "Walking"),
            restrictions="Keep walking on the flat; no stairs for exercise.",
        ),
        Habits(
            adherence=0.75,
            pain=2,
            walking_pace=60,
            start_hour=11,
            symptoms=("tiring_easily",),
            symptom_rate=0.05,
            notes=(("Swimming", "Aqua aerobics class counted as my swim."),),
            story=Story.PAIN_RISING,
        ),
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
        16,
        6,
        DemoPlan(
            "Gentle start after bed rest",
            9,
            0,
            60,
            40,
            ("Walking", "Swimming"),
            restrictions="No swimming strokes with the left arm overhead until week 8.",
        ),
        Habits(
            adherence=0.6,
            pain=1,
            walking_pace=80,
            notes=(("Swimming", "Kick board only, left arm resting."),),
        ),
    ),
]
# name -> (description, [(activity, sessions a week, start, most, growth %, effort low, high)])
TEMPLATES = {
    "Walking back after a cast": (
        "For a leg that was in a cast: walking most days, with a swim to rest the joints.",
        [("Walking", 4, 15, 45, 10, 9, 13), ("Swimming", 1, 20, 40, 10, 9, 12)],
    ),
    "Gentle start after bed rest": (
        "Very short walks, often, for people weakened by a long stay in bed.",
        [("Walking", 5, 8, 30, 10, 9, 12), ("Swimming", 1, 15, 30, 10, 9, 11)],
    ),
    "Pool and walking, supervised": (
        "For nerve-related weakness: steady sessions that the care team raises by hand.",
        [("Swimming", 2, 15, 30, 0, 9, 12), ("Walking", 3, 10, 30, 0, 9, 12)],
    ),
    "Return to running": (
        "After a knee or ankle injury has healed: walk, then add easy jogging.",
        [
            ("Walking", 3, 30, 45, 10, 11, 13),
            ("Jogging", 2, 10, 30, 10, 11, 14),
            ("Swimming", 1, 20, 40, 10, 9, 13),
        ],
    ),
    "Pool start for sore knees": (
        "Swimming first, to build the legs without loading painful joints.",
        [("Swimming", 3, 20, 40, 10, 9, 13), ("Walking", 2, 15, 30, 10, 9, 12)],
    ),
}
PHYSICIANS = [
    ("Dr Ines Duarte", "GMC 7012345"),
    ("Dr Samuel Adeyemi", "GMC 6423187"),
    ("Dr Hannah Weiss", "GMC 7390021"),
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


EMERGENCY_CONTACTS = [
    ("Piotr", "husband"),
    ("Grace", "daughter"),
    ("Louis", "partner"),
    ("Ama", "sister"),
    ("Marco", "son"),
    ("Leila", "wife"),
]


# Sex, height (cm) and weight (kg), for the functional tests' norms (rules/norms.py).
BODIES = {
    "patient": (Sex.FEMALE, 166, Decimal("71.5")),
    "patient2": (Sex.MALE, 176, Decimal("82.0")),
    "patient3": (Sex.FEMALE, 171, Decimal("63.0")),
    "patient4": (Sex.MALE, 183, Decimal("79.5")),
    "patient5": (Sex.FEMALE, 160, Decimal("74.0")),
    "patient6": (Sex.MALE, 174, Decimal("88.0")),
}


def _build(*, password: str, today: dt.date) -> None:
    users: dict[str, User] = {}
    # One hash for all: the accounts share a printed password, and each hash takes half a second.
    hashed = make_password(password)
    for person in PEOPLE:
        user = User(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@demo.example",
            role=person.role,
            is_superuser=person.role == Role.ADMIN,
        )
        user.password = hashed
        user.save()
        users[person.username] = user
    give_staff_authenticators(list(users.values()))

    for number, patient in enumerate(PATIENTS):
        lost_on = today - dt.timedelta(weeks=patient.weeks_since_lost)
        contact_name, relationship = EMERGENCY_CONTACTS[number % len(EMERGENCY_CONTACTS)]
        sex, height_cm, weight_kg = BODIES[patient.person.username]
        profile = PatientProfile.objects.create(
            user=users[patient.person.username],
            date_of_birth=patient.born,
            sex=sex,
            height_cm=height_cm,
            weight_kg=weight_kg,
            atrophy_kind=patient.kind,
            cause=patient.cause,
            cause_detail=patient.cause_detail,
            affected_region=patient.region,
            affected_side=patient.side,
            mobility_lost_on=lost_on,
            mobility_regained_on=lost_on + dt.timedelta(weeks=patient.weeks_immobile),
            # Numbers from the range kept for drama and examples: they reach nobody.
            phone=f"07700 900{101 + number:03d}",
            emergency_contact_name=f"{contact_name} {patient.person.last_name}",
            emergency_contact_relationship=relationship,
            emergency_contact_phone=f"07700 900{201 + number:03d}",
        )
        profile.care_team.add(users[patient.physio])

    templates = _build_templates()
    for number, patient in enumerate(PATIENTS):
        physician, registration = PHYSICIANS[number % len(PHYSICIANS)]
        spec = patient.plan
        physio = users[patient.physio]
        starts_on = today - dt.timedelta(weeks=spec.weeks_in, days=spec.days_in)
        clearance = Clearance.objects.create(
            patient=users[patient.person.username],
            physician_name=physician,
            physician_registration=registration,
            cleared_on=starts_on - dt.timedelta(days=5),
            valid_until=today + dt.timedelta(days=spec.clearance_days_left),
            max_session_minutes=spec.max_session_minutes,
            high_impact_allowed=spec.high_impact,
            weight_bearing_allowed=spec.weight_bearing,
            restrictions=spec.restrictions,
            recorded_by=physio,
        )
        clearance.activities.set(Activity.objects.filter(name__in=spec.activities))
        plan, _, _ = create_plan(
            patient=users[patient.person.username],
            clearance=clearance,
            title=spec.template,
            starts_on=starts_on,
            created_by=physio,
            template=templates[spec.template],
        )
        change_status(plan=plan, to=PlanStatus.ACTIVE, today=today)
        log_demo_sessions(
            patient=users[patient.person.username],
            plan=plan,
            physio=physio,
            habits=patient.habits,
            today=today,
        )
        _add_demo_feedback(users[patient.person.username], physio, patient.person.username)
        add_demo_measurements(
            patient=users[patient.person.username],
            physio=physio,
            region=patient.region,
            kind=patient.kind,
            born=patient.born,
            starts_on=starts_on,
            today=today,
            first_gap=4.0 + number * 0.4,
        )
        add_demo_psfs(patient=users[patient.person.username], plan=plan, today=today, number=number)
        add_demo_imports(
            patient=users[patient.person.username], plan=plan, today=today, number=number
        )


# The note a physiotherapist writes for the patient on each activity, shown on My plan and the
# log form (a plan made from a template takes it).
PRESCRIPTION_NOTES = {
    "Walking": "At a pace at which you can still talk. Flat ground until your physio says.",
    "Swimming": "Easy lengths; rest at the wall whenever you need to.",
    "Jogging": "Slow down to a walk whenever you cannot speak in full sentences.",
}


def _build_templates() -> dict[str, PlanTemplate]:
    activities = {activity.name: activity for activity in Activity.objects.all()}
    templates = {}
    for name, (description, items) in TEMPLATES.items():
        template = PlanTemplate.objects.create(name=name, description=description)
        for activity, sessions, start, most, growth, effort_min, effort_max in items:
            TemplatePrescription.objects.create(
                template=template,
                activity=activities[activity],
                sessions_per_week=sessions,
                start_minutes=start,
                max_minutes=most,
                weekly_progression_percent=growth,
                effort_min=effort_min,
                effort_max=effort_max,
                note=PRESCRIPTION_NOTES.get(activity, ""),
            )
        templates[name] = template
    return templates


FEEDBACK = {
    "patient": "Lovely steady week, Anna. Keep the walks on the flat for now; we'll add a hill "
    "once the thigh difference is under 2 cm.",
    "patient2": "Ben, I noticed the sessions have thinned out. Even 8 minutes counts: could you "
    "try one short walk after lunch each day this week?",
    "patient4": "Good pace on the runs, David. Your effort went above 14 twice: ease off so you "
    "can still talk while jogging.",
}


def _add_demo_feedback(patient: User, physio: User, username: str) -> None:
    """A comment from the physiotherapist on the latest session, for a few patients."""
    text = FEEDBACK.get(username)
    latest = SessionLog.objects.current().filter(patient=patient).order_by("-date", "-pk").first()
    if text and latest:
        add_comment(patient=patient, author=physio, text=text, session=latest)
