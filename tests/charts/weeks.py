"""Weeks for the chart tests: one a week from Monday 5 January 2026."""

from __future__ import annotations

import datetime as dt

from tracker.rules.progress import Week

FIRST_MONDAY = dt.date(2026, 1, 5)


def week(index: int, minutes: int = 60, target: int = 90, **fields) -> Week:
    return Week(
        start=FIRST_MONDAY + dt.timedelta(weeks=index),
        minutes=minutes,
        sessions=3,
        target_minutes=target,
        target_sessions=4,
        effort=fields.get("effort"),
        pain_after=fields.get("pain_after"),
        pain_peak=None,
        met_minutes=0,
    )
