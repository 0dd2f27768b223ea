"""Clinicians' own choice of how they hear of an alert other than a danger sign: an e-mail at
once, the daily digest, or the app only. Danger signs are not a choice: they always go at once,
by `tasks.danger_alert_opened`. The domain calls `alerts_opened` with every alert it opens; the
e-mails go from a task after the transaction commits, never in the request."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse

from tracker.models import (
    Alert,
    AlertKind,
    AlertPreference,
    Delivery,
    DigestPreference,
    Role,
    User,
)
from tracker.notifications.outbox import post
from tracker.notifications.tasks import queue

# Every kind a clinician chooses for, in the triage order; danger signs always go at once.
CHOSEN_KINDS = [kind for kind in AlertKind if kind != AlertKind.DANGER_SIGN]
# A kind the clinician has not chosen for goes in the daily digest.
DEFAULT_DELIVERY = Delivery.DIGEST


def deliveries(clinician: User) -> dict[str, str]:
    """How `clinician` hears of each kind they choose for: their choice, or the default.
    Reads `alert_preferences` prefetched, if they were."""
    chosen = {choice.kind: choice.delivery for choice in clinician.alert_preferences.all()}
    return {kind.value: chosen.get(kind.value, DEFAULT_DELIVERY) for kind in CHOSEN_KINDS}


def weekly_digest_on(clinician: User) -> bool:
    """On unless the clinician turned it off. Reads `digest_preference` selected, if it was."""
    try:
        return clinician.digest_preference.weekly
    except DigestPreference.DoesNotExist:
        return True


def alert_link(alert: Alert) -> str:
    """The alert on the patient's record, as a link in an e-mail."""
    return (
        f"{settings.SITE_URL}{reverse('patient_record', args=[alert.patient_id])}#alert-{alert.pk}"
    )


def alerts_opened(alerts: Iterable[Alert]) -> None:
    """Called by the domain with the alerts it has just opened (saved, or, from a bulk insert
    that returns no keys, as built: the patient, kind and dedupe key name the open one). The
    clinicians who chose "at once" are e-mailed by a task queued once the transaction commits,
    so a write that rolls back tells nobody. No query here."""
    ids: list[int] = []
    keyed: list[list] = []
    for alert in alerts:
        if alert.kind == AlertKind.DANGER_SIGN:
            continue  # told at once by its own path
        if alert.pk is not None:
            ids.append(alert.pk)
        elif alert.dedupe_key:
            keyed.append([alert.patient_id, alert.kind, alert.dedupe_key])
    if ids or keyed:
        transaction.on_commit(partial(queue, tell_at_once, ids, keyed))


def _resolved(ids: list[int], keyed: list[list]) -> list[Alert]:
    alerts = Alert.objects.open().exclude(kind=AlertKind.DANGER_SIGN).select_related("patient")
    found = list(alerts.filter(pk__in=ids)) if ids else []
    if keyed:
        wanted = {tuple(key) for key in keyed}
        found += [
            alert
            for alert in alerts.filter(
                patient_id__in={key[0] for key in keyed},
                dedupe_key__in={key[2] for key in keyed},
            )
            if (alert.patient_id, alert.kind, alert.dedupe_key) in wanted
        ]
    return found


@task
def tell_at_once(alert_ids: list[int], keyed: list[list]) -> int:
    """E-mail each alert, still open, to every clinician of its patient's care team who chose
    "at once" for its kind; returns how many e-mails were posted. Safe to run twice: the
    outbox key `alert:<alert>:<clinician>` sends each at most once."""
    alerts = _resolved(alert_ids, keyed)
    if not alerts:
        return 0
    wanted = (
        AlertPreference.objects.filter(
            delivery=Delivery.INSTANT,
            kind__in={alert.kind for alert in alerts},
            clinician__is_active=True,
            clinician__role__in=[Role.PHYSIOTHERAPIST, Role.ADMIN],
            clinician__caseload__user_id__in={alert.patient_id for alert in alerts},
        )
        .exclude(clinician__email="")
        .values_list("kind", "clinician__caseload__user_id", "clinician")
        .distinct()
    )
    choosers: dict[tuple[str, int], list[int]] = {}
    for kind, patient_id, clinician_id in wanted:
        choosers.setdefault((kind, patient_id), []).append(clinician_id)
    clinicians = User.objects.in_bulk({c for ids in choosers.values() for c in ids})
    posted = 0
    for alert in alerts:
        for clinician_id in sorted(choosers.get((alert.kind, alert.patient_id), [])):
            clinician = clinicians[clinician_id]
            _, created = post(
                key=f"alert:{alert.pk}:{clinician.pk}",
                kind="alert_notice",
                template="alert_notice",
                context={
                    "alert": alert,
                    "patient": alert.patient,
                    "clinician": clinician,
                    "link": alert_link(alert),
                    "choices": f"{settings.SITE_URL}{reverse('notices')}",
                },
                address=clinician.email,
                recipient=clinician,
            )
            posted += created
    return posted
