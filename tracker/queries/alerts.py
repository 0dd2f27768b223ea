"""Alerts as the care team sees them: with the patient's numbers to call back, the e-mails
that told people, and the calls that found nobody."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from tracker.models import Alert, AlertAttempt, AlertEmail


def alerts_shown() -> QuerySet[Alert]:
    return Alert.objects.select_related(
        "patient__profile", "session__activity", "danger_report", "acknowledged_by"
    ).prefetch_related(
        Prefetch("emails", AlertEmail.objects.select_related("recipient")),
        Prefetch("attempts", AlertAttempt.objects.select_related("by")),
    )


def alert_with_contact(pk: int) -> Alert:
    return alerts_shown().get(pk=pk)
