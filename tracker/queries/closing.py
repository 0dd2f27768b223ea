"""What an admin should know before closing accounts: each patient's open alerts."""

from __future__ import annotations

from collections.abc import Iterable

from tracker.models import Alert, AlertKind

TRIAGE_ORDER = {kind: rank for rank, kind in enumerate(AlertKind.values)}


def open_alert_kinds(patient_ids: Iterable[int]) -> dict[int, list[str]]:
    """The kinds of each patient's open alerts, most urgent first (the triage order), each
    once: one query for any number of patients."""
    kinds: dict[int, set[str]] = {}
    rows = (
        Alert.objects.open()
        .filter(patient_id__in=list(patient_ids))
        .values_list("patient_id", "kind")
        .distinct()
        .order_by()
    )
    for patient_id, kind in rows:
        kinds.setdefault(patient_id, set()).add(kind)
    return {pk: sorted(found, key=TRIAGE_ORDER.__getitem__) for pk, found in kinds.items()}
