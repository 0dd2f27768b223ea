"""Reminders the patient sets: on their chosen weekdays, once their chosen time has come (and
not hours late), one e-mail if nothing is logged that day yet. `manage.py tick` enqueues the
task every few minutes; the outbox's key sends each day's reminder at most once, however many
ticks or workers run it."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from tracker.access import reminder_stop_token
from tracker.models import OutgoingEmail, Plan, PlanStatus, Reminder, Role, SessionLog
from tracker.notifications import outbox
from tracker.rules.reminders import due_times

logger = logging.getLogger(__name__)

KIND = "reminder"


def reminder_key(patient_id: int, day: dt.date) -> str:
    return f"{KIND}:{patient_id}:{day.isoformat()}"


def due_reminders(now: dt.datetime) -> QuerySet[Reminder]:
    """The reminders due at `now`, with their patients, in one query however many there are:
    on today's weekday, from their time until LATE_BY after it, the patient active with an
    address and an active plan under way on a current clearance, nothing logged today and no
    reminder sent today."""
    local = timezone.localtime(now)
    today = local.date()
    bit, after, latest = due_times(local)
    times = Q(at__lte=latest) & (Q(at__gt=after) if after is not None else Q())
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        Reminder.objects.filter(
            times,
            is_on=True,
            patient__is_active=True,
            patient__role=Role.PATIENT,
        )
        .exclude(patient__email="")
        .annotate(today=F("weekdays").bitand(bit))
        .filter(today__gt=0)
        .filter(
            Exists(
                # Under way, and not suspended: a clearance that has run out allows no session.
                Plan.objects.filter(
                    patient=OuterRef("patient"),
                    status=PlanStatus.ACTIVE,
                    starts_on__lte=today,
                    clearance__cleared_on__lte=today,
                    clearance__valid_until__gte=today,
                )
            ),
            ~Exists(SessionLog.objects.current().filter(patient=OuterRef("patient"), date=today)),
            ~Exists(
                OutgoingEmail.objects.filter(
                    kind=KIND, recipient=OuterRef("patient"), created_at__gte=midnight
                )
            ),
        )
        .select_related("patient")
        .order_by("pk")
    )


def stop_url(patient_id: int) -> str:
    """The one-click address that turns this patient's reminders off, signed for them."""
    path = reverse("reminders_stop", args=[patient_id, reminder_stop_token(patient_id)])
    return f"{settings.SITE_URL}{path}"


def post_reminder(reminder: Reminder, day: dt.date) -> bool:
    """Write `reminder`'s e-mail for `day` to the outbox; False when it was written already
    (by an earlier tick, or by another worker at the same moment)."""
    patient = reminder.patient
    stop = stop_url(patient.pk)
    try:
        with transaction.atomic():
            _, created = outbox.post(
                key=reminder_key(patient.pk, day),
                kind=KIND,
                template="reminder",
                context={
                    "name": patient.first_name,
                    "log_url": f"{settings.SITE_URL}{reverse('log_session')}",
                    "settings_url": f"{settings.SITE_URL}{reverse('reminders')}",
                    "stop_url": stop,
                },
                address=patient.email,
                recipient=patient,
                headers={
                    "List-Unsubscribe": f"<{stop}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
    except IntegrityError:  # the twin worker wrote the same key first
        return False
    return created


@task
def send_due_reminders() -> int:
    """Post one reminder e-mail (through the outbox, once per patient and day) to every patient
    whose reminder is due now; returns how many were posted. Safe to run twice or at once on
    two workers: the outbox key `reminder:<patient pk>:<date>` sends each at most once."""
    now = timezone.now()
    today = timezone.localdate(now)
    posted = sum(post_reminder(reminder, today) for reminder in due_reminders(now))
    if posted:
        logger.info("Posted %s reminder(s) for %s.", posted, today)
    return posted
