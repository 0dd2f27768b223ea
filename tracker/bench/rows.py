"""One bench patient's rows: profile, care team, clearance, plans with prescriptions and holds,
and sessions (with symptoms, revisions, next-morning answers); care.py adds what follows from
them. All values stay inside the models' validators and constraints: one active plan per
patient, at most one open hold per plan, prescriptions within the clearance."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from tracker.bench import care
from tracker.bench.writer import Ids, Writer
from tracker.models import (
    Activity,
    AtrophyCause,
    AtrophyKind,
    BodyRegion,
    Clearance,
    PatientProfile,
    Plan,
    PlanHold,
    PlanStatus,
    Prescription,
    ReportedSymptom,
    SessionLog,
    SessionRevision,
    Sex,
    Side,
    Symptom,
)

PHYSICIANS = [("Dr Ines Duarte", "GMC 7012345"), ("Dr Samuel Adeyemi", "GMC 6423187")]


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    role: str


@dataclass
class Context:
    """What every patient's rows share: the clock, the catalogue, the ids, the writer."""

    rng: random.Random
    today: dt.date
    now: dt.datetime
    tz: dt.tzinfo
    activities: dict[str, Activity]
    ids: Ids
    out: Writer
    admin: Person

    def at(self, day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        return min(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz), self.now)


def add_patient(c: Context, patient: Person, team: list[Person], *, danger: bool) -> None:
    """Every row of one patient, cared for by `team` (first the lead physiotherapist);
    `danger`: one who reported danger signs."""
    rng, physio = c.rng, team[0]
    active_start = c.today - dt.timedelta(days=7 * rng.randint(2, 78) + rng.randint(0, 6))
    previous_start = (
        active_start - dt.timedelta(weeks=rng.randint(8, 30)) if rng.random() < 0.5 else None
    )
    first_start = previous_start or active_start
    profile = _profile(c, patient, first_start, team)
    clearance, allowed = _clearance(c, patient, physio, first_start)

    plans = []
    if previous_start:
        plans.append(_plan(c, patient, physio, clearance, allowed, previous_start, active_start))
    plans.append(_plan(c, patient, physio, clearance, allowed, active_start, None))
    adherence = rng.uniform(0.7, 1.0)
    sessions = [s for plan in plans for s in _sessions(c, patient, plan, clearance, adherence)]
    care.add_alerts(c, patient, team, plans[-1], clearance, sessions, danger=danger)
    care.add_comments(c, patient, physio, plans[-1], sessions)
    care.add_measurements(c, patient, physio, profile, first_start)
    care.add_audit_events(c, patient, team, first_start)


def _profile(c: Context, patient: Person, first_start: dt.date, team: list[Person]) -> dict:
    rng = c.rng
    lost = first_start - dt.timedelta(days=rng.randint(60, 180))
    row = dict(
        id=c.ids.take(PatientProfile),
        user_id=patient.pk,
        date_of_birth=dt.date(rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        sex=(sex := rng.choice(Sex.values)),
        height_cm=rng.randint(150, 176) if sex == Sex.FEMALE else rng.randint(160, 192),
        weight_kg=Decimal(rng.randint(500, 1100)) / 10,
        atrophy_kind=rng.choice([AtrophyKind.DISUSE] * 3 + [AtrophyKind.NEUROGENIC]).value,
        cause=rng.choice(AtrophyCause.values),
        cause_detail="",
        affected_region=rng.choice(BodyRegion.values),
        affected_side=rng.choice(Side.values),
        mobility_lost_on=lost,
        mobility_regained_on=lost + dt.timedelta(days=rng.randint(20, 50)),
        heart_rate_blunted=rng.random() < 0.1,
        other_treatments="",
        phone=f"07700 9{rng.randint(0, 99999):05d}",
        emergency_contact_name="Sam",
        emergency_contact_relationship="partner",
        emergency_contact_phone=f"07700 8{rng.randint(0, 99999):05d}",
    )
    c.out.add(PatientProfile, **row)
    for member in team:
        c.out.add(
            PatientProfile.care_team.through,
            id=c.ids.take(PatientProfile.care_team.through),
            patientprofile_id=row["id"],
            user_id=member.pk,
        )
    return row


def _clearance(c: Context, patient: Person, physio: Person, first_start: dt.date):
    rng = c.rng
    high_impact = rng.random() < 0.2
    names = ["Walking", "Swimming"] + (["Jogging"] if high_impact else [])
    expiring = rng.random() < 0.03
    cleared_on = first_start - dt.timedelta(days=rng.randint(1, 14))
    days_left = rng.randint(0, 14) if expiring else rng.randint(30, 365)
    name, registration = rng.choice(PHYSICIANS)
    row = dict(
        id=c.ids.take(Clearance),
        patient_id=patient.pk,
        physician_name=name,
        physician_registration=registration,
        cleared_on=cleared_on,
        valid_until=c.today + dt.timedelta(days=days_left),
        max_session_minutes=rng.choice([30, 45, 60, 90]),
        max_heart_rate=None if rng.random() < 0.6 else rng.randint(120, 170),
        high_impact_allowed=high_impact,
        weight_bearing_allowed=True,
        restrictions="",
        letter="",
        letter_content_type="",
        recorded_by_id=physio.pk,
        recorded_at=c.at(cleared_on),
        superseded_on=None,
        superseded_by_id=None,
        request_key=None,
    )
    c.out.add(Clearance, **row)
    allowed = [c.activities[n] for n in names]
    for activity in allowed:
        through = Clearance.activities.through
        c.out.add(through, id=c.ids.take(through), clearance_id=row["id"], activity_id=activity.pk)
    return row, allowed


def _plan(c, patient, physio, clearance, allowed, starts_on, ends_on) -> dict:
    rng = c.rng
    active = ends_on is None
    plan = dict(
        id=c.ids.take(Plan),
        patient_id=patient.pk,
        clearance_id=clearance["id"],
        title="Building back strength" if active else "First steps",
        status=(PlanStatus.ACTIVE if active else PlanStatus.COMPLETED).value,
        starts_on=starts_on,
        notes="",
        created_by_id=physio.pk,
        created_at=c.at(starts_on, 8),
        updated_at=c.at(ends_on or starts_on, 8),
        status_reason="" if active else "Finished the first plan.",
        status_changed_by_id=None if active else physio.pk,
        status_changed_at=None if active else c.at(ends_on, 8),
        psfs_every_weeks=4,
        request_key=None,
    )
    c.out.add(Plan, **plan)
    plan["ends_on"] = ends_on or c.today + dt.timedelta(days=1)
    plan["prescriptions"] = []
    for activity in allowed:
        start = rng.randint(10, 20)
        row = dict(
            id=c.ids.take(Prescription),
            plan_id=plan["id"],
            activity_id=activity.pk,
            sessions_per_week={"Walking": 3, "Swimming": rng.randint(1, 2)}.get(activity.name, 1),
            start_minutes=start,
            max_minutes=max(start, min(clearance["max_session_minutes"], rng.choice([30, 45]))),
            weekly_progression_percent=10,
            effort_min=9,
            effort_max=13,
            note="",
            suspended_on=None,
            suspended_reason="",
        )
        c.out.add(Prescription, **row)
        plan["prescriptions"].append((activity, row))
    if active and rng.random() < 0.1:
        held_from = max(starts_on, c.today - dt.timedelta(days=rng.randint(0, 20)))
        open_hold = rng.random() < 0.5
        c.out.add(
            PlanHold,
            id=c.ids.take(PlanHold),
            plan_id=plan["id"],
            starts_on=held_from,
            ends_on=None if open_hold else min(c.today, held_from + dt.timedelta(days=7)),
            reason="Knee swelling; hold until reviewed.",
            held_by_id=physio.pk,
        )
    return plan


def _sessions(c, patient, plan, clearance, adherence) -> list[dict]:
    rng, made = c.rng, []
    day = plan["starts_on"]
    while day < plan["ends_on"]:
        week = (day - plan["starts_on"]).days // 7
        for activity, prescription in plan["prescriptions"]:
            if rng.random() < prescription["sessions_per_week"] / 7 * adherence:
                made.append(
                    _session(c, patient, plan, clearance, activity, prescription, day, week)
                )
        day += dt.timedelta(days=1)
    return made


def _session(c, patient, plan, clearance, activity, prescription, day, week) -> dict:
    rng = c.rng
    grown = prescription["start_minutes"] * 1.1**week
    minutes = max(1, min(clearance["max_session_minutes"], round(grown) + rng.randint(-3, 3)))
    start = dt.time(rng.randint(7, 19), rng.choice([0, 15, 30, 45]))
    created = c.at(day, start.hour, start.minute)
    heart = rng.random() < 0.5
    pain_before = rng.randint(0, 3)
    symptom = rng.choice(Symptom.values) if rng.random() < 0.04 else None
    answered = rng.random() < 0.3 and day < c.today
    row = dict(
        id=c.ids.take(SessionLog),
        patient_id=patient.pk,
        plan_id=plan["id"],
        activity_id=activity.pk,
        date=day,
        start_time=start,
        minutes=minutes,
        distance_m=None if activity.name == "Swimming" else minutes * rng.randint(60, 90),
        distance_unit="m",
        average_heart_rate=rng.randint(90, 140) if heart else None,
        highest_heart_rate=rng.randint(145, 170) if heart else None,
        effort=rng.randint(9, 14),
        pain_before=pain_before,
        pain_after=pain_before + rng.randint(0, 2),
        pain_next_morning=rng.randint(0, 3) if answered else None,
        pain_next_morning_at=c.at(day + dt.timedelta(days=1), 8) if answered else None,
        symptoms=[symptom] if symptom else [],
        notes="Felt good." if rng.random() < 0.05 else "",
        source="typed",
        created_at=created,
        updated_at=created,
        deleted_at=None,
        request_key=None,
    )
    changed = rng.random()
    if changed < 0.01:
        row["deleted_at" if changed < 0.005 else "updated_at"] = created + dt.timedelta(hours=1)
        c.out.add(
            SessionRevision,
            id=c.ids.take(SessionRevision),
            session_id=row["id"],
            action="deleted" if changed < 0.005 else "edited",
            changed_by_id=patient.pk,
            changed_at=created + dt.timedelta(hours=1),
            before={"minutes": minutes + 5, "effort": row["effort"]},
        )
    c.out.add(SessionLog, **row)
    if symptom:
        c.out.add(
            ReportedSymptom,
            id=c.ids.take(ReportedSymptom),
            session_id=row["id"],
            patient_id=patient.pk,
            code=symptom,
        )
    return row
