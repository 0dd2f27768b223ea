"""One patient's record as an HL7 FHIR R4 Bundle, shaped by HL7's Physical Activity guide.

Built with `fhir.resources`, whose models check every resource as it is made. The library has
no pure R4 package, so this uses `fhir.resources.R4B`: R4B is R4 with technical corrections,
and the resources used here (Bundle, Patient, CarePlan, Goal, Observation) are the same in
both, so the JSON is R4 JSON.

The Bundle is of type `collection`: a set of resources gathered to hand over, nothing more.
A `document` would need a Composition and someone to attest it; a `transaction` would ask the
receiving server to create the resources, which is the receiver's choice, not the export's.
Every entry has a `urn:uuid:` fullUrl, the same for the same record on every export from
this deployment, and every reference points at one of them, so they resolve in the Bundle.

What is in it (codes in codes.py):
- Patient: name, sex, date of birth.
- Goal: 150 minutes of moderate activity a week (WHO), the goal the progress pages draw. A
  plan's own weekly target is not a Goal: it changes every week (progression, holds), so it
  is carried by the CarePlan's activities (sessions a week, minutes from the start up to the
  most), which is what the plan prescribes. Its achievement is the last completed week's:
  achieved at 150 minutes or more, else in progress.
- CarePlan: one per plan followed (drafts left out), category Exercise therapy, one activity
  per prescription, and the physician's clearance it rests on as a note.
- The exercise vital sign for every completed week: minutes per week, days per week and,
  for a week with exercise, minutes per day on the days with exercise.
- Per session, as the guide's activity group: a panel Observation whose members are the
  activity, duration, average and highest heart rate when logged, distance, effort and pain
  before, after and the next morning. Deleted sessions are left out.
- Measurements: the 6-minute walk, chair stand, Timed Up and Go, grip, and limb circumference
  (both sides, as components).
Every Observation has the category `activity`, and every value is a UCUM quantity, except the
activity itself (a concept) and the session panel, whose values are its members.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.defaultfilters import pluralize
from django.utils.formats import date_format
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.careplan import CarePlan, CarePlanActivity, CarePlanActivityDetail
from fhir.resources.R4B.goal import Goal, GoalTarget
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient

from tracker.integrations.fhir import codes as c
from tracker.integrations.fhir.records import PatientRecord, WeekTotals
from tracker.models import Measurement, MeasurementKind, Plan, PlanStatus, SessionLog, Source
from tracker.rules.plans import is_supervised
from tracker.rules.thresholds import WEEKLY_GOAL_MINUTES

PLAN_STATUS = {
    PlanStatus.ACTIVE: "active",
    PlanStatus.PAUSED: "on-hold",
    PlanStatus.COMPLETED: "completed",
}
MEASURES = {
    MeasurementKind.SIX_MINUTE_WALK: (c.SIX_MINUTE_WALK, c.METRES),
    MeasurementKind.CHAIR_STAND: (c.CHAIR_STAND, c.REPETITIONS),
    MeasurementKind.TIMED_UP_AND_GO: (c.TIMED_UP_AND_GO, c.SECONDS),
    MeasurementKind.GRIP: (c.GRIP, c.KILOGRAMS),
}
PA_CATEGORIES = (c.CATEGORY_ACTIVITY, c.CATEGORY_PHYSICAL_ACTIVITY)
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"


def full_url(kind: str, key: object) -> str:
    """The entry's fullUrl: a UUID named after this deployment, the resource and its row, so
    a second export of the same record names it the same and two clinics never clash."""
    name = f"{settings.SITE_URL}/fhir/{kind}/{key}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def ref(url: str) -> dict:
    return {"reference": url}


class _Entries:
    def __init__(self) -> None:
        self.items: list[BundleEntry] = []

    def add(self, url: str, resource) -> str:
        self.items.append(BundleEntry(fullUrl=url, resource=resource))
        return url


def build_bundle(record: PatientRecord, *, now: dt.datetime) -> Bundle:
    entries = _Entries()
    patient = entries.add(full_url("Patient", record.patient.pk), _patient(record))
    goal = None
    if record.plans:
        goal = entries.add(
            full_url("Goal", f"weekly-minutes/{record.patient.pk}"), _goal(record, patient)
        )
    supervised = is_supervised(record.profile)
    for plan in reversed(record.plans):  # oldest first, as every other list here
        entries.add(full_url("CarePlan", plan.pk), _care_plan(plan, patient, goal, supervised))
    for week in record.weeks:
        for key, resource in _week(week, patient):
            entries.add(
                full_url("Observation", f"week/{record.patient.pk}/{week.start}/{key}"), resource
            )
    for session in record.sessions:
        members = [
            entries.add(full_url("Observation", f"session/{session.pk}/{key}"), resource)
            for key, resource in _session_members(session, patient)
        ]
        entries.add(
            full_url("Observation", f"session/{session.pk}"),
            _session_panel(session, patient, members),
        )
    for measurement in record.measurements:
        entries.add(
            full_url("Observation", f"measurement/{measurement.pk}"),
            _measurement(measurement, patient),
        )
    return Bundle(type="collection", timestamp=now.isoformat(), entry=entries.items or None)


def bundle_json(bundle: Bundle) -> str:
    return bundle.model_dump_json(indent=2)


# The resources ------------------------------------------------------------------------------


def _patient(record: PatientRecord) -> Patient:
    person, profile = record.patient, record.profile
    name = {"text": person.display_name}
    if person.last_name:
        name["family"] = person.last_name
    if person.first_name:
        name["given"] = [person.first_name]
    return Patient(
        active=person.is_active,
        name=[name],
        gender=(profile.sex or None) if profile else None,
        birthDate=profile.date_of_birth if profile and profile.date_of_birth else None,
    )


def _goal(record: PatientRecord, patient: str) -> Goal:
    last = record.weeks[-1] if record.weeks else None
    achievement = None
    if last is not None:
        code = "achieved" if last.minutes >= WEEKLY_GOAL_MINUTES else "in-progress"
        achievement = {"coding": [{"system": GOAL_ACHIEVEMENT, "code": code}]}
    return Goal(
        lifecycleStatus="active",
        achievementStatus=achievement,
        description={"text": f"{WEEKLY_GOAL_MINUTES} minutes of moderate activity a week"},
        subject=ref(patient),
        startDate=min(plan.starts_on for plan in record.plans),
        target=[
            GoalTarget(
                measure=c.MINUTES_PER_WEEK.concept(),
                detailQuantity=c.MIN_PER_WEEK.quantity(WEEKLY_GOAL_MINUTES),
            )
        ],
    )


def _care_plan(plan: Plan, patient: str, goal: str | None, supervised: bool) -> CarePlan:
    period = {"start": plan.starts_on.isoformat()}
    if plan.status == PlanStatus.COMPLETED and plan.status_changed_at:
        period["end"] = _local(plan.status_changed_at).date().isoformat()
    clearance = plan.clearance
    cleared = (
        f"Cleared by {clearance.physician_name} ({clearance.physician_registration}) from "
        f"{_day(clearance.cleared_on)} to {_day(clearance.valid_until)}; longest "
        f"session {clearance.max_session_minutes} minutes"
    )
    if clearance.max_heart_rate:
        cleared += f"; highest heart rate {clearance.max_heart_rate} beats per minute"
    cleared += "; high-impact activity " + (
        "allowed" if clearance.high_impact_allowed else "not allowed"
    )
    if clearance.restrictions:
        cleared += f". {clearance.restrictions}"
    return CarePlan(
        status=PLAN_STATUS[plan.status],
        intent="plan",
        category=[c.EXERCISE_THERAPY.concept()],
        title=plan.title,
        description=plan.notes or None,
        subject=ref(patient),
        period=period,
        created=_local(plan.created_at).isoformat(timespec="seconds"),
        goal=[ref(goal)] if goal else None,
        note=[{"text": cleared.rstrip(".") + "."}],
        activity=[
            CarePlanActivity(detail=_activity(plan, p, supervised))
            for p in plan.prescriptions.all()
        ]
        or None,
    )


def _activity(plan: Plan, prescription, supervised: bool) -> CarePlanActivityDetail:
    if prescription.suspended_on:
        status = "stopped"
    elif plan.status == PlanStatus.COMPLETED:
        status = "completed"
    elif plan.status == PlanStatus.PAUSED:
        status = "on-hold"
    else:
        status = "in-progress"
    name = prescription.activity.name
    growth = (
        "raised by the physiotherapist (supervised plan)"
        if supervised
        else f"growing by up to {prescription.weekly_progression_percent}% a week"
    )
    sessions = f"{prescription.sessions_per_week} session" + pluralize(
        prescription.sessions_per_week
    )
    words = (
        f"{name}, {sessions} a week, from "
        f"{prescription.start_minutes} minutes a session, {growth}, up to "
        f"{prescription.max_minutes} minutes; effort {prescription.effort_min} to "
        f"{prescription.effort_max} on the Borg 6-20 scale."
    )
    if prescription.suspended_on:
        words += f" Set aside on {_day(prescription.suspended_on)}: {prescription.suspended_reason}"
    if prescription.note:
        words += f" {prescription.note}"
    return CarePlanActivityDetail(
        code={"text": name},
        status=status,
        description=words,
        scheduledTiming={
            "repeat": {
                "frequency": prescription.sessions_per_week,
                "period": 1,
                "periodUnit": "wk",
                "duration": prescription.start_minutes,
                "durationMax": prescription.max_minutes,
                "durationUnit": "min",
            }
        },
    )


def _observation(
    code: c.Code | dict, patient: str, *, categories=PA_CATEGORIES, **fields
) -> Observation:
    return Observation(
        status="final",
        category=[category.concept() for category in categories],
        code=code if isinstance(code, dict) else code.concept(),
        subject=ref(patient),
        **fields,
    )


def _week(week: WeekTotals, patient: str):
    period = {"effectivePeriod": {"start": week.start.isoformat(), "end": week.end.isoformat()}}
    yield (
        "minutes",
        _observation(
            c.MINUTES_PER_WEEK,
            patient,
            valueQuantity=c.MIN_PER_WEEK.quantity(week.minutes),
            **period,
        ),
    )
    yield (
        "days",
        _observation(
            c.DAYS_PER_WEEK, patient, valueQuantity=c.DAYS_A_WEEK.quantity(week.days), **period
        ),
    )
    if week.days:
        per_day = (Decimal(week.minutes) / week.days).quantize(Decimal("0.1"), ROUND_HALF_UP)
        yield (
            "minutes-per-day",
            _observation(
                c.MINUTES_PER_DAY, patient, valueQuantity=c.MIN_PER_DAY.quantity(per_day), **period
            ),
        )


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def _session_effective(session: SessionLog) -> dict:
    """The day, or the start and end when the start time was logged: the guide's members
    share their panel's effective time."""
    if session.start_time is None:
        return {"effectiveDateTime": session.date.isoformat()}
    start = dt.datetime.combine(session.date, session.start_time, ZoneInfo(settings.TIME_ZONE))
    end = start + dt.timedelta(minutes=session.minutes)
    return {"effectivePeriod": {"start": start.isoformat(), "end": end.isoformat()}}


def _session_members(session: SessionLog, patient: str):
    when = _session_effective(session)
    yield (
        "activity",
        _observation(
            c.ACTIVITY_TYPE, patient, valueCodeableConcept={"text": session.activity.name}, **when
        ),
    )
    yield (
        "duration",
        _observation(
            c.DURATION, patient, valueQuantity=c.MINUTES.quantity(session.minutes), **when
        ),
    )
    if session.average_heart_rate is not None:
        yield (
            "mean-heart-rate",
            _observation(
                c.MEAN_HEART_RATE,
                patient,
                valueQuantity=c.PER_MINUTE.quantity(session.average_heart_rate),
                **when,
            ),
        )
    if session.highest_heart_rate is not None:
        yield (
            "highest-heart-rate",
            _observation(
                c.HIGHEST_HEART_RATE,
                patient,
                valueQuantity=c.PER_MINUTE.quantity(session.highest_heart_rate),
                **when,
            ),
        )
    if session.distance_m is not None:
        yield (
            "distance",
            _observation(
                c.DISTANCE, patient, valueQuantity=c.METRES.quantity(session.distance_m), **when
            ),
        )
    yield (
        "effort",
        _observation(c.EFFORT, patient, valueQuantity=c.SCORE.quantity(session.effort), **when),
    )
    pains = [("pain-before", c.PAIN_BEFORE, session.pain_before, when)]
    pains.append(("pain-after", c.PAIN_AFTER, session.pain_after, when))
    if session.pain_next_morning is not None:
        morning = (
            _local(session.pain_next_morning_at).isoformat()
            if session.pain_next_morning_at
            else (session.date + dt.timedelta(days=1)).isoformat()
        )
        pains.append(
            (
                "pain-next-morning",
                c.PAIN_NEXT_MORNING,
                session.pain_next_morning,
                {"effectiveDateTime": morning},
            )
        )
    for key, timing, value, effective in pains:
        # Pain on the 0-10 scale (LOINC), with our code for when it was taken beside it.
        code = {"coding": [c.PAIN.coding(), timing.coding()], "text": timing.text}
        yield key, _observation(code, patient, valueQuantity=c.SCORE.quantity(value), **effective)


def _session_panel(session: SessionLog, patient: str, members: list[str]) -> Observation:
    method = (
        "Imported from a watch or phone"
        if session.source == Source.IMPORTED
        else "Typed in by the patient"
    )
    return _observation(
        c.ACTIVITY_PANEL,
        patient,
        performer=[ref(patient)],
        method={"text": method},
        hasMember=[ref(member) for member in members],
        note=[{"text": session.notes}] if session.notes else None,
        **_session_effective(session),
    )


def _measurement(measurement: Measurement, patient: str) -> Observation:
    fields = {
        "effectiveDateTime": measurement.measured_on.isoformat(),
        "performer": [ref(patient)] if measurement.self_measured else None,
        "note": [{"text": measurement.notes}] if measurement.notes else None,
    }
    if measurement.kind == MeasurementKind.CIRCUMFERENCE:
        return _observation(
            c.CIRCUMFERENCE,
            patient,
            categories=(c.CATEGORY_ACTIVITY,),
            bodySite={"text": measurement.get_site_display()},
            component=[
                ObservationComponent(
                    code=c.CIRCUMFERENCE_AFFECTED.concept(),
                    valueQuantity=c.CENTIMETRES.quantity(measurement.affected_cm),
                ),
                ObservationComponent(
                    code=c.CIRCUMFERENCE_UNAFFECTED.concept(),
                    valueQuantity=c.CENTIMETRES.quantity(measurement.unaffected_cm),
                ),
            ],
            **fields,
        )
    code, unit = MEASURES[MeasurementKind(measurement.kind)]
    return _observation(
        code,
        patient,
        categories=(c.CATEGORY_ACTIVITY,),
        valueQuantity=unit.quantity(measurement.value),
        **fields,
    )
