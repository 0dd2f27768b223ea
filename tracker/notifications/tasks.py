"""The tasks that tell people about alerts. Each is safe to run twice: it looks at what has
been done before doing it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.tasks import Task, task
from django.urls import reverse
from django.utils import timezone

from tracker.models import Alert, AlertEmail, OutgoingEmail, Role, User
from tracker.notifications import mail

logger = logging.getLogger(__name__)


def queue(job: Task, *args, at: dt.datetime | None = None) -> bool:
    """Queue `job`, to run at once or not before `at`. A backend that cannot wait (the
    immediate one of the tests) queues nothing for later and says so."""
    if at is not None:
        if not job.get_backend().supports_defer:
            return False
        job = job.using(run_after=at)
    job.enqueue(*args)
    return True


def danger_alert_opened(alert: Alert) -> None:
    """Called by the domain in the transaction that opened the alert: the care team is told
    at once, and the admins and on-call address if it is still open after the set time."""
    queue(tell_care_team, alert.pk)
    wait = dt.timedelta(minutes=settings.DANGER_ESCALATION_MINUTES)
    queue(escalate_danger_alert, alert.pk, at=alert.opened_at + wait)


def _address(alert: Alert, stage: str, recipients: list[tuple[User | None, str]]) -> None:
    for recipient, address in recipients:
        email, created = AlertEmail.objects.get_or_create(
            alert=alert, stage=stage, address=address.strip().lower(),
            defaults={"recipient": recipient},
        )  # fmt: skip
        if created:
            queue(deliver_alert_email, email.pk)


@task
def tell_care_team(alert_id: int) -> None:
    alert = Alert.objects.select_related("patient__profile").filter(pk=alert_id).first()
    profile = getattr(alert.patient, "profile", None) if alert else None
    if profile is None:
        return
    physios = profile.care_team.filter(is_active=True).exclude(email="").order_by("pk")
    _address(alert, AlertEmail.Stage.CARE_TEAM, [(p, p.email) for p in physios])


@task
def escalate_danger_alert(alert_id: int) -> None:
    """Still open: widen the circle, once."""
    escalated = (
        Alert.objects.open()
        .filter(pk=alert_id, escalated_at__isnull=True)
        .update(escalated_at=timezone.now())
    )
    if not escalated:
        return  # acknowledged in time, or escalated already
    alert = Alert.objects.get(pk=alert_id)
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(email="").order_by("pk")
    recipients: list[tuple[User | None, str]] = [(a, a.email) for a in admins]
    if settings.ALERTS_ONCALL_EMAIL:
        recipients.append((None, settings.ALERTS_ONCALL_EMAIL))
    _address(alert, AlertEmail.Stage.ESCALATION, recipients)


def _context(email: AlertEmail) -> dict:
    alert = email.alert
    patient = alert.patient
    return {
        "email": email,
        "alert": alert,
        "patient": patient,
        "profile": getattr(patient, "profile", None),
        "report": alert.danger_report,
        "escalated": email.stage == AlertEmail.Stage.ESCALATION,
        "minutes_open": settings.DANGER_ESCALATION_MINUTES,
        "link": f"{settings.SITE_URL}{reverse('patient_record', args=[patient.pk])}"
        f"#alert-{alert.pk}",
    }


@task
def deliver_alert_email(email_id: int) -> None:
    """Send one alert e-mail. A refusal is kept on the row and tried again later, with a
    longer wait each time, until MAIL_ATTEMPTS; the alert itself is never touched."""
    email = (
        AlertEmail.objects.select_related(
            "alert__patient__profile", "alert__danger_report", "recipient"
        )
        .filter(pk=email_id)
        .first()
    )
    if email is None or email.status in {AlertEmail.Status.SENT, AlertEmail.Status.FAILED}:
        return
    attempt(
        email,
        lambda: mail.build("danger_alert", _context(email), to=[email.address]),
        again=deliver_alert_email,
    )


def attempt(email: AlertEmail | OutgoingEmail, message: Callable, *, again: Task) -> None:
    """Try to send `email` (a row of AlertEmail or OutgoingEmail) once, built by `message`. A
    refusal is kept on the row and `again` queued for it, waiting longer each time (1, 2, 4...
    minutes), until MAIL_ATTEMPTS; then the row is FAILED, shown as not delivered."""
    email.attempts += 1
    try:
        mail.send(message())
    except Exception as error:  # whatever the server or the network did: keep it, retry
        logger.warning("E-mail %r to %s not delivered: %s", email, email.address, error)
        email.last_error = f"{type(error).__name__}: {error}"[:300]
        wait = dt.timedelta(minutes=2 ** (email.attempts - 1))
        retrying = email.attempts < settings.MAIL_ATTEMPTS and queue(
            again, email.pk, at=timezone.now() + wait
        )
        email.status = email.Status.RETRYING if retrying else email.Status.FAILED
        email.save(update_fields=["attempts", "last_error", "status"])
        return
    email.status = email.Status.SENT
    email.sent_at = timezone.now()
    email.save(update_fields=["attempts", "status", "sent_at"])
