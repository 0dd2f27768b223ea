"""What both audiences' progress pages show: `load_progress` reads a patient's weeks,
measurements and plans in a fixed number of aggregate queries, and `progress_context` builds the
page from them, one builder so patient and clinician see the same numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Avg, Count, F, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from tracker.charts.draw import progress_charts
from tracker.models import (
    Measurement,
    PatientProfile,
    Plan,
    User,
)
from tracker.queries.history import current_in, ended_on, holds_of, plan_of_week, plans_of
from tracker.queries.plan_week import PrescriptionTarget, plan_week
from tracker.queries.psfs import psfs_history
from tracker.queries.week import counted_sessions, make_week, weekly_totals
from tracker.rules.norms import Norm, norm_for
from tracker.rules.plans import is_supervised
from tracker.rules.progress import (
    RANGES,
    FunctionalTrend,
    Progress,
    Totals,
    _sums,
    build_weeks,
    functional_trends,
    limb_gap,
    monday,
    recovery_phase,
    streaks,
    summaries,
)
from tracker.rules.psfs import MDC_RULE


def _week_targets(plans: Sequence[Plan], *, today: dt.date, supervised: bool):
    """targets_for(monday) for build_weeks: what the plan the week was done under prescribed
    in it, as every page reckons it (`plan_week`), and each plan's holds."""
    holds = holds_of(plans, today=today, supervised=supervised)

    def targets_for(start: dt.date) -> tuple[PrescriptionTarget, ...]:
        latest = min(start + dt.timedelta(days=6), today)
        plan = plan_of_week(plans, start, latest)
        if plan is None or start > today:
            return ()
        latest = min(latest, ended_on(plan) or latest)
        return plan_week(plan, on=latest, supervised=supervised, holds=holds[plan.pk]).targets

    return targets_for, holds


def load_progress(
    patient: User,
    *,
    plan: Plan | None,
    today: dt.date,
    range_key: str = "12",
    plans: Sequence[Plan] | None = None,
    measurements: Sequence[Measurement] | None = None,
    profile: PatientProfile | None = None,
) -> Progress:
    """Everything the progress page shows, in a fixed number of queries. `plan` is the
    current plan; `plans` every plan the patient followed (`plans_of`), so that past weeks
    keep the plan they were done under (default: only the current one); `measurements` the
    patient's, oldest first, if the caller has read them (default: read here); `profile` the
    patient's, likewise."""
    if plans is None:
        plans = [plan] if plan is not None else []
    if profile is None:
        profile = PatientProfile.objects.filter(user=patient).first()
    supervised = is_supervised(profile)
    # One pass over the patient's sessions, week by week (a few hundred rows at most): the
    # weeks shown count what was done up to today, the totals every session, and the first
    # week is where "all" begins. build_weeks picks the weeks of the range from them.
    upto_today = Q(date__lte=today)
    met = F("minutes") * F("activity__met")
    rows = weekly_totals(
        counted_sessions().filter(patient=patient),
        total_minutes=Sum("minutes", filter=upto_today),
        session_count=Count("pk", filter=upto_today),
        avg_effort=Avg("effort", filter=upto_today),
        avg_pain_after=Avg("pain_after", filter=upto_today),
        pain_peak=Max("pain_after", filter=upto_today),
        met_minutes=Sum(met, filter=upto_today),
        all_sessions=Count("pk"),
        all_minutes=Sum("minutes"),
        all_metres=Sum("distance_m"),
        all_met_minutes=Sum(met),
    )
    weeks_back = RANGES.get(range_key, 12)
    this_monday = monday(today)
    if weeks_back is None:
        first_day = rows[0]["week"] if rows else today
    else:
        first_day = this_monday - dt.timedelta(weeks=weeks_back - 1)
    prescribed, holds = _week_targets(plans, today=today, supervised=supervised)
    weeks = build_weeks(
        rows, first=first_day, last=today, targets_for=lambda start: _sums(prescribed(start))
    )
    now = weeks[-1]  # the week under way
    this_week = make_week(
        today=today,
        supervised=supervised,
        plan_week=plan_week(plan, on=today, supervised=supervised, holds=holds[plan.pk])
        if plan is not None
        else None,
        minutes=now.minutes,
        sessions=now.sessions,
    )
    if measurements is None:
        measurements = list(
            Measurement.objects.filter(patient=patient).order_by("measured_on", "pk")
        )
    complete = [w for w in weeks if w.start + dt.timedelta(days=6) < today]
    of_period = [
        plan_of_week(plans, w.start, min(w.start + dt.timedelta(days=6), today)) for w in weeks
    ]
    current_streak, best_streak = streaks(complete)
    gap = limb_gap(measurements)
    return Progress(
        weeks=weeks,
        totals=Totals(
            sessions=sum(row["all_sessions"] for row in rows),
            minutes=sum(row["all_minutes"] or 0 for row in rows),
            distance_km=round(sum(row["all_metres"] or 0 for row in rows) / 1000, 1),
            met_minutes=round(sum(row["all_met_minutes"] or 0 for row in rows)),
        ),
        streak=current_streak,
        best_streak=best_streak,
        gap=gap,
        tests=functional_trends(measurements),
        phase=None if supervised else recovery_phase(complete[-2:], gap),
        supervised=supervised,
        range_key=range_key if range_key in RANGES else "12",
        this_week=this_week,
        plan=next((p for p in reversed(of_period) if p is not None), None),
    )


def functional_test_norms(
    progress: Progress, profile: PatientProfile | None
) -> list[tuple[FunctionalTrend, Norm | None]]:
    """Each functional test with its latest value against its norm, in the page's order."""
    rows = []
    for trend in progress.tests:
        norm = norm_for(
            trend.kind,
            trend.latest,
            sex=profile.sex if profile else "",
            born_on=profile.date_of_birth if profile else None,
            measured_on=trend.latest_date,
            height_cm=profile.height_cm if profile else None,
            weight_kg=profile.weight_kg if profile else None,
        )
        rows.append((trend, norm))
    return rows


RANGE_CHOICES = [("4", "4 weeks"), ("12", "12 weeks"), ("all", "All")]


RANGE_SPOKEN = {"4": "the last 4 weeks", "12": "the last 12 weeks", "all": "every week"}


REGION = "progress"


def progress_context(patient: User, *, viewer: User, range_key: str = "12") -> dict:
    """The progress page of `patient` as `viewer` sees it (the patient, or their care team),
    over the weeks `range_key` names (a key of RANGES; anything else is 12 weeks)."""
    plans = plans_of(patient)
    # Read once: the trends and the limb gap from all of them, the notes from those with one.
    measurements = list(
        Measurement.objects.filter(patient=patient)
        .select_related("recorded_by")
        .order_by("measured_on", "pk")
    )
    profile = PatientProfile.objects.filter(user=patient).first()
    progress = load_progress(
        patient,
        plan=current_in(plans),
        plans=plans,
        today=timezone.localdate(),
        range_key=range_key,
        measurements=measurements,
        profile=profile,
    )
    # The range links name the page itself: the same body is also shown from the
    # measurement form's address, which answers only POST.
    if viewer.pk == patient.pk:
        page_url = reverse("progress")
        about = None
    else:
        page_url = reverse("patient_progress", kwargs={"patient_id": patient.pk})
        about = patient.first_name or patient.display_name  # the care team's pages
    return {
        "patient": patient,
        "page_url": page_url,
        "measurement_notes": [m for m in reversed(measurements) if m.notes],  # latest first
        "progress": progress,
        "norms": functional_test_norms(progress, profile),
        # Read only where the page shows it (the print report does not).
        "psfs": SimpleLazyObject(lambda: psfs_history(patient)),
        "psfs_rule": MDC_RULE,
        "charts": progress_charts(progress),
        "summaries": summaries(progress, about=about),
        "ranges": RANGE_CHOICES,
        "announce": f"Showing {RANGE_SPOKEN[progress.range_key]}.",
    }
