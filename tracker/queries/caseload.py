"""The caseload: a physiotherapist's patients, most in need of attention first.

The order of attention is the patients' kept triage (`tracker.domain.attention`), read through
an index, so a page of 25 is cut from a sorted list of any length; the rows of that page are
then filled in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from tracker.domain.attention import (
    ATTENTION_FIELDS,
    INVITED_TIER,
    TIER_LABELS,
    TRIAGE_ORDER,
    refresh,
)
from tracker.models import (
    AlertKind,
    Invitation,
    Measurement,
    MeasurementKind,
    Plan,
    PlanStatus,
    Reply,
    User,
)
from tracker.queries.feedback import NEW_FROM_PATIENT
from tracker.queries.week import ThisWeek, this_weeks
from tracker.rules.progress import Week, limb_gap, monday, recovery_phase

TREND_WEEKS = 8


def _reason(patient: User) -> str:
    """The tier's label; a patient there only for going past the clearance is named so."""
    if patient.tier == 1 and not patient.pain_open:
        return AlertKind.OVER_CLEARANCE.label
    return TIER_LABELS[patient.tier]


def sorted_caseload(patients: QuerySet[User], *, today: dt.date) -> QuerySet[User]:
    """`patients` with what triage needs, ordered by attention: their kept `Attention` rows,
    the stale ones worked out first (one statement), read through the triage index."""
    refresh(patients, today=today)
    kept = {name: F(f"attention__{name}") for name in ATTENTION_FIELDS}
    return (
        # An inner join, which lets the database walk the triage index and stop at the page.
        patients.filter(attention__isnull=False)
        .select_related("profile")
        .annotate(**kept)
        .order_by(*(f"attention__{name}" for name in TRIAGE_ORDER), "last_name", "pk")
    )


@dataclass
class Row:
    patient: User
    tier: int
    reason: str
    adherence: int | None  # percent over the last two complete weeks
    week: ThisWeek  # this week's minutes and sessions against the plan, as every page shows
    last_log: dt.date | None
    days_silent: int | None
    alerts: list[str]
    phase: str | None
    trend: list[int]  # minutes in each of the last TREND_WEEKS weeks, oldest first
    paused: str = ""  # who or what paused the current plan, about the patient
    new_replies: int = 0  # the patient's replies to comments that the care team has not read
    # Invited, not joined yet: when their waiting invitation's link expires (or expired).
    link_expires: dt.datetime | None = None
    link_expired: bool = False

    @property
    def on_track(self) -> bool:
        return self.tier == 4

    @property
    def not_joined(self) -> bool:
        return self.tier == INVITED_TIER

    @property
    def minutes_this_week(self) -> int:
        return self.week.minutes

    @property
    def trend_points(self) -> str:
        """A small line for the row, 100 x 24, as SVG polyline points."""
        top = max([*self.trend, 1])
        step = 100 / max(len(self.trend) - 1, 1)
        return " ".join(
            f"{i * step:.0f},{22 - 20 * minutes / top:.0f}" for i, minutes in enumerate(self.trend)
        )


def build_rows(patients: list[User], *, today: dt.date) -> list[Row]:
    """Fill in one page of the caseload, in a fixed number of queries."""
    trend_from = monday(today) - dt.timedelta(weeks=TREND_WEEKS - 1)
    read = this_weeks(patients, today=today, since=trend_from)
    gaps: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in Measurement.objects.filter(
        patient_id__in=[p.pk for p in patients], kind=MeasurementKind.CIRCUMFERENCE
    ).order_by("measured_on", "pk"):
        gaps[measurement.patient_id].append(measurement)
    # The page's patients only, in one grouped query.
    new_replies = dict(
        Reply.objects.filter(comment__patient_id__in=[p.pk for p in patients], **NEW_FROM_PATIENT)
        .values_list("comment__patient_id")
        .annotate(count=Count("pk"))
        .order_by()
    )

    waiting = _waiting_invitations(patients)

    rows = []
    for patient in patients:
        days = read.days.get(patient.pk, {})
        week = read[patient.pk]
        weekly = _weekly_minutes(days, first=trend_from, today=today)
        planned = patient.planned_per_week
        adherence = (
            min(100, round(100 * patient.done_two_weeks / (2 * planned))) if planned else None
        )
        recent = [
            Week(
                start=monday(today) - dt.timedelta(weeks=back),
                minutes=weekly[-1 - back],
                sessions=_sessions_in_week(days, monday(today) - dt.timedelta(weeks=back)),
                target_minutes=0,
                target_sessions=planned,
                effort=None,
                pain_after=None,
                pain_peak=None,
                met_minutes=0,
            )
            for back in (2, 1)
        ]
        rows.append(
            Row(
                patient=patient,
                tier=patient.tier,
                reason=_reason(patient),
                adherence=adherence,
                week=week,
                last_log=patient.last_log,
                days_silent=(today - patient.last_log).days if patient.last_log else None,
                alerts=open_kinds(read.alerts.get(patient.pk, [])),
                phase=None
                if week.supervised
                else recovery_phase(recent, limb_gap(gaps[patient.pk])).name,
                trend=weekly,
                paused=paused_note(week.plan),
                new_replies=new_replies.get(patient.pk, 0),
            )
        )
        if patient.tier == INVITED_TIER:
            _say_invited(rows[-1], waiting.get(patient.pk))
    return rows


WITHDRAWN = "Invitation withdrawn, not joined"


def _waiting_invitations(patients: list[User]) -> dict[int, Invitation]:
    """The waiting invitation of each of the page's patients who has not joined yet, in one
    query (none when the page has no such patient)."""
    ids = [p.pk for p in patients if p.tier == INVITED_TIER]
    if not ids:
        return {}
    found: dict[int, Invitation] = {}
    for invitation in (
        Invitation.objects.filter(user_id__in=ids).waiting().order_by("user_id", "-sent_at", "-pk")
    ):
        found.setdefault(invitation.user_id, invitation)
    return found


def _say_invited(row: Row, invitation: Invitation | None) -> None:
    if invitation is None:  # only withdrawn invitations: they never joined
        row.reason = WITHDRAWN
        return
    row.link_expires = invitation.expires_at
    row.link_expired = invitation.expires_at <= timezone.now()


def open_kinds(alerts: list[tuple[str, dt.date, dt.date | None]]) -> list[str]:
    """Each kind of alert still open, once, most urgent first, with how many when more than
    one: "Danger sign", "Pain (3)"."""
    counts = Counter(kind for kind, _, closed in alerts if closed is None)
    return [
        kind.label if counts[kind] == 1 else f"{kind.label} ({counts[kind]})"
        for kind in AlertKind
        if counts[kind]
    ]


def paused_note(plan: Plan | None) -> str:
    """Who or what paused a paused plan, for the care team; empty for any other plan."""
    if plan is None or plan.status != PlanStatus.PAUSED:
        return ""
    if plan.status_changed_at is None:
        return "The plan is paused."
    on = timezone.localdate(plan.status_changed_at)
    if plan.status_changed_by_id is None:  # only a new clearance pauses a plan on its own
        clearance = plan.clearance
        return (
            f"The clearance from {clearance.physician_name} of {clearance.cleared_on:%-d %B %Y}"
            f" paused the plan on {on:%-d %B}."
        )
    reason = f": “{plan.status_reason}”" if plan.status_reason else "."
    return f"{plan.status_changed_by.display_name} paused the plan on {on:%-d %B}{reason}"


def _weekly_minutes(days: dict, *, first: dt.date, today: dt.date) -> list[int]:
    """Minutes in each week from the Monday `first` to the week of `today`, oldest first."""
    weeks = [0] * ((today - first).days // 7 + 1)
    for day, (_, minutes) in days.items():
        if first <= day <= today:
            weeks[(day - first).days // 7] += minutes
    return weeks


def _sessions_in_week(days: dict, start: dt.date) -> int:
    end = start + dt.timedelta(weeks=1)
    return sum(count for day, (count, _) in days.items() if start <= day < end)


def filter_caseload(
    patients: QuerySet[User], *, search: str = "", show: str = "", activity_id: int | None = None
) -> QuerySet[User]:
    """Search by name, 'alerts' (any open alert), 'slipping' (behind or silent), by activity."""
    for word in search.split():
        patients = patients.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    if show == "alerts":
        patients = patients.filter(alerts_open__gt=0)
    elif show == "slipping":  # whatever else they need attention for, but not while paused
        patients = patients.filter(Q(behind=True) | Q(silent=True), plan_paused=False)
    if activity_id:
        patients = patients.filter(
            plans__status=PlanStatus.ACTIVE, plans__prescriptions__activity_id=activity_id
        ).distinct()
    return patients
