"""What the printable report reads beyond the progress: the period's alerts and how each was
handled."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from tracker.models import Alert, User


def period_alerts(patient: User, *, since: dt.date) -> QuerySet[Alert]:
    """Every alert opened for the patient from `since` on (danger reports come with theirs),
    oldest first, with who acknowledged it: one query however many there are."""
    return (
        Alert.objects.filter(patient=patient, opened_at__date__gte=since)
        .select_related("danger_report", "acknowledged_by", "session__activity")
        .order_by("opened_at", "pk")
    )
