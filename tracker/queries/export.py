"""A patient's own data, as rows: for their download in CSV and JSON."""

from __future__ import annotations

import re
from decimal import Decimal

from tracker.models import (
    Alert,
    AuditEvent,
    Comment,
    DangerReport,
    Measurement,
    Plan,
    SessionLog,
    User,
)

TABLES = (
    "sessions",
    "measurements",
    "plans",
    "comments",
    "danger_reports",
    "alerts",
    "access",
)
TABLE_NAMES = {
    "sessions": "sessions",
    "measurements": "measurements",
    "plans": "plans",
    "comments": "physiotherapist's comments",
    "danger_reports": "danger reports",
    "alerts": "alerts to your care team",
    "access": "record of who opened your data",
}

# The columns of each table, in order: a download of a table with no rows still has them.
COLUMNS = {
    "sessions": (
        "date",
        "start_time",
        "activity",
        "minutes",
        "distance_m",
        "average_heart_rate_bpm",
        "highest_heart_rate_bpm",
        "effort_borg",
        "pain_before",
        "pain_after",
        "pain_next_morning",
        "symptoms",
        "notes",
    ),
    "measurements": (
        "date",
        "test",
        "site",
        "affected_cm",
        "healthy_cm",
        "result",
        "unit",
        "self_measured",
        "notes",
    ),
    "plans": ("title", "status", "starts_on", "cleared_by", "clearance_valid_until", "activities"),
    "comments": ("date", "from", "about", "text"),
    "danger_reports": ("reported", "signs", "notes"),
    "alerts": (
        "opened",
        "kind",
        "message",
        "session",
        "status",
        "handled_by",
        "handled_at",
        "note",
    ),
    "access": ("at", "who", "role", "action", "what", "address"),
}

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def spreadsheet_cell(value):
    """What a spreadsheet should see for one value: numbers and dates as they are, empty as
    empty, and text that would run as a formula marked as text with a leading apostrophe."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if NUMBER.fullmatch(value):
        return value  # a negative number is a number, not a formula
    return "'" + value


def csv_cell(value):
    """One value in the CSV: nothing given is an empty cell."""
    return "" if value is None else spreadsheet_cell(value)


def json_value(value):
    """One value in the JSON: nothing given (no value, no text) is null, a measured number
    is a number (402, 31.5), not a string."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def json_data(data: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {
        table: [{key: json_value(value) for key, value in row.items()} for row in rows]
        for table, rows in data.items()
    }


def _when(moment) -> str | None:
    return moment.isoformat(timespec="minutes") if moment else None


def access_events(patient: User):
    """Who else read, changed or downloaded the patient's record, newest first."""
    return AuditEvent.objects.filter(patient=patient).exclude(actor=patient).order_by("-at", "-pk")


def danger_reports(patient: User):
    return DangerReport.objects.filter(patient=patient).order_by("reported_at", "pk")


def alerts(patient: User):
    return (
        Alert.objects.filter(patient=patient)
        .select_related("acknowledged_by", "session__activity")
        .order_by("opened_at", "pk")
    )


def alert_row(a: Alert) -> dict:
    return {
        "opened": _when(a.opened_at),
        "kind": a.get_kind_display(),
        "message": a.message,
        "session": a.session.date.isoformat() if a.session else None,
        "status": "open" if a.is_open else "acknowledged",
        "handled_by": a.acknowledged_by.get_full_name() if a.acknowledged_by else None,
        "handled_at": _when(a.acknowledged_at),
        "note": a.acknowledgement_note,
    }


def patient_data(patient: User) -> dict[str, list[dict]]:
    """Everything the patient logged or was given, one list of plain rows per table (the
    columns of COLUMNS); None where nothing was given, numbers as numbers."""
    sessions = (
        SessionLog.objects.current()
        .filter(patient=patient)
        .select_related("activity")
        .order_by("date", "pk")
    )
    plans = (
        Plan.objects.filter(patient=patient)
        .select_related("clearance")
        .prefetch_related("prescriptions__activity")
        .order_by("starts_on", "pk")
    )
    return {
        "sessions": [
            {
                "date": s.date.isoformat(),
                "start_time": s.start_time.isoformat() if s.start_time else None,
                "activity": s.activity.name,
                "minutes": s.minutes,
                "distance_m": s.distance_m,
                "average_heart_rate_bpm": s.average_heart_rate,
                "highest_heart_rate_bpm": s.highest_heart_rate,
                "effort_borg": s.effort,
                "pain_before": s.pain_before,
                "pain_after": s.pain_after,
                "pain_next_morning": s.pain_next_morning,
                "symptoms": "; ".join(s.symptom_labels),
                "notes": s.notes,
            }
            for s in sessions
        ],
        "measurements": [
            {
                "date": m.measured_on.isoformat(),
                "test": m.get_kind_display(),
                "site": m.get_site_display() if m.site else None,
                "affected_cm": m.affected_cm,
                "healthy_cm": m.unaffected_cm,
                "result": m.value,
                "unit": m.unit,
                "self_measured": m.self_measured,
                "notes": m.notes,
            }
            for m in Measurement.objects.filter(patient=patient).order_by("measured_on", "pk")
        ],
        "plans": [
            {
                "title": p.title,
                "status": p.get_status_display(),
                "starts_on": p.starts_on.isoformat(),
                "cleared_by": p.clearance.physician_name,
                "clearance_valid_until": p.clearance.valid_until.isoformat(),
                "activities": "; ".join(
                    f"{x.activity.name} {x.sessions_per_week}x/week {x.start_minutes}-"
                    f"{x.max_minutes} min"
                    for x in p.prescriptions.all()
                ),
            }
            for p in plans
        ],
        "comments": [
            {
                "date": c.created_at.date().isoformat(),
                "from": c.author.get_full_name(),
                "about": c.session.date.isoformat() if c.session else f"week of {c.week_of}",
                "text": c.text,
            }
            for c in Comment.objects.filter(patient=patient)
            .select_related("author", "session")
            .order_by("created_at")
        ],
        "danger_reports": [
            {
                "reported": _when(d.reported_at),
                "signs": "; ".join(d.sign_labels),
                "notes": d.notes,
            }
            for d in danger_reports(patient)
        ],
        "alerts": [alert_row(a) for a in alerts(patient)],
        "access": [
            {
                "at": _when(e.at),
                "who": e.actor_name,
                "role": e.actor_role,
                "action": e.get_action_display().lower(),
                "what": e.what,
                "address": e.address or None,
            }
            for e in access_events(patient).order_by("at", "pk")
        ],
    }
