"""A patient's plans over time: which plan each past week was done under, and its holds.

A week belongs to the plan that had started by its latest day and had not been completed
before it began; of several, the one that started last. A completed plan's weeks keep its
targets, so Progress and the report measure the past against what was prescribed then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import (
    BooleanField,
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tracker.models import (
    Alert,
    AlertKind,
    Plan,
    PlanStatus,
    Prescription,
    SessionLog,
    SessionRevision,
    User,
)
from tracker.queries.plan_week import alert_days, plan_week_holds
from tracker.queries.week import current_of
from tracker.rules.plans import WeekHolds


def plans_of(patient: User) -> list[Plan]:
    """Every plan the patient has followed or follows (no drafts), newest first, with what
    the pages need, in four queries (none more when there is no plan)."""
    return list(
        Plan.objects.filter(patient=patient)
        .exclude(status=PlanStatus.DRAFT)
        .select_related("clearance", "created_by", "status_changed_by")
        .prefetch_related(
            "clearance__activities",
            Prefetch("prescriptions", Prescription.objects.select_related("activity")),
            "holds",
        )
        .order_by("-starts_on", "-pk")
    )


def current_in(plans: Sequence[Plan]) -> Plan | None:
    """Of the plans read by `plans_of`, the one `current_plan` would choose."""
    return current_of(plans)


def ended_on(plan: Plan) -> dt.date | None:
    """The day a completed plan was completed; None for one still followed."""
    if plan.status != PlanStatus.COMPLETED:
        return None
    if plan.status_changed_at is None:
        return plan.starts_on  # completed before the day was kept: no weeks of its own known
    return timezone.localdate(plan.status_changed_at)


def plan_of_week(plans: Sequence[Plan], start: dt.date, latest: dt.date) -> Plan | None:
    """The plan the week from `start` (Monday) to `latest` (its latest day so far) was done
    under: started by `latest`, not completed before `start`; the latest started wins."""
    under = [
        p for p in plans if p.starts_on <= latest and (ended_on(p) is None or ended_on(p) >= start)
    ]
    return max(under, key=lambda p: (p.starts_on, p.pk), default=None)


def holds_of(plans: Sequence[Plan], *, today: dt.date, supervised: bool) -> dict[int, WeekHolds]:
    """Each plan's week holds up to today (or the day it was completed), in two queries
    however many plans and sessions there are. The plans' holds and prescriptions should be
    prefetched (`plans_of`); for `plan_week`."""
    if not plans:
        return {}
    patient_ids = {p.patient_id for p in plans}
    earliest = min(p.starts_on for p in plans)
    spans = alert_days(
        Alert.objects.filter(patient_id__in=patient_ids)
        .filter(
            Q(acknowledged_at__isnull=True)
            | Q(acknowledged_at__date__gte=earliest - dt.timedelta(weeks=1))
        )
        .values_list("opened_at", "acknowledged_at")
    )
    per_day: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for plan_id, day, count in (
        SessionLog.objects.current()
        .filter(plan__in=plans, date__gte=earliest, date__lte=today)
        .values("plan_id", "date")
        .annotate(count=Count("pk"))
        .values_list("plan_id", "date", "count")
        .order_by()
    ):
        per_day[plan_id].append((day, count))
    holds = {}
    for plan in plans:
        last = min(today, ended_on(plan) or today)
        holds[plan.pk] = plan_week_holds(
            plan,
            today=max(last, plan.starts_on),
            supervised=supervised,
            alert_spans=spans,
            per_day=per_day[plan.pk],
        )
    return holds


def _any(rows: QuerySet) -> Coalesce:
    """Whether `rows` (correlated on the session) holds one, as a scalar subquery that stops
    at the first by the session's index. As `Exists`, PostgreSQL chose to hash every alert
    and revision in the clinic before the page was cut; a scalar subquery it cannot hash, so
    it looks up only the rows it returns."""
    found = rows.order_by().annotate(found=Value(True)).values("found")[:1]
    return Coalesce(Subquery(found), Value(False), output_field=BooleanField())


def with_flags(sessions: QuerySet[SessionLog]) -> QuerySet[SessionLog]:
    """`sessions` with their history badges: `raised_alert`, `beyond_clearance` and
    `was_edited`, each looked up for the rows read, not the clinic's whole tables."""
    on_session = Alert.objects.filter(session=OuterRef("pk"))
    return sessions.annotate(
        raised_alert=_any(on_session),
        beyond_clearance=_any(on_session.filter(kind=AlertKind.OVER_CLEARANCE)),
        was_edited=_any(SessionRevision.objects.filter(session=OuterRef("pk"))),
    )
