"""Alerts as the care team sees them: with the patient's numbers to call back, the e-mails
that told people, and the calls that found nobody."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tracker.models import Alert, AlertAttempt, AlertEmail, AlertKind


def alerts_shown() -> QuerySet[Alert]:
    return Alert.objects.select_related(
        "patient__profile", "session__activity", "danger_report", "acknowledged_by"
    ).prefetch_related(
        Prefetch("emails", AlertEmail.objects.select_related("recipient")),
        Prefetch("attempts", AlertAttempt.objects.select_related("by")),
    )


def alert_with_contact(pk: int) -> Alert:
    return alerts_shown().get(pk=pk)


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
