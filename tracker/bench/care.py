"""What the care around a bench patient's sessions leaves behind: alerts (session alerts,
the daily checks' keyed ones, a danger report now and then; at most one open per patient, kind
and key), comments, measurements and audit events. rows.py calls these for each patient."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from tracker.models import (
    Alert,
    AlertKind,
    AuditAction,
    AuditEvent,
    BodyRegion,
    Comment,
    DangerReport,
    DangerSign,
    Measurement,
    MeasurementKind,
    Site,
)

if TYPE_CHECKING:
    pass

SESSION_ALERTS = [AlertKind.PAIN, AlertKind.EFFORT, AlertKind.NEW_SYMPTOM, AlertKind.OVER_CLEARANCE]
SITES = {BodyRegion.CALF: Site.CALF, BodyRegion.UPPER_ARM: Site.UPPER_ARM}
PHYSIO_READS = [("record", "/patients/{}/"), ("progress", "/patients/{}/progress/")]
PHYSIO_CHANGES = ["plan", "new comment", "alert"]


def _alert(c, patient, kind, message, opened, *, by=None, session=None, report=None, key=""):
    acknowledged = opened + dt.timedelta(hours=c.rng.randint(1, 48)) if by else None
    c.out.add(
        Alert,
        id=c.ids.take(Alert),
        patient_id=patient.pk,
        kind=kind.value,
        message=message,
        session_id=session["id"] if session else None,
        danger_report_id=report,
        opened_at=opened,
        acknowledged_at=min(acknowledged, c.now) if acknowledged else None,
        acknowledged_by_id=by.pk if by else None,
        acknowledgement_note="Called; all well." if by else "",
        escalated_at=None,
        dedupe_key=key,
    )


def add_alerts(c, patient, team, plan, clearance, sessions, *, danger: bool) -> None:
    """Closed alerts over the months (about 12 a patient), and about two in three patients
    with one open now: the open ones are the recent ones, as in a clinic that keeps up.
    `danger`: the patient also reported danger signs with their last session."""
    rng, current = c.rng, [s for s in sessions if s["deleted_at"] is None]
    if not current:
        return
    for session in rng.sample(current, min(len(current), rng.randint(5, 13))):
        kind = rng.choice(SESSION_ALERTS)
        message = f"{kind.label} after the session on {session['date']:%-d %b}."
        _alert(c, patient, kind, message, session["created_at"], by=team[0], session=session)
    weeks = (c.today - plan["starts_on"]).days // 7
    for index in rng.sample(range(weeks), min(weeks, 2)):
        opened = c.at(plan["starts_on"] + dt.timedelta(weeks=index + 1), 6, 15)
        message = f"Week {index + 1} of the plan: fewer sessions than planned."
        key = _adherence(plan, index)
        _alert(c, patient, AlertKind.ADHERENCE, message, opened, by=team[0], key=key)

    recent = [s for s in current if (c.today - s["date"]).days < 14]
    if recent and rng.random() < 0.45:
        session = rng.choice(recent)
        message = f"Pain after the session on {session['date']:%-d %b}."
        _alert(c, patient, AlertKind.PAIN, message, session["created_at"], session=session)
    if rng.random() < 0.1:
        _checked(c, patient, AlertKind.SILENCE, "No session logged for 4 days.", "silence")
    if weeks > 2 and rng.random() < 0.08:
        message = f"Week {weeks} of the plan: fewer sessions than planned."
        _checked(c, patient, AlertKind.ADHERENCE, message, _adherence(plan, weeks - 1))
    if (clearance["valid_until"] - c.today).days <= 14:
        key = f"clearance:{clearance['id']}:expiring"
        _checked(c, patient, AlertKind.CLEARANCE, "The clearance runs out soon.", key)
    if danger:
        _danger(c, patient, team, current[-1])


def _checked(c, patient, kind, message: str, key: str) -> None:
    """An alert this morning's checks opened: one per patient, kind and key."""
    _alert(c, patient, kind, message, c.at(c.today, 6, 15), key=key)


def _danger(c, patient, team, session) -> None:
    report = c.ids.take(DangerReport)
    c.out.add(
        DangerReport,
        id=report,
        patient_id=patient.pk,
        session_id=session["id"],
        signs=[DangerSign.SEVERE_HEADACHE.value],
        notes="",
        reported_at=session["created_at"],
        request_key=None,
    )
    by = team[0] if c.rng.random() < 0.8 else None
    message = "Danger signs reported: a severe headache."
    opened = session["created_at"]
    _alert(
        c, patient, AlertKind.DANGER_SIGN, message, opened, by=by, session=session, report=report
    )


def _adherence(plan: dict, index: int) -> str:
    # Only open alerts must not share a key: the one open adherence alert is the last week's.
    return f"adherence:{plan['id']}:{index}"


def add_comments(c, patient, physio, plan, sessions) -> None:
    rng = c.rng
    for session in rng.sample(sessions, min(len(sessions), 3)):
        _comment(c, patient, physio, session["created_at"] + dt.timedelta(hours=3), session=session)
    weeks = (c.today - plan["starts_on"]).days // 7
    for index in rng.sample(range(weeks), min(weeks, 2)):
        week_of = plan["starts_on"] + dt.timedelta(weeks=index)
        _comment(c, patient, physio, c.at(week_of + dt.timedelta(days=7), 12), week_of=week_of)


def _comment(c, patient, physio, created, *, session=None, week_of=None) -> None:
    created = min(created, c.now)
    c.out.add(
        Comment,
        id=c.ids.take(Comment),
        patient_id=patient.pk,
        author_id=physio.pk,
        session_id=session["id"] if session else None,
        week_of=week_of,
        text="Good work; keep the pace steady.",
        created_at=created,
        read_at=None if c.now - created < dt.timedelta(days=7) else created + dt.timedelta(hours=5),
        request_key=None,
    )


def add_measurements(c, patient, physio, profile, first_start) -> None:
    rng, day = c.rng, first_start
    site = SITES.get(profile["affected_region"], Site.THIGH).value
    affected = Decimal(rng.randint(300, 450)) / 10
    while day <= c.today:
        common = dict(
            patient_id=patient.pk,
            measured_on=day,
            self_measured=False,
            notes="",
            recorded_by_id=physio.pk,
            recorded_at=c.at(day, 11),
            request_key=None,
        )
        c.out.add(
            Measurement,
            id=c.ids.take(Measurement),
            kind=MeasurementKind.CIRCUMFERENCE.value,
            site=site,
            affected_cm=affected,
            unaffected_cm=affected + Decimal("2.5"),
            value=None,
            **common,
        )
        c.out.add(
            Measurement,
            id=c.ids.take(Measurement),
            kind=MeasurementKind.SIX_MINUTE_WALK.value,
            site="",
            affected_cm=None,
            unaffected_cm=None,
            value=Decimal(rng.randint(200, 500)),
            **common,
        )
        affected = min(Decimal(99), affected + Decimal("0.3"))
        day += dt.timedelta(weeks=6)


def add_audit_events(c, patient, team, first_start) -> None:
    rng = c.rng
    span = (c.now - c.at(first_start)).total_seconds()
    for _ in range(rng.randint(150, 310)):
        at = c.now - dt.timedelta(seconds=rng.random() * span)
        who = rng.random()
        if who < 0.15:
            actor, action, what, path = patient, AuditAction.CHANGE, "new session", "/log/"
        elif who < 0.2:
            actor, action, what, path = c.admin, AuditAction.READ, "record", "/patients/{}/"
        elif who < 0.85:
            actor, action = rng.choice(team), AuditAction.READ
            what, path = rng.choice(PHYSIO_READS)
        else:
            actor, action, path = rng.choice(team), AuditAction.CHANGE, "/patients/{}/"
            what = rng.choice(PHYSIO_CHANGES)
        c.out.add(
            AuditEvent,
            id=c.ids.take(AuditEvent),
            at=at,
            actor_id=actor.pk,
            actor_name=actor.name,
            actor_role=actor.role,
            patient_id=patient.pk,
            action=action.value,
            what=what,
            path=path.format(patient.pk),
            address=f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        )
