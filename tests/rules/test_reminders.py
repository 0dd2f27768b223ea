"""Reminder rules: weekday bits, and when a reminder is due (from its time until two hours
after, within its own day)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from tracker.rules.reminders import LATE_BY, bits_of, is_due, weekday_bit, weekdays_of

LONDON = ZoneInfo("Europe/London")
WEDNESDAY = dt.date(2026, 12, 2)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(WEDNESDAY, dt.time(hour, minute), tzinfo=LONDON)


def test_monday_is_1_and_sunday_64():
    assert weekday_bit(dt.date(2026, 11, 30)) == 1
    assert weekday_bit(WEDNESDAY) == 4
    assert weekday_bit(dt.date(2026, 12, 6)) == 64


@given(st.sets(st.integers(min_value=0, max_value=6)))
def test_bits_and_weekdays_are_the_same_days(days):
    assert weekdays_of(bits_of(days)) == sorted(days)
    assert 0 <= bits_of(days) <= 127


def test_due_from_its_time_until_two_hours_after():
    wednesday = bits_of([2])
    eight = dt.time(8, 0)
    assert [is_due(bits=wednesday, at=eight, now=at(h, m)) for h, m in [
        (7, 59), (8, 0), (9, 59), (10, 0), (15, 0)
    ]] == [False, True, True, False, False]  # fmt: skip


def test_not_due_on_another_day():
    assert is_due(bits=bits_of([0, 1, 3, 4, 5, 6]), at=dt.time(8), now=at(8, 30)) is False


def test_just_after_midnight_the_window_starts_at_midnight():
    assert is_due(bits=bits_of([2]), at=dt.time(0, 0), now=at(0, 10)) is True
    assert is_due(bits=bits_of([2]), at=dt.time(23, 30), now=at(0, 10)) is False


@given(
    st.times(),
    st.times(),
    st.sets(st.integers(min_value=0, max_value=6), min_size=1),
)
def test_due_exactly_when_the_time_has_come_and_is_not_two_hours_past(time, now_time, days):
    now = dt.datetime.combine(WEDNESDAY, now_time, tzinfo=LONDON)
    set_for = dt.datetime.combine(WEDNESDAY, time, tzinfo=LONDON)
    expected = 2 in days and set_for <= now and (now - set_for < LATE_BY)
    assert is_due(bits=bits_of(days), at=time, now=now) is expected
