"""Demo Patient-Specific Functional Scale histories."""

from __future__ import annotations

import datetime as dt

from tracker.models import Plan, User


def add_demo_psfs(*, patient: User, plan: Plan, today: dt.date, number: int) -> None:
    """To be written with issue 17's functional scale (models/psfs.py)."""
