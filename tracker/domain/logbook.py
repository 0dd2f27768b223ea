"""Saving what patients report, and what clinicians do about it. Each write is one function,
one transaction, and puts itself in the audit trail. Safety comes first: a danger report is
saved on its own, before anything else can fail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import date, time

from django.db import transaction
from django.utils import timezone

from tracker.domain import audit
from tracker.domain.attention import mark_stale
from tracker.domain.once import save_once
from tracker.models import (
    Alert,
    AuditAction,
    Clearance,
    DangerReport,
    PatientProfile,
    Plan,
    Prescription,
    ReportedSymptom,
    SessionLog,
    SessionRevision,
    Source,
    User,
)
from tracker.notifications.notices import alerts_opened
from tracker.notifications.tasks import danger_alert_opened
from tracker.rules.safety import (
    AlertSpec,
    Breach,
    SessionFacts,
    assess_session,
    beyond_clearance,
    danger_alert,
    over_clearance_alert,
)


@dataclass(frozen=True)
class SessionInput:
    activity_id: int
    date: date
    minutes: int
    effort: int
    pain_before: int
    pain_after: int
    start_time: time | None = None
    distance_m: int | None = None
    distance_unit: str = "m"  # the unit typed, to show the distance back the same way
    average_heart_rate: int | None = None
    highest_heart_rate: int | None = None
    symptoms: list[str] = field(default_factory=list)
    notes: str = ""


# What a patient may change on a session they logged: every field of SessionInput.
CHANGEABLE = [f.name for f in fields(SessionInput)]


def report_danger(
    *, patient: User, signs: list[str], notes: str = "", request_key: uuid.UUID | None = None
) -> DangerReport:
    """Record danger signs and open the alert for the care team. Saved once per request key."""

    def create() -> DangerReport:
        report = DangerReport.objects.create(
            patient=patient, signs=list(signs), notes=notes, request_key=request_key
        )
        spec = danger_alert(signs)
        alert = Alert.objects.create(
            patient=patient, kind=spec.kind, message=spec.message, danger_report=report
        )
        # Queued in this transaction: with the database queue, the alert and the e-mails
        # that tell people about it are saved together or not at all.
        danger_alert_opened(alert)
        return report

    report, _ = save_once(DangerReport, request_key, create)
    return report


def _effort_max(plan_id: int, activity_id: int) -> int | None:
    return (
        Prescription.objects.filter(
            plan_id=plan_id, activity_id=activity_id, suspended_on__isnull=True
        )
        .values_list("effort_max", flat=True)
        .first()
    )


def _facts(session: SessionLog) -> SessionFacts:
    return SessionFacts(
        effort=session.effort,
        pain_before=session.pain_before,
        pain_after=session.pain_after,
        effort_max=_effort_max(session.plan_id, session.activity_id),
    )


def _earlier_sessions(session: SessionLog, count: int = 2) -> list[SessionLog]:
    """The patient's sessions just before this one, newest first."""
    return list(
        SessionLog.objects.current()
        .filter(patient_id=session.patient_id, date__lte=session.date)
        .exclude(pk=session.pk)
        .exclude(date=session.date, pk__gt=session.pk)
        .order_by("-date", "-pk")[:count]
    )


def _open_alerts(session: SessionLog, specs: list[AlertSpec]) -> list[Alert]:
    """Open the alerts this session has not raised yet. Not a second one of a kind while one
    is open, and not one a clinician has already seen: an edit that changes nothing the rules
    look at reopens nothing."""
    raised = list(session.alerts.values_list("kind", "message", "acknowledged_at"))
    open_kinds = {kind for kind, _, acknowledged in raised if acknowledged is None}
    seen = {(kind, message) for kind, message, _ in raised}
    mark_stale([session.patient_id])  # a bulk insert sends no signal
    opened = Alert.objects.bulk_create(
        Alert(patient_id=session.patient_id, kind=s.kind, message=s.message, session=session)
        for s in specs
        if s.kind not in open_kinds and (s.kind, s.message) not in seen
    )
    alerts_opened(opened)  # those who chose "at once" are e-mailed after the commit
    return opened


def _next_session(session: SessionLog) -> SessionLog | None:
    return (
        SessionLog.objects.current()
        .filter(patient_id=session.patient_id, date__gte=session.date)
        .exclude(pk=session.pk)
        .exclude(date=session.date, pk__lt=session.pk)
        .order_by("date", "pk")
        .first()
    )


def clearance_breaches(session: SessionLog) -> list[Breach]:
    """Where a session went past the clearance in force on its day (the plan's, if none is
    recorded for that day): what the patient is reminded of and the care team alerted to."""
    clearance = (
        Clearance.objects.filter(patient_id=session.patient_id)
        .current_on(session.date)
        .order_by("-cleared_on", "-pk")
        .first()
    ) or Clearance.objects.get(plans__pk=session.plan_id)
    blunted = PatientProfile.objects.filter(
        user_id=session.patient_id, heart_rate_blunted=True
    ).exists()
    found = beyond_clearance(
        minutes=session.minutes,
        average_heart_rate=session.average_heart_rate,
        highest_heart_rate=session.highest_heart_rate,
        max_session_minutes=clearance.max_session_minutes,
        max_heart_rate=clearance.max_heart_rate,
        heart_rate_blunted=blunted,
    )
    return _with_limits_now(found, session, clearance)


def _with_limits_now(
    found: list[Breach], session: SessionLog, clearance: Clearance
) -> list[Breach]:
    """The breaches, with today's limits where a newer clearance has changed them since the
    session's day: the patient is told to keep to what every page says today."""
    today = timezone.localdate()
    if not found or session.date >= today:
        return found
    now = (
        Clearance.objects.filter(patient_id=session.patient_id)
        .current_on(today)
        .order_by("-cleared_on", "-pk")
        .first()
    )
    if now is None or now.pk == clearance.pk:
        return found
    limits = {"minutes": now.max_session_minutes, "heart_rate": now.max_heart_rate}
    return [replace(b, limit_now=limits[b.measure]) for b in found]


def _assess(
    session: SessionLog, *, symptoms: list[str], known: set[str]
) -> tuple[list[Breach], list[str]]:
    """Run the rules on a session and open its alerts; returns where it went past its
    clearance, and the kinds of alert it opened. A session filled in late also changes the
    sessions-in-a-row of the one logged after it, so that one is checked too."""
    earlier = [_facts(s) for s in _earlier_sessions(session)]
    breaches = clearance_breaches(session)
    specs = assess_session(_facts(session), earlier, symptoms=symptoms, known_symptoms=known)
    # Not a danger path: the alert stays in the app, like the other kinds (no e-mail).
    beyond = over_clearance_alert(breaches)
    opened = _open_alerts(session, [*specs, beyond] if beyond else specs)
    later = _next_session(session)
    if later is not None:
        before_later = [_facts(s) for s in _earlier_sessions(later)]
        _open_alerts(later, assess_session(_facts(later), before_later))
    return breaches, [alert.kind for alert in opened]


@dataclass(frozen=True)
class LogResult:
    session: SessionLog
    created: bool
    danger_report: DangerReport | None
    # Where the session went past its clearance (empty for a repeated submission).
    beyond_clearance: list[Breach] = field(default_factory=list)
    # The kinds of alert the session opened for the care team (empty for a repeat).
    alerted: list[str] = field(default_factory=list)


def log_session(
    *,
    patient: User,
    plan: Plan,
    entry: SessionInput,
    danger_signs: list[str] = (),
    request_key: uuid.UUID | None = None,
    source: Source = Source.TYPED,
) -> LogResult:
    """Save a session, its symptoms, and every alert it opens, as `patient` logging it. A second
    submission with the same request key saves nothing more (and records nothing more) and
    returns the first session."""
    if danger_signs:
        # Before anything that could refuse or fail: the care team must hear of this.
        report = report_danger(patient=patient, signs=list(danger_signs), request_key=request_key)
    else:
        report = None

    symptoms = list(dict.fromkeys(entry.symptoms))
    breaches: list[Breach] = []
    alerted: list[str] = []

    def create() -> SessionLog:
        known = set(ReportedSymptom.objects.filter(patient=patient).values_list("code", flat=True))
        session = SessionLog.objects.create(
            patient=patient,
            plan=plan,
            activity_id=entry.activity_id,
            date=entry.date,
            start_time=entry.start_time,
            minutes=entry.minutes,
            distance_m=entry.distance_m,
            distance_unit=entry.distance_unit,
            average_heart_rate=entry.average_heart_rate,
            highest_heart_rate=entry.highest_heart_rate,
            effort=entry.effort,
            pain_before=entry.pain_before,
            pain_after=entry.pain_after,
            symptoms=symptoms,
            notes=entry.notes,
            source=source,
            request_key=request_key,
        )
        ReportedSymptom.objects.bulk_create(
            ReportedSymptom(session=session, patient=patient, code=code) for code in symptoms
        )
        breaches[:], alerted[:] = _assess(session, symptoms=symptoms, known=known)
        if report is not None:
            DangerReport.objects.filter(pk=report.pk).update(session=session)
            Alert.objects.filter(danger_report=report).update(session=session)
        audit.record(actor=patient, patient=patient, action=AuditAction.CHANGE, what="new session")
        return session

    session, created = save_once(SessionLog, request_key, create)
    return LogResult(
        session=session,
        created=created,
        danger_report=report,
        beyond_clearance=breaches if created else [],
        alerted=alerted if created else [],
    )


def _snapshot(session: SessionLog) -> dict:
    """The fields a patient can change, as JSON, for the record of changes."""
    values = {name.removesuffix("_id"): getattr(session, name) for name in CHANGEABLE}
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in values.items()
    }


def edit_session(*, session: SessionLog, by: User, entry: SessionInput) -> SessionLog:
    """Change a session as `by`, keeping what it was before; the rules run again on the new
    values."""
    with transaction.atomic():
        session = SessionLog.objects.select_for_update().get(pk=session.pk)
        SessionRevision.objects.create(
            session=session,
            action=SessionRevision.Action.EDITED,
            changed_by=by,
            before=_snapshot(session),
        )
        # Known includes what this session reported before the edit: not new any more.
        known = set(
            ReportedSymptom.objects.filter(patient_id=session.patient_id).values_list(
                "code", flat=True
            )
        )
        symptoms = list(dict.fromkeys(entry.symptoms))
        for name in CHANGEABLE:
            setattr(session, name, getattr(entry, name))
        session.save()
        ReportedSymptom.objects.filter(session=session).delete()
        ReportedSymptom.objects.bulk_create(
            ReportedSymptom(session=session, patient_id=session.patient_id, code=code)
            for code in entry.symptoms
        )
        _assess(session, symptoms=symptoms, known=known)
        audit.record(
            actor=by, patient=session.patient_id, action=AuditAction.CHANGE, what="session"
        )
    return session


def delete_session(*, session: SessionLog, by: User) -> None:
    """Take a session out of the record as `by`; what it was stays in its revisions."""
    with transaction.atomic():
        session = SessionLog.objects.select_for_update().get(pk=session.pk)
        if session.deleted_at is not None:
            return  # a second delete (a double tap) changes nothing
        SessionRevision.objects.create(
            session=session,
            action=SessionRevision.Action.DELETED,
            changed_by=by,
            before=_snapshot(session),
        )
        session.deleted_at = timezone.now()
        session.save(update_fields=["deleted_at", "updated_at"])
        audit.record(
            actor=by,
            patient=session.patient_id,
            action=AuditAction.CHANGE,
            what="deleted a session",
        )
