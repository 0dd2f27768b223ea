"""Reminder rules, plain values: which weekdays a reminder's bits name, and whether one is due.

`Reminder.weekdays` holds Monday as 1, Tuesday as 2, ... Sunday as 64. A reminder is due on
one of its days from its time until LATE_BY after it: a worker that was down, or a reminder
saved at 15:00 for 08:00, sends nothing hours late. The window stays within its day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LATE_BY = dt.timedelta(hours=2)


def weekday_bit(day: dt.date) -> int:
    """The bit of `day`'s weekday: Monday 1 ... Sunday 64."""
    return 1 << day.weekday()


def bits_of(weekdays: Iterable[int]) -> int:
    """The bitmask of weekdays given as 0 (Monday) to 6 (Sunday)."""
    return sum({1 << day for day in weekdays})


def weekdays_of(bits: int) -> list[int]:
    """The weekdays, 0 (Monday) to 6 (Sunday), that `bits` names, in order."""
    return [day for day in range(7) if bits & (1 << day)]


def due_times(now: dt.datetime) -> tuple[int, dt.time | None, dt.time]:
    """For the local moment `now`: today's weekday bit, and the times a reminder due now may
    be set for: after the first (None: from midnight) and up to the second."""
    earliest = now - LATE_BY
    after = earliest.time() if earliest.date() == now.date() else None
    return weekday_bit(now.date()), after, now.time()


def is_due(*, bits: int, at: dt.time, now: dt.datetime) -> bool:
    """Whether a reminder on `bits` at `at` is due at the local moment `now`."""
    bit, after, latest = due_times(now)
    return bool(bits & bit) and (after is None or at > after) and at <= latest


def calendar_weekdays(*, is_on: bool, bits: int) -> list[int]:
    """The weekdays the plan calendar puts sessions on: the reminder's, while it is on."""
    return weekdays_of(bits) if is_on else []


def sessions_fit_days(sessions: int, days: int) -> bool:
    """Whether a week's `sessions` can each have one of `days` chosen days (one a day)."""
    return 0 < sessions <= days
