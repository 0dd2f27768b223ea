"""The clinicians' digests, each one e-mail through the outbox, sent from a task that
`manage.py tick` queues: the daily digest of the alerts each clinician chose to read there,
and the weekly caseload digest on Monday morning. Each clinician's digest costs the same few
queries however many patients they have, and the outbox key sends it at most once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse

from tracker.access import patients_visible_to
from tracker.domain.attention import refresh_everyone
from tracker.models import Alert, Delivery, Role, User
from tracker.notifications.notices import alert_link, deliveries, weekly_digest_on
from tracker.notifications.outbox import post
from tracker.notifications.schedule import released_on_failure
from tracker.queries.caseload import Row, build_rows, sorted_caseload
from tracker.rules.plans import ADHERENCE_TARGET


def _clinicians() -> QuerySet[User]:
    return (
        User.objects.filter(role__in=[Role.PHYSIOTHERAPIST, Role.ADMIN], is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _link(name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def _post(which: str, clinician: User, day: dt.date, context: dict) -> bool:
    """Post `clinician`'s digest (`which`: daily, weekly) dated `day`, once: whether it was."""
    _, created = post(
        key=f"digest:{which}:{clinician.pk}:{day.isoformat()}",
        kind="digest",
        template=f"digest_{which}",
        context={"clinician": clinician, "day": day, "choices": _link("notices"), **context},
        address=clinician.email,
        recipient=clinician,
    )
    return created


def daily_window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The day a digest dated `day` covers: from DIGEST_HOUR the day before to DIGEST_HOUR on
    `day`, clinic time, so one digest's alerts are never in the next one's."""
    zone = ZoneInfo(settings.TIME_ZONE)
    hour = dt.time(settings.DIGEST_HOUR)
    return (
        dt.datetime.combine(day - dt.timedelta(days=1), hour, tzinfo=zone),
        dt.datetime.combine(day, hour, tzinfo=zone),
    )


@dataclass
class PatientAlerts:
    patient: User
    link: str
    alerts: list[Alert] = field(default_factory=list)


def daily_alerts(clinician: User, *, day: dt.date) -> list[PatientAlerts]:
    """The alerts of `clinician`'s caseload opened in the day before the digest of `day`, of
    the kinds they chose for the digest, open or acknowledged since, grouped by patient."""
    kinds = [kind for kind, how in deliveries(clinician).items() if how == Delivery.DIGEST]
    if not kinds:
        return []
    start, end = daily_window(day)
    alerts = (
        Alert.objects.filter(
            patient__in=patients_visible_to(clinician),
            kind__in=kinds,
            opened_at__gte=start,
            opened_at__lt=end,
        )
        .select_related("patient", "acknowledged_by")
        .order_by("patient__last_name", "patient__first_name", "patient_id", "opened_at", "pk")
    )
    groups = []
    for patient_id, of_patient in groupby(alerts, key=lambda alert: alert.patient_id):
        listed = list(of_patient)
        for alert in listed:
            alert.link = alert_link(alert)
        groups.append(PatientAlerts(listed[0].patient, _link("patient_record", patient_id), listed))
    return groups


@task
@released_on_failure("daily_digest")
def send_daily_digests(day: str) -> int:
    """Post the daily digest dated `day` (ISO) to every clinician with something in it;
    returns how many were posted. Nothing is sent to a clinician with nothing to read."""
    date = dt.date.fromisoformat(day)
    posted = 0
    for clinician in _clinicians().prefetch_related("alert_preferences"):
        groups = daily_alerts(clinician, day=date)
        if not groups:
            continue
        posted += _post(
            "daily",
            clinician,
            date,
            {"groups": groups, "count": sum(len(group.alerts) for group in groups)},
        )
    return posted


# A section of the weekly digest names this many patients at most, then says how many more:
# an admin's digest covers the whole clinic.
SHOWN = 30


@dataclass(frozen=True)
class Listed:
    rows: list[Row]  # the first SHOWN
    more: int  # how many more the caseload holds

    @classmethod
    def of(cls, rows: list[Row]) -> Listed:
        return cls(rows[:SHOWN], max(len(rows) - SHOWN, 0))


@dataclass(frozen=True)
class WeeklyDigest:
    rows: list[Row]
    attention: Listed  # an open alert, falling behind, or a paused plan, in triage order
    silent: Listed
    behind: Listed  # under the adherence target over the last two weeks, the lowest first

    @property
    def kept_up(self) -> int:
        return sum(1 for row in self._planned if row.adherence >= TARGET)

    @property
    def with_plan(self) -> int:
        return len(self._planned)

    @property
    def _planned(self) -> list[Row]:
        """Who has a plan and has joined (a plan made before they joined is not theirs yet)."""
        return [row for row in self.rows if row.adherence is not None and not row.not_joined]


TARGET = round(100 * ADHERENCE_TARGET)
ON_TRACK, SILENT = 4, 3  # the tiers of tracker.domain.attention


def weekly_digest(clinician: User, *, monday: dt.date) -> WeeklyDigest | None:
    """`clinician`'s caseload on `monday` as the caseload page reads it (the kept triage),
    or None for an empty caseload. In a fixed number of queries."""
    patients = list(sorted_caseload(patients_visible_to(clinician), today=monday))
    if not patients:
        return None
    rows = build_rows(patients, today=monday)
    for row in rows:
        row.link = _link("patient_record", row.patient.pk)
    return WeeklyDigest(
        rows=rows,
        attention=Listed.of(
            [row for row in rows if row.tier not in {ON_TRACK, SILENT} and not row.not_joined]
        ),
        silent=Listed.of([row for row in rows if row.patient.silent]),
        behind=Listed.of(
            sorted(
                (
                    row
                    for row in rows
                    if row.adherence is not None and row.adherence < TARGET and not row.not_joined
                ),
                key=lambda row: row.adherence,
            )
        ),
    )


@task
@released_on_failure("weekly_digest")
def send_weekly_digests(monday: str) -> int:
    """Post the weekly caseload digest of the week starting `monday` (ISO) to every clinician
    who has not turned it off and has patients; returns how many were posted. The kept triage
    is worked out for the day first."""
    date = dt.date.fromisoformat(monday)
    refresh_everyone(today=date)
    posted = 0
    for clinician in _clinicians().select_related("digest_preference"):
        if not weekly_digest_on(clinician):
            continue
        digest = weekly_digest(clinician, monday=date)
        if digest is None:
            continue
        posted += _post(
            "weekly",
            clinician,
            date,
            {"digest": digest, "target": TARGET, "caseload": _link("caseload")},
        )
    return posted
