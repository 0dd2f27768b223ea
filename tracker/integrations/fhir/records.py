"""What one patient's FHIR Bundle is made from, read in a fixed number of queries however many
sessions, weeks and measurements there are: the profile, the plans (`plans_of`), each
completed week's totals grouped in the database, the sessions, the measurements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Sum

from tracker.models import Measurement, PatientProfile, Plan, SessionLog, User
from tracker.queries.history import plans_of
from tracker.queries.week import counted_sessions, week_bounds, weekly_totals


@dataclass(frozen=True)
class WeekTotals:
    """One completed Monday-to-Sunday week: minutes and days with a session."""

    start: dt.date
    minutes: int
    days: int

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)


@dataclass(frozen=True)
class PatientRecord:
    patient: User
    profile: PatientProfile | None
    plans: list[Plan]  # newest first, drafts left out
    weeks: list[WeekTotals]  # oldest first, every completed week from the first one
    sessions: list[SessionLog]  # oldest first, deleted ones left out
    measurements: list[Measurement]  # oldest first
    today: dt.date


def completed_weeks(patient: User, plans: list[Plan], *, today: dt.date) -> list[WeekTotals]:
    """Every week that has ended, from the week the first plan started (or the first session,
    if earlier) to last week, with nothing done as 0: a week without exercise is a value too."""
    this_monday, _ = week_bounds(today)
    rows = {
        row["week"]: row
        for row in weekly_totals(
            counted_sessions().filter(patient=patient, date__lt=this_monday),
            minutes=Sum("minutes"),
            days=Count("date", distinct=True),
        )
    }
    starts = [week_bounds(plan.starts_on)[0] for plan in plans] + list(rows)
    if not starts:
        return []
    weeks, monday = [], min(starts)
    while monday < this_monday:
        row = rows.get(monday, {})
        weeks.append(WeekTotals(monday, row.get("minutes") or 0, row.get("days") or 0))
        monday += dt.timedelta(weeks=1)
    return weeks


def _profile(patient: User) -> PatientProfile | None:
    # Read with the patient by `access.patient_for` (select_related), so usually no query.
    try:
        return patient.profile
    except PatientProfile.DoesNotExist:
        return None


def patient_record(patient: User, *, today: dt.date) -> PatientRecord:
    plans = plans_of(patient)
    return PatientRecord(
        patient=patient,
        profile=_profile(patient),
        plans=plans,
        weeks=completed_weeks(patient, plans, today=today),
        sessions=list(
            counted_sessions()
            .filter(patient=patient)
            .select_related("activity")
            .order_by("date", "start_time", "pk")
        ),
        measurements=list(
            Measurement.objects.filter(patient=patient).order_by("measured_on", "pk")
        ),
        today=today,
    )
