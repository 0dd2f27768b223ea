"""Demo sessions imported from a watch or phone: one GPX, one TCX and one FIT file."""

from __future__ import annotations

import datetime as dt

from tracker.models import Plan, User


def add_demo_imports(*, patient: User, plan: Plan, today: dt.date, number: int) -> None:
    """To be written with issue 17's import (integrations/activity_files/)."""
