"""Demo data, part two: weeks of exercise sessions for each demo patient.

Each session goes through the real write path, `logbook.log_session`, so the safety rules open
alerts as they would in life, and each week's minutes follow the plan's own target for that week,
held by the same rules (open alerts, low adherence, supervised plans). The data is made up but
deterministic: one `random.Random` per patient, seeded by name, so two builds are the same.

Alerts are opened when their session is logged; clinicians acknowledged everything older than
`ACKNOWLEDGED_AFTER_DAYS`, so the open ones are the recent, meaningful ones.
"""

from __future__ import annotations

import datetime as dt
import enum
import random
from dataclasses import dataclass

from django.utils import timezone

from tracker.domain.logbook import SessionInput, log_session
from tracker.models import (
    BORG_MAX,
    BORG_MIN,
    Alert,
    AlertKind,
    DangerReport,
    Plan,
    Prescription,
    SessionLog,
    User,
)
from tracker.queries.week import this_week
from tracker.rules.plans import Limits, is_supervised

ACKNOWLEDGED_AFTER_DAYS = 10
FADED_OUT_DAYS = 10  # a fading patient's last session was this many days ago
SWIMMING_PACE = 22  # metres a minute for a rehab swimmer at the start; pools are 25 m
JOGGING_PACE_FACTOR = 1.55  # jogging pace against the same person's brisk walking pace
WEEKLY_PACE_GAIN = 0.012  # people get a little faster every week


class Story(enum.Enum):
    STEADY = "steady"
    FADING = "fading"  # logs well at first, then less and less, then stops
    PAIN_RISING = "pain_rising"  # pain after sessions climbs over the last three
    DANGER_SIGN = "danger_sign"  # reports a danger sign with a session a day or two ago


@dataclass(frozen=True)
class Habits:
    """How one demo patient exercises and logs."""

    adherence: float  # chance of doing each prescribed session
    pain: int  # usual pain before a session, 0-10
    walking_pace: int  # metres a minute at the start of the plan
    start_hour: int | None = None  # usual time of day; None: rarely says
    symptoms: tuple[str, ...] = ()  # codes from Symptom that turn up now and then
    symptom_rate: float = 0.0
    notes: tuple[tuple[str, str], ...] = ()  # (activity, remark): their own, besides the common
    flare_up_week: int | None = None  # the plan week in which one session hurt
    pushed_week: int | None = None  # the plan week of two sessions in a row above the effort range
    story: Story = Story.STEADY


COMMON_NOTES = {
    "Walking": (
        "Round the park.",
        "Walked to the shops and back.",
        "Windy, kept a steady pace.",
        "Treadmill at the gym, it was raining.",
        "Legs felt stronger today.",
    ),
    "Swimming": (
        "Mostly breaststroke.",
        "Pool was busy, did what I could.",
        "Used a float for the last lengths.",
        "Aqua lane, nice and quiet.",
    ),
    "Jogging": (
        "Run/walk intervals, 2 minutes each.",
        "Flat loop by the river.",
        "Knee felt fine the whole way.",
    ),
}
SYMPTOM_NOTES = {
    "tiring_easily": "Had to stop for a rest halfway.",
    "balance": "A bit unsteady on the way back.",
    "hands_feet": "Tingling in my feet towards the end.",
    "numbness": "Some numbness in my legs after, went away.",
}
CUT_SHORT_NOTE = "Cut it short, felt tired."
FLARE_UP = (2, 6, "Sore afterwards, more than usual.")  # pain before, after, note
PUSHED_NOTE = "Felt good, pushed the pace."
# The last three sessions of that story: how much pain after grows over the session before,
# and a note. The first does not grow, so only the last of the three completes the rule's
# three rises in a row; each starts with the pain the one before ended with.
RISING_PAIN = (
    (0, ""),
    (2, "Knee ached on the way home."),
    (2, "Knee still sore from last time, and worse after."),
)
DANGER = (["severe_headache"], "Sudden bad headache near the end. Stopped and sat down.")
ACK_NOTES = {
    AlertKind.PAIN: (
        "Phoned: pain settled by the next morning. Same plan; stop if it goes above 5.",
        "Discussed at review. Eased the pace for a week, then carry on.",
    ),
    AlertKind.EFFORT: (
        "Reminded about the talk test: able to talk, not sing. Effort back in range since.",
    ),
    AlertKind.NEW_SYMPTOM: (
        "Reviewed at the next appointment: expected at this stage, no change to the plan.",
        "Checked by phone; mild and settling. Keep logging it if it comes back.",
    ),
}
ACK_NOTE_DEFAULT = "Reviewed with the patient; no change to the plan."


@dataclass
class Planned:
    """One session in the schedule, before its values are made up."""

    day: dt.date
    prescription: Prescription
    role: str = ""  # "", "flare_up", "pushed", "rising_pain:<n>", "danger"


def log_demo_sessions(
    *, patient: User, plan: Plan, physio: User, habits: Habits, today: dt.date
) -> int:
    """Log the patient's sessions from the plan's start to yesterday. Returns how many."""
    rng = random.Random(f"demo-sessions-{patient.username}")
    prescriptions = list(plan.prescriptions.select_related("activity"))
    limits = Limits.of(plan.clearance)
    supervised = is_supervised(patient.profile)
    schedule = _schedule(plan.starts_on, prescriptions, habits, rng, today)
    targets: dict[int, dict[int, int]] = {}
    recent_pain: list[int] = []
    for item in schedule:
        week = (item.day - plan.starts_on).days // 7
        if week not in targets:
            # The week as the patient's pages showed it on its first day: the same query.
            first_day = plan.starts_on + dt.timedelta(weeks=week)
            shown = this_week(patient, plan=plan, today=first_day, supervised=supervised)
            targets[week] = {t.prescription.pk: t.target.minutes for t in shown.targets}
        entry, danger_signs = _entry(
            item, targets[week][item.prescription.pk], limits, habits, week, recent_pain, rng
        )
        recent_pain = [*recent_pain[-1:], entry.pain_after]
        result = log_session(patient=patient, plan=plan, entry=entry, danger_signs=danger_signs)
        _date_the_records(result.session, physio, today, rng)
    return len(schedule)


# The schedule ----------------------------------------------------------------------------


def _schedule(
    starts_on: dt.date,
    prescriptions: list[Prescription],
    habits: Habits,
    rng: random.Random,
    today: dt.date,
) -> list[Planned]:
    """Which prescribed sessions the patient did, on which days, up to yesterday."""
    last_day = today - dt.timedelta(days=1)
    weeks = (last_day - starts_on).days // 7 + 1
    schedule: list[Planned] = []
    for week in range(weeks):
        slots = [p for p in prescriptions for _ in range(p.sessions_per_week)]
        rng.shuffle(slots)
        offsets = sorted(rng.sample(range(7), min(len(slots), 7)))
        if week == 0:
            offsets[0] = 0  # everyone starts on the first day
        chance = _adherence(habits, week, weeks)
        if habits.story is Story.FADING:  # steadily fewer, not fewer on average
            done = round(len(offsets) * chance)
        else:
            done = sum(rng.random() < chance for _ in offsets)
        kept = set(rng.sample(range(len(offsets)), done))
        for n, (offset, prescription) in enumerate(zip(offsets, slots, strict=False)):
            day = starts_on + dt.timedelta(weeks=week, days=offset)
            if (n in kept or (week == 0 and n == 0)) and day <= last_day:
                schedule.append(Planned(day, prescription))
    for week, role, count in (
        (habits.flare_up_week, "flare_up", 1),
        (habits.pushed_week, "pushed", 2),
    ):
        in_week = [p for p in schedule if (p.day - starts_on).days // 7 == week]
        for item in in_week[:count]:
            item.role = role
    return _end_of_story(schedule, habits.story, prescriptions, rng, today)


def _adherence(habits: Habits, week: int, weeks: int) -> float:
    if habits.story is Story.FADING:
        # From the habit down to a small share of it by the end.
        return habits.adherence * (1 - 0.85 * week / max(1, weeks - 1))
    return habits.adherence


def _end_of_story(
    schedule: list[Planned],
    story: Story,
    prescriptions: list[Prescription],
    rng: random.Random,
    today: dt.date,
) -> list[Planned]:
    """The recent sessions that make each patient's story: the last one on a set day, nothing
    after it, and the roles the values follow."""
    if story is Story.STEADY:
        return schedule
    days_ago = FADED_OUT_DAYS if story is Story.FADING else rng.choice([1, 2])
    last_day = today - dt.timedelta(days=days_ago)
    schedule = [p for p in schedule if p.day <= last_day]
    if not schedule or schedule[-1].day != last_day:
        schedule.append(Planned(last_day, prescriptions[0]))
    if story is Story.DANGER_SIGN:
        schedule[-1].role = "danger"
    elif story is Story.PAIN_RISING:
        for n, item in enumerate(schedule[-len(RISING_PAIN) :]):
            item.role = f"rising_pain:{n}"
    return schedule


# The values of one session -----------------------------------------------------------------


def _entry(
    item: Planned,
    target: int,
    limits: Limits,
    habits: Habits,
    week: int,
    recent_pain: list[int],
    rng: random.Random,
) -> tuple[SessionInput, list[str]]:
    prescription = item.prescription
    activity = prescription.activity.name
    symptoms = [
        code
        for code in habits.symptoms
        if rng.random() < habits.symptom_rate / len(habits.symptoms)
    ]
    minutes = round(target * rng.uniform(0.85, 1.1))
    notes = ""
    if rng.random() < 0.06 or (habits.story is Story.FADING and rng.random() < week / 40):
        minutes = round(target * rng.uniform(0.5, 0.7))
        notes = CUT_SHORT_NOTE
    minutes = max(3, min(minutes, limits.max_session_minutes))
    pain_before, pain_after = _pain(habits, recent_pain, rng)
    danger_signs: list[str] = []
    effort = _effort(prescription, week, rng)
    if item.role == "flare_up":
        pain_before, pain_after, notes = FLARE_UP
    elif item.role == "pushed":
        effort, notes = min(BORG_MAX, prescription.effort_max + 1), PUSHED_NOTE
    elif item.role.startswith("rising_pain:"):
        rise, notes = RISING_PAIN[int(item.role.split(":")[1])]
        pain_before = recent_pain[-1] if recent_pain else habits.pain
        pain_after = min(10, pain_before + rise)
    elif item.role == "danger":
        danger_signs, notes = DANGER
        minutes = round(minutes * 0.7)
    if not notes and symptoms and rng.random() < 0.6:
        notes = SYMPTOM_NOTES.get(symptoms[0], "")
    if not notes and rng.random() < 0.15:
        own = tuple(note for name, note in habits.notes if name == activity)
        notes = rng.choice(COMMON_NOTES.get(activity, ("",)) + own)
    entry = SessionInput(
        activity_id=prescription.activity_id,
        date=item.day,
        minutes=minutes,
        effort=effort,
        pain_before=pain_before,
        pain_after=pain_after,
        start_time=_start_time(habits, rng),
        distance_m=_distance(activity, minutes, habits, week, rng),
        symptoms=symptoms,
        notes=notes,
    )
    return entry, danger_signs


def _effort(prescription: Prescription, week: int, rng: random.Random) -> int:
    """Light at first, building towards the top of the range over about eight weeks; now and
    then above it."""
    low, high = prescription.effort_min, prescription.effort_max
    aim = low + 1 + max(0, high - low - 2) * min(1.0, week / 8)
    effort = min(high, max(low, round(aim + rng.choice([-1, 0, 0, 0, 1]))))
    if rng.random() < 0.04:
        effort = high + 1
    return min(BORG_MAX, max(BORG_MIN, effort))


def _pain(habits: Habits, recent_pain: list[int], rng: random.Random) -> tuple[int, int]:
    """Low and steady. A patient whose pain is not really rising does not show three rises in
    a row by chance: the rule that watches for that should fire for the story, not the dice."""
    before = min(10, max(0, habits.pain + rng.choices([-1, 0, 1], [2, 6, 2])[0]))
    after = min(10, max(0, before + rng.choices([-1, 0, 1], [2, 5, 3])[0]))
    if len(recent_pain) == 2 and recent_pain[0] < recent_pain[1] < after:
        after = recent_pain[1]
    return before, after


def _start_time(habits: Habits, rng: random.Random) -> dt.time | None:
    if habits.start_hour is None:
        if rng.random() < 0.8:
            return None
        hour = rng.choice([8, 12, 17])
    else:
        if rng.random() < 0.25:
            return None
        hour = habits.start_hour
    minute = hour * 60 + rng.randrange(-90, 91, 5)
    return dt.time(minute // 60, minute % 60)


def _distance(
    activity: str, minutes: int, habits: Habits, week: int, rng: random.Random
) -> int | None:
    pace = habits.walking_pace * (1 + WEEKLY_PACE_GAIN * week) * rng.uniform(0.93, 1.07)
    if activity == "Walking" and rng.random() < 0.85:
        return round(minutes * pace, -1)
    if activity == "Jogging":
        return round(minutes * pace * JOGGING_PACE_FACTOR, -1)
    if activity == "Swimming" and rng.random() < 0.5:
        lengths = minutes * SWIMMING_PACE * (1 + WEEKLY_PACE_GAIN * week) / 25
        return 25 * max(1, round(lengths * rng.uniform(0.9, 1.1)))
    return None


# Dates on what the write path stamped "now" ----------------------------------------------


def _date_the_records(
    session: SessionLog, physio: User, today: dt.date, rng: random.Random
) -> None:
    """Date the session, its alerts and danger report to when it was logged, and acknowledge
    its alerts if they are older than the care team lets alerts wait."""
    logged_at = _logged_at(session, rng)
    SessionLog.objects.filter(pk=session.pk).update(created_at=logged_at, updated_at=logged_at)
    DangerReport.objects.filter(session=session).update(reported_at=logged_at)
    alerts = list(Alert.objects.filter(session=session))
    if not alerts:
        return
    Alert.objects.filter(session=session).update(opened_at=logged_at)
    if session.date >= today - dt.timedelta(days=ACKNOWLEDGED_AFTER_DAYS):
        return
    for alert in alerts:
        Alert.objects.filter(pk=alert.pk).update(
            acknowledged_at=_acknowledged_at(logged_at, rng),
            acknowledged_by=physio,
            acknowledgement_note=rng.choice(ACK_NOTES.get(alert.kind, (ACK_NOTE_DEFAULT,))),
        )


def _logged_at(session: SessionLog, rng: random.Random) -> dt.datetime:
    """Right after the session when its start is known, else some time that evening."""
    if session.start_time is not None:
        start = dt.datetime.combine(session.date, session.start_time)
        naive = start + dt.timedelta(minutes=session.minutes + rng.randrange(5, 40))
    else:
        naive = dt.datetime.combine(session.date, dt.time(18)) + dt.timedelta(
            minutes=rng.randrange(0, 240)
        )
    return timezone.make_aware(naive)


def _acknowledged_at(opened_at: dt.datetime, rng: random.Random) -> dt.datetime:
    """In working hours, the same day if there was time left, else the next."""
    opened = timezone.localtime(opened_at)
    minute = rng.randrange(8 * 60 + 30, 17 * 60 + 30)
    at = timezone.make_aware(dt.datetime.combine(opened.date(), dt.time(minute // 60, minute % 60)))
    if at < opened_at + dt.timedelta(hours=1):
        at += dt.timedelta(days=1)
    return at
