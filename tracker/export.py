"""A patient's own data, as rows: for their download in CSV and JSON."""

from __future__ import annotations

from tracker.models import Comment, Measurement, Plan, SessionLog, User

TABLES = ("sessions", "measurements", "plans", "comments")


def patient_data(patient: User) -> dict[str, list[dict]]:
    """Everything the patient logged or was given, one list of plain rows per table."""
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
                "start_time": s.start_time.isoformat() if s.start_time else "",
                "activity": s.activity.name,
                "minutes": s.minutes,
                "distance_m": s.distance_m if s.distance_m is not None else "",
                "effort_borg": s.effort,
                "pain_before": s.pain_before,
                "pain_after": s.pain_after,
                "symptoms": "; ".join(s.symptom_labels),
                "notes": s.notes,
            }
            for s in sessions
        ],
        "measurements": [
            {
                "date": m.measured_on.isoformat(),
                "test": m.get_kind_display(),
                "site": m.get_site_display() if m.site else "",
                "affected_cm": str(m.affected_cm) if m.affected_cm is not None else "",
                "healthy_cm": str(m.unaffected_cm) if m.unaffected_cm is not None else "",
                "result": str(m.value) if m.value is not None else "",
                "unit": m.unit,
                "self_measured": m.self_measured,
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
    }
