"""How long a patient may change or delete a session they logged: a week from logging it.
After that the record stands, and only the care team corrects it."""

from __future__ import annotations

import datetime as dt

from tracker.models import SessionLog

EDIT_WINDOW = dt.timedelta(days=7)

WINDOW_CLOSED = (
    "Sessions can be changed for 7 days after logging. Ask your physiotherapist to "
    "correct an older one."
)


def can_change(session: SessionLog, now: dt.datetime) -> bool:
    """Whether the patient may still change or delete `session` at `now`: counted from when it
    was logged, not from the day it was for, so a session filled in late gets its week too."""
    return now - session.created_at <= EDIT_WINDOW
