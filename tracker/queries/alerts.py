"""Alerts as the care team sees them: with the patient's numbers to call back, the e-mails
that told people, and the calls that found nobody."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tracker.models import Alert, AlertAttempt, AlertEmail, AlertKind, SessionLog
from tracker.models.sessions import DANGER_FIRST


def alerts_shown() -> QuerySet[Alert]:
    return Alert.objects.select_related(
        "patient__profile", "session__activity", "danger_report", "acknowledged_by"
    ).prefetch_related(
        Prefetch("emails", AlertEmail.objects.select_related("recipient")),
        Prefetch("attempts", AlertAttempt.objects.select_related("by")),
    )


def alert_with_contact(pk: int) -> Alert:
    return alerts_shown().get(pk=pk)


def open_queue(patients: QuerySet) -> QuerySet[Alert]:
    """The open alerts of `patients`, most urgent first: danger signs, then the rest, each
    oldest first (the longest wait is the next call)."""
    return (
        # Open, so nobody acknowledged them; the session read apart: each table joined to the
        # alerts (2 million sessions among them) costs the planner milliseconds, every time.
        alerts_shown()
        .select_related(None)
        .select_related("patient__profile", "danger_report")
        .prefetch_related(Prefetch("session", SessionLog.objects.select_related("activity")))
        .open()
        .filter(patient__in=patients)
        .order_by(DANGER_FIRST, "opened_at", "pk")  # as the open_alert_queue index
    )


@dataclass(frozen=True)
class OpenCounts:
    """How many alerts are open, in all and of each kind (kinds with none left out)."""

    total: int
    by_kind: tuple[tuple[str, int], ...]  # (the kind's label, how many), in triage order

    @property
    def summary(self) -> str:
        """ "danger sign 12, pain 40", for after the total."""
        return ", ".join(f"{label.lower()} {n}" for label, n in self.by_kind)


def open_counts(patients: QuerySet) -> OpenCounts:
    """The queue's counts in one query, however many alerts are open."""
    counts = (
        Alert.objects.open()
        .filter(patient__in=patients)
        .aggregate(  # counting a column of the open_alert_kinds index: read from it alone
            total=Count("kind"),
            **{kind.value: Count("kind", filter=Q(kind=kind)) for kind in AlertKind},
        )
    )
    return OpenCounts(
        total=counts["total"],
        by_kind=tuple((kind.label, counts[kind.value]) for kind in AlertKind if counts[kind.value]),
    )


RECENT_DANGER_DAYS = 7


def recent_danger_alert(patient) -> Alert | None:
    """The patient's latest danger report of the past week, as its alert: what they reported,
    who was told, and who answered, for the top of their Today page."""
    since = timezone.now() - dt.timedelta(days=RECENT_DANGER_DAYS)
    return (
        Alert.objects.filter(patient=patient, kind=AlertKind.DANGER_SIGN, opened_at__gte=since)
        .select_related("danger_report", "acknowledged_by")
        .prefetch_related(
            Prefetch(
                "emails",
                AlertEmail.objects.filter(status=AlertEmail.Status.SENT).select_related(
                    "recipient"
                ),
                to_attr="sent_emails",
            )
        )
        .order_by("-opened_at", "-pk")
        .first()
    )
