"""The PDF's file: what it is called. What it says is queries/report.py's `report_context`,
the same reads the browser's print view shows."""

from __future__ import annotations

import datetime as dt

from django.utils.text import slugify

from tracker.models import User


def file_name(patient: User, *, on: dt.date) -> str:
    """The download's name: the patient and the day, in letters any system can keep
    ("progress-report-anna-novak-2026-12-02.pdf")."""
    name = slugify(patient.display_name) or f"patient-{patient.pk}"
    return f"progress-report-{name}-{on.isoformat()}.pdf"
