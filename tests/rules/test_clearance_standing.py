"""Where a clearance stands on a day (tracker/rules/clearances.standing): in force,
superseded, running out; as the patient's record badges it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.rules.clearances import Standing, standing
from tracker.rules.thresholds import CLEARANCE_WARNING_DAYS

TODAY = dt.date(2026, 12, 2)


def on_today(cleared: int, until: int, superseded: int | None = None) -> Standing:
    """Days relative to TODAY (negative: before it)."""
    return standing(
        cleared_on=TODAY + dt.timedelta(days=cleared),
        valid_until=TODAY + dt.timedelta(days=until),
        superseded_on=None if superseded is None else TODAY + dt.timedelta(days=superseded),
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ((-30, 90), Standing(superseded=False, current=True, days_left=90, expiring=False)),
        (
            (-30, CLEARANCE_WARNING_DAYS),
            Standing(superseded=False, current=True, days_left=14, expiring=True),
        ),
        ((-30, 0), Standing(superseded=False, current=True, days_left=0, expiring=True)),
        ((-30, -1), Standing(superseded=False, current=False, days_left=-1, expiring=False)),
        ((3, 90), Standing(superseded=False, current=False, days_left=90, expiring=False)),
        ((-30, 5, 0), Standing(superseded=True, current=False, days_left=5, expiring=False)),
        ((-30, 5, 1), Standing(superseded=False, current=True, days_left=5, expiring=True)),
    ],
    ids=[
        "in force",
        "runs out in the warning days",
        "last day",
        "run out",
        "not yet valid",
        "superseded from today",
        "superseded from tomorrow",
    ],
)
def test_standing_of_a_clearance_today(days, expected):
    assert on_today(*days) == expected


@given(
    cleared=st.integers(-400, 400),
    length=st.integers(0, 800),
    superseded=st.none() | st.integers(-400, 400),
)
def test_standing_expiring_only_while_current_and_current_only_when_not_superseded(
    cleared, length, superseded
):
    now = on_today(cleared, cleared + length, superseded)

    assert not now.expiring or (now.current and now.days_left <= CLEARANCE_WARNING_DAYS)
    assert not (now.current and now.superseded)
    assert now.current == (cleared <= 0 <= cleared + length and not now.superseded)
