"""The pain model's next-morning check: which session Today asks about, and saving the
answer. Pain must settle by the morning after a session; if it has not, the care team
should review and the load must not grow (tracker.rules.safety.next_morning_pain_alert)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tracker.domain import audit
from tracker.forms.morning import MorningPainForm
from tracker.models import Alert, AlertKind, AuditAction, SessionLog, User
from tracker.notifications.notices import alerts_opened
from tracker.rules.safety import next_morning_message, next_morning_pain_alert, session_noun

AUDIT_WHAT = "next-morning pain"
CORRECTED = " Corrected the same morning from a higher answer."
NOT_YESTERDAY = (
    "The morning question is only about yesterday's session, so this answer was not saved."
)
DELETED = "That session was deleted, so there is nothing to answer about it."
NOT_YOURS = "That session is not one of yours."


def session_to_ask_about(patient: User, today: dt.date) -> SessionLog | None:
    """The patient's latest session of yesterday, unless this morning's pain is already given
    for one of yesterday's sessions: the pain this morning is one answer. One query."""
    sessions = list(
        SessionLog.objects.current()
        .filter(patient=patient, date=today - dt.timedelta(days=1))
        .select_related("activity")
        .order_by(F("start_time").desc(nulls_last=True), "-pk")
    )
    if not sessions or any(s.pain_next_morning is not None for s in sessions):
        return None
    return sessions[0]


def morning_question(patient: User, today: dt.date) -> dict:
    """What Today needs to ask: the session (with how to name it) and the one-tap form."""
    session = session_to_ask_about(patient, today)
    if session is not None:
        session.noun = session_noun(session.activity.name)
    return {"morning_check": session, "morning_form": MorningPainForm()}


class MorningCheckRefused(Exception):
    """The answer cannot be kept for this session; the message says why, to the patient."""


@dataclass(frozen=True)
class MorningAnswer:
    session: SessionLog
    changed: bool  # False for a double tap: the same answer again
    alert: Alert | None  # the pain alert this answer keeps open, if any


def refusal(session: SessionLog, by: User, today: dt.date) -> str | None:
    if session.patient_id != by.pk:
        return NOT_YOURS
    if session.deleted_at is not None:
        return DELETED
    if session.date != today - dt.timedelta(days=1):
        return NOT_YESTERDAY
    return None


def _dedupe_key(session: SessionLog) -> str:
    return f"next_morning:{session.pk}"


def _keep_alert(session: SessionLog) -> Alert | None:
    """Open the pain alert this morning's pain calls for; one per session while it is open.
    A correction rewrites the open alert's numbers; one that settles the pain leaves the
    alert open (a clinician closes alerts) but says so."""
    key = _dedupe_key(session)
    spec = next_morning_pain_alert(
        activity=session.activity.name,
        day=session.date,
        pain_before=session.pain_before,
        pain_next_morning=session.pain_next_morning,
    )
    alert = Alert.objects.open().filter(patient_id=session.patient_id, dedupe_key=key).first()
    if alert is not None:
        if spec is not None:
            alert.message = spec.message
        else:
            alert.message = (
                next_morning_message(
                    activity=session.activity.name,
                    day=session.date,
                    pain_before=session.pain_before,
                    pain_next_morning=session.pain_next_morning,
                )
                + CORRECTED
            )
        alert.save(update_fields=["message"])
        return alert
    if spec is None:
        return None
    if Alert.objects.filter(session=session, dedupe_key=key, message=spec.message).exists():
        return None  # a clinician has already seen exactly this
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                patient_id=session.patient_id,
                kind=spec.kind,
                message=spec.message,
                session=session,
                dedupe_key=key,
            )
            alerts_opened([alert])  # those who chose "at once" are e-mailed after the commit
            return alert
    except IntegrityError:
        # The database keeps one open alert per session's morning: a twin request won.
        return Alert.objects.open().get(
            patient_id=session.patient_id, kind=AlertKind.PAIN, dedupe_key=key
        )


def answer_next_morning(
    *,
    by: User,
    session: SessionLog,
    pain: int,
    today: dt.date,
) -> MorningAnswer:
    """Keep the patient's pain this morning (0-10) on yesterday's session, with the time it
    was given, and open the pain alert it calls for. The same answer twice changes nothing;
    another answer the same morning corrects it. Raises MorningCheckRefused for a session
    that is someone else's, deleted, or not from yesterday."""
    if not 0 <= pain <= 10:
        raise ValueError("Pain is a number from 0 to 10.")
    with transaction.atomic():
        locked = (
            SessionLog.objects.select_for_update(of=("self",))
            .filter(pk=session.pk)
            .select_related("activity")
            .first()
        )
        if locked is None:
            raise MorningCheckRefused(DELETED)
        if problem := refusal(locked, by, today):
            raise MorningCheckRefused(problem)
        if locked.pain_next_morning == pain:
            alert = (
                Alert.objects.open()
                .filter(patient_id=locked.patient_id, dedupe_key=_dedupe_key(locked))
                .first()
            )
            return MorningAnswer(session=locked, changed=False, alert=alert)
        locked.pain_next_morning = pain
        locked.pain_next_morning_at = timezone.now()
        locked.save(update_fields=["pain_next_morning", "pain_next_morning_at", "updated_at"])
        alert = _keep_alert(locked)
        audit.record(
            actor=by, patient=locked.patient_id, action=AuditAction.CHANGE, what=AUDIT_WHAT
        )
    return MorningAnswer(session=locked, changed=True, alert=alert)
