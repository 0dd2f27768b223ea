"""How far back a session may be logged: the log form, an imported file and the daily
clearing of files left waiting all use this one window."""

from __future__ import annotations

import datetime as dt

DAYS_BACK = 7


def earliest_day(today: dt.date) -> dt.date:
    """The oldest day a session may be logged for on `today`."""
    return today - dt.timedelta(days=DAYS_BACK)
