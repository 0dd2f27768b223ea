"""tracker.rules.editing: the week in which a patient may change or delete a session."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tracker.models import SessionLog
from tracker.rules.editing import EDIT_WINDOW, can_change

LOGGED = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


def logged_at(moment: dt.datetime) -> SessionLog:
    return SessionLog(created_at=moment, date=moment.date())


def test_can_change_just_logged():
    assert can_change(logged_at(LOGGED), LOGGED) is True


def test_can_change_at_the_end_of_the_week():
    assert can_change(logged_at(LOGGED), LOGGED + dt.timedelta(days=7)) is True


def test_can_change_a_second_after_the_week_is_refused():
    assert can_change(logged_at(LOGGED), LOGGED + dt.timedelta(days=7, seconds=1)) is False


def test_can_change_counts_from_logging_not_from_the_session_day():
    late = SessionLog(created_at=LOGGED, date=LOGGED.date() - dt.timedelta(days=30))

    assert can_change(late, LOGGED + dt.timedelta(days=6)) is True


@given(st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=60)))
def test_can_change_is_exactly_the_window(elapsed):
    assert can_change(logged_at(LOGGED), LOGGED + elapsed) is (elapsed <= EDIT_WINDOW)
