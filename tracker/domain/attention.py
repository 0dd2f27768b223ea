"""Triage, worked out in the database and kept: each patient's `Attention` row.

The order of attention: an open danger-sign alert; an open pain, effort or over-the-clearance
alert; a current plan that is paused (by the physiotherapist or a new clearance); fewer than 80%
of planned sessions over the last two complete weeks; no session logged for SILENCE_DAYS days;
everyone else; last, who was invited and has not joined yet (never accepted an invitation:
they are neither behind nor silent, since they cannot log yet). `refresh` works it out for the
stale patients of a set in one INSERT ... SELECT, so the caseload reads the order through an
index however many patients there are.

Every patient has a row from the account's making (stale until worked out). A row is stale
when a write that can change it cleared it (`mark_stale`, called by the receivers below for
saves and deletes, and by the domain's bulk writes), or when it was worked out on an earlier
day (silence and the two complete weeks move with the calendar). The daily checks work out
every patient's row after opening their alerts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connections, router
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save

from tracker.models import (
    Alert,
    AlertKind,
    Attention,
    Invitation,
    Plan,
    PlanStatus,
    Prescription,
    Role,
    SessionLog,
    User,
)
from tracker.queries.week import counted_sessions
from tracker.rules.plans import ADHERENCE_TARGET
from tracker.rules.progress import monday
from tracker.rules.thresholds import SILENCE_DAYS

TIER_LABELS = {
    0: "Danger sign",
    1: "Pain or effort",
    2: "Falling behind",
    3: f"No log for {SILENCE_DAYS}+ days",
    4: "On track",
    5: "Plan paused",
    6: "Invited, not joined yet",
}
PAUSED_TIER = 5  # sorts after the alerts, before falling behind: see `rank`
INVITED_TIER = 6  # sorts after everyone on track: see `rank`

# The columns of a row, in the order `_worked_out` selects them.
ATTENTION_FIELDS = [
    "tier",
    "rank",
    "danger_open",
    "pain_open",
    "beyond_open",
    "alerts_open",
    "oldest_alert",
    "last_log",
    "done_two_weeks",
    "planned_per_week",
    "plan_paused",
    "behind",
    "silent",
    "kept_up",
]
TRIAGE_ORDER = ["rank", "oldest_alert", "kept_up", "last_log"]


def _count(queryset: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values("patient").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _worked_out(patients: QuerySet[User], *, today: dt.date) -> QuerySet:
    """`patients` with their attention on `today`, as the values of an Attention row."""
    two_weeks_from = monday(today) - dt.timedelta(weeks=2)
    last_monday = monday(today)
    open_alerts = Alert.objects.open().filter(patient=OuterRef("pk"))
    sessions = counted_sessions().filter(patient=OuterRef("pk"))
    planned = (
        Prescription.objects.filter(plan__patient=OuterRef("pk"), plan__status=PlanStatus.ACTIVE)
        .filter(Q(suspended_on__isnull=True) | Q(suspended_on__gt=today))
        .order_by()
        .values("plan__patient")
        .annotate(n=Sum("sessions_per_week"))
        .values("n")[:1]
    )
    plans = Plan.objects.filter(patient=OuterRef("pk"))
    invitations = Invitation.objects.filter(user=OuterRef("pk"))
    return (
        patients.order_by()
        .annotate(
            # Invited and not joined: an invitation, and none of theirs accepted (a withdrawn
            # one included: they never joined either).
            w_not_joined=Exists(invitations)
            & ~Exists(invitations.filter(accepted_at__isnull=False)),
            # The current plan is paused: a paused plan and no active one (as current_plan).
            w_plan_paused=Exists(plans.filter(status=PlanStatus.PAUSED))
            & ~Exists(plans.filter(status=PlanStatus.ACTIVE)),
            w_danger_open=_count(open_alerts.filter(kind=AlertKind.DANGER_SIGN)),
            w_pain_open=_count(open_alerts.filter(kind__in=[AlertKind.PAIN, AlertKind.EFFORT])),
            w_beyond_open=_count(open_alerts.filter(kind=AlertKind.OVER_CLEARANCE)),
            w_alerts_open=_count(open_alerts),
            w_oldest_alert=Subquery(open_alerts.order_by("opened_at").values("opened_at")[:1]),
            w_last_log=Subquery(
                sessions.order_by("-date").values("date")[:1], output_field=DateField()
            ),
            w_done_two_weeks=_count(
                sessions.filter(date__gte=two_weeks_from, date__lt=last_monday)
            ),
            w_planned_per_week=Coalesce(Subquery(planned, output_field=IntegerField()), Value(0)),
        )
        .annotate(
            # Fewer than ADHERENCE_TARGET of the planned sessions over the two complete weeks.
            w_behind=ExpressionWrapper(
                Q(w_not_joined=False)
                & Q(w_planned_per_week__gt=0)
                & Q(w_done_two_weeks__lt=F("w_planned_per_week") * 2 * ADHERENCE_TARGET),
                output_field=BooleanField(),
            ),
            w_silent=ExpressionWrapper(
                Q(w_not_joined=False)
                & (
                    Q(w_last_log__isnull=True)
                    | Q(w_last_log__lt=today - dt.timedelta(days=SILENCE_DAYS))
                ),
                output_field=BooleanField(),
            ),
            # The share of those sessions done, in percent: who is furthest behind comes first.
            w_kept_up=Case(
                When(
                    w_planned_per_week__gt=0,
                    then=F("w_done_two_weeks") * 100 / (F("w_planned_per_week") * 2),
                ),
                default=Value(100),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            w_tier=Case(
                When(w_danger_open__gt=0, then=Value(0)),
                When(Q(w_pain_open__gt=0) | Q(w_beyond_open__gt=0), then=Value(1)),
                When(w_not_joined=True, then=Value(INVITED_TIER)),
                When(w_plan_paused=True, then=Value(PAUSED_TIER)),
                When(w_behind=True, then=Value(2)),
                When(w_silent=True, then=Value(3)),
                default=Value(4),
                output_field=IntegerField(),
            )
        )
        .annotate(
            # The order of attention: a paused plan between the alerts and falling behind;
            # who has not joined yet after everyone on track.
            w_rank=Case(
                When(w_tier=PAUSED_TIER, then=Value(3)),
                When(w_tier=INVITED_TIER, then=Value(9)),
                default=F("w_tier") * 2,
                output_field=IntegerField(),
            ),
            w_as_of=Value(today, output_field=DateField()),
            w_version=Coalesce(F("attention__version"), Value(0)),
        )
        .values_list("pk", "w_as_of", "w_version", *(f"w_{name}" for name in ATTENTION_FIELDS))
    )


def refresh(patients: QuerySet[User], *, today: dt.date) -> None:
    """Work out again, in one statement, the rows of `patients` that are stale on `today`
    (after a look that finds none, usually). The stale rows are found through their index, so
    the cost follows what changed.

    A row cleared by a write after this statement read the patient keeps its new version, so
    the update skips it and the next caseload works it out again."""
    stale_rows = Attention.objects.filter(Q(as_of__isnull=True) | Q(as_of__lt=today))
    stale = patients.filter(pk__in=stale_rows.values("patient_id"))
    if not stale.exists():  # the usual case, and far cheaper to plan than the statement below
        return
    using = router.db_for_write(Attention)
    select, params = _worked_out(stale, today=today).query.get_compiler(using).as_sql()
    table = Attention._meta.db_table
    columns = ["patient_id", "as_of", "version", *ATTENTION_FIELDS]
    updated = ", ".join(f"{name} = excluded.{name}" for name in columns[1:])
    with connections[using].cursor() as cursor:
        cursor.execute(
            # "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON.
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM ({select}) AS fresh"
            f" WHERE true ON CONFLICT (patient_id) DO UPDATE SET {updated}"
            f" WHERE {table}.version = excluded.version",
            params,
        )


def refresh_everyone(*, today: dt.date) -> None:
    """The daily checks' part: a row for any patient without one (an account made by other
    means than the app's), then every row worked out for `today`."""
    patients = User.objects.filter(role=Role.PATIENT)
    Attention.objects.bulk_create(
        (
            Attention(patient_id=pk)
            for pk in patients.filter(attention__isnull=True).values_list("pk", flat=True)
        ),
        batch_size=500,
        ignore_conflicts=True,
    )
    refresh(patients, today=today)


def mark_stale(patient_ids: Iterable[int]) -> None:
    """Clear these patients' rows: something their triage reads has changed."""
    ids = patient_ids if isinstance(patient_ids, QuerySet) else list(patient_ids)
    Attention.objects.filter(patient_id__in=ids).update(as_of=None, version=F("version") + 1)


def _account_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    """A patient has a row from the start; one made a patient later gets one then."""
    if instance.role == Role.PATIENT and (
        created or update_fields is None or "role" in update_fields
    ):
        Attention.objects.bulk_create([Attention(patient=instance)], ignore_conflicts=True)


def _patient_changed(sender, instance, **kwargs) -> None:
    mark_stale([instance.patient_id])


def _prescription_changed(sender, instance: Prescription, **kwargs) -> None:
    mark_stale(Plan.objects.filter(pk=instance.plan_id).values("patient_id"))


def connect_receivers() -> None:
    """Every save and delete of what triage reads clears the patient's row (the admin's too)."""
    for model in (SessionLog, Alert, Plan):
        for signal in (post_save, post_delete):
            signal.connect(
                _patient_changed, sender=model, dispatch_uid=f"attention.{model.__name__}"
            )
    for signal in (post_save, post_delete):
        signal.connect(_prescription_changed, sender=Prescription, dispatch_uid="attention.rx")
    post_save.connect(_account_saved, sender=User, dispatch_uid="attention.account")
