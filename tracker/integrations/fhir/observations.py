"""The Observations of the FHIR export, shaped by HL7's Physical Activity guide.

- The exercise vital sign for every completed week: minutes per week, days per week and,
  for a week with exercise, minutes per day on the days with exercise.
- Per session, as the guide's activity group: a panel Observation whose members are the
  activity, duration, average and highest heart rate when logged, distance, effort and pain
  before, after and the next morning. Deleted sessions are left out (by records.py).
- Measurements: the 6-minute walk, chair stand, Timed Up and Go, grip, and limb circumference
  (both sides, as components).
Every Observation has the category `activity`, and every value is a UCUM quantity, except the
activity itself (a concept) and the session panel, whose values are its members.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from fhir.resources.R4B.observation import Observation, ObservationComponent

from tracker.integrations.fhir import codes
from tracker.integrations.fhir.records import WeekTotals
from tracker.integrations.fhir.shared import local, ref
from tracker.models import Measurement, MeasurementKind, SessionLog, Source

MEASURES = {
    MeasurementKind.SIX_MINUTE_WALK: (codes.SIX_MINUTE_WALK, codes.METRES),
    MeasurementKind.CHAIR_STAND: (codes.CHAIR_STAND, codes.REPETITIONS),
    MeasurementKind.TIMED_UP_AND_GO: (codes.TIMED_UP_AND_GO, codes.SECONDS),
    MeasurementKind.GRIP: (codes.GRIP, codes.KILOGRAMS),
}
PA_CATEGORIES = (codes.CATEGORY_ACTIVITY, codes.CATEGORY_PHYSICAL_ACTIVITY)


def _observation(
    code: codes.Code | dict, patient: str, *, categories=PA_CATEGORIES, **fields
) -> Observation:
    return Observation(
        status="final",
        category=[category.concept() for category in categories],
        code=code if isinstance(code, dict) else code.concept(),
        subject=ref(patient),
        **fields,
    )


# The weeks ------------------------------------------------------------------------------------


def week_observations(week: WeekTotals, patient: str):
    """(key, Observation) for each figure of one completed week."""
    period = {"effectivePeriod": {"start": week.start.isoformat(), "end": week.end.isoformat()}}
    yield (
        "minutes",
        _observation(
            codes.MINUTES_PER_WEEK,
            patient,
            valueQuantity=codes.MIN_PER_WEEK.quantity(week.minutes),
            **period,
        ),
    )
    yield (
        "days",
        _observation(
            codes.DAYS_PER_WEEK,
            patient,
            valueQuantity=codes.DAYS_A_WEEK.quantity(week.days),
            **period,
        ),
    )
    if week.days:
        per_day = (Decimal(week.minutes) / week.days).quantize(Decimal("0.1"), ROUND_HALF_UP)
        yield (
            "minutes-per-day",
            _observation(
                codes.MINUTES_PER_DAY,
                patient,
                valueQuantity=codes.MIN_PER_DAY.quantity(per_day),
                **period,
            ),
        )


# The sessions ---------------------------------------------------------------------------------


def _session_effective(session: SessionLog) -> dict:
    """The day, or the start and end when the start time was logged: the guide's members
    share their panel's effective time."""
    if session.start_time is None:
        return {"effectiveDateTime": session.date.isoformat()}
    start = dt.datetime.combine(session.date, session.start_time, ZoneInfo(settings.TIME_ZONE))
    end = start + dt.timedelta(minutes=session.minutes)
    return {"effectivePeriod": {"start": start.isoformat(), "end": end.isoformat()}}


def session_members(session: SessionLog, patient: str):
    """(key, Observation) for each member of the session's panel."""
    when = _session_effective(session)
    yield (
        "activity",
        _observation(
            codes.ACTIVITY_TYPE,
            patient,
            valueCodeableConcept={"text": session.activity.name},
            **when,
        ),
    )
    yield (
        "duration",
        _observation(
            codes.DURATION, patient, valueQuantity=codes.MINUTES.quantity(session.minutes), **when
        ),
    )
    if session.average_heart_rate is not None:
        yield (
            "mean-heart-rate",
            _observation(
                codes.MEAN_HEART_RATE,
                patient,
                valueQuantity=codes.PER_MINUTE.quantity(session.average_heart_rate),
                **when,
            ),
        )
    if session.highest_heart_rate is not None:
        yield (
            "highest-heart-rate",
            _observation(
                codes.HIGHEST_HEART_RATE,
                patient,
                valueQuantity=codes.PER_MINUTE.quantity(session.highest_heart_rate),
                **when,
            ),
        )
    if session.distance_m is not None:
        yield (
            "distance",
            _observation(
                codes.DISTANCE,
                patient,
                valueQuantity=codes.METRES.quantity(session.distance_m),
                **when,
            ),
        )
    yield (
        "effort",
        _observation(
            codes.EFFORT, patient, valueQuantity=codes.SCORE.quantity(session.effort), **when
        ),
    )
    pains = [("pain-before", codes.PAIN_BEFORE, session.pain_before, when)]
    pains.append(("pain-after", codes.PAIN_AFTER, session.pain_after, when))
    if session.pain_next_morning is not None:
        morning = (
            local(session.pain_next_morning_at).isoformat()
            if session.pain_next_morning_at
            else (session.date + dt.timedelta(days=1)).isoformat()
        )
        pains.append(
            (
                "pain-next-morning",
                codes.PAIN_NEXT_MORNING,
                session.pain_next_morning,
                {"effectiveDateTime": morning},
            )
        )
    for key, timing, value, effective in pains:
        # Pain on the 0-10 scale (LOINC), with our code for when it was taken beside it.
        code = {"coding": [codes.PAIN.coding(), timing.coding()], "text": timing.text}
        yield (
            key,
            _observation(code, patient, valueQuantity=codes.SCORE.quantity(value), **effective),
        )


def session_panel(session: SessionLog, patient: str, members: list[str]) -> Observation:
    method = (
        "Imported from a watch or phone"
        if session.source == Source.IMPORTED
        else "Typed in by the patient"
    )
    return _observation(
        codes.ACTIVITY_PANEL,
        patient,
        performer=[ref(patient)],
        method={"text": method},
        hasMember=[ref(member) for member in members],
        note=[{"text": session.notes}] if session.notes else None,
        **_session_effective(session),
    )


# The measurements -----------------------------------------------------------------------------


def measurement_observation(measurement: Measurement, patient: str) -> Observation:
    fields = {
        "effectiveDateTime": measurement.measured_on.isoformat(),
        "performer": [ref(patient)] if measurement.self_measured else None,
        "note": [{"text": measurement.notes}] if measurement.notes else None,
    }
    if measurement.kind == MeasurementKind.CIRCUMFERENCE:
        return _observation(
            codes.CIRCUMFERENCE,
            patient,
            categories=(codes.CATEGORY_ACTIVITY,),
            bodySite={"text": measurement.get_site_display()},
            component=[
                ObservationComponent(
                    code=codes.CIRCUMFERENCE_AFFECTED.concept(),
                    valueQuantity=codes.CENTIMETRES.quantity(measurement.affected_cm),
                ),
                ObservationComponent(
                    code=codes.CIRCUMFERENCE_UNAFFECTED.concept(),
                    valueQuantity=codes.CENTIMETRES.quantity(measurement.unaffected_cm),
                ),
            ],
            **fields,
        )
    code, unit = MEASURES[MeasurementKind(measurement.kind)]
    return _observation(
        code,
        patient,
        categories=(codes.CATEGORY_ACTIVITY,),
        valueQuantity=unit.quantity(measurement.value),
        **fields,
    )
