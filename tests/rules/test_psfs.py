"""The Patient-Specific Functional Scale's rules: when it is asked, the average, and the
minimal detectable change (2 on the average, 3 on one activity)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.rules.psfs import (
    ACTIVITY_MDC,
    AVERAGE_MDC,
    Rating,
    average,
    change,
    history,
    is_due,
    next_due,
)

START = dt.date(2026, 11, 2)


def due(today, last=None, *, active=True, every=4):
    return is_due(
        plan_active=active,
        plan_starts_on=START,
        every_weeks=every,
        last_rated_on=last,
        today=today,
    )


def test_first_round_is_due_from_the_plan_start():
    assert [due(START - dt.timedelta(days=1)), due(START), due(START + dt.timedelta(days=30))] == [
        False,
        True,
        True,
    ]


def test_next_round_is_due_the_interval_after_the_last():
    last = dt.date(2026, 11, 4)
    assert next_due(plan_starts_on=START, every_weeks=4, last_rated_on=last) == dt.date(2026, 12, 2)
    assert [due(dt.date(2026, 12, 1), last), due(dt.date(2026, 12, 2), last)] == [False, True]
    assert due(dt.date(2026, 11, 18), last, every=2) is True


def test_not_asked_without_an_active_plan():
    assert due(dt.date(2026, 12, 2), active=False) is False


def test_average_to_one_decimal_halves_up():
    assert [average([3, 4]), average([1, 2, 2]), average([10]), average([])] == [
        Decimal("3.5"),
        Decimal("1.7"),
        Decimal("10.0"),
        None,
    ]


@pytest.mark.parametrize(
    ("first", "latest", "detectable", "meaningful", "words"),
    [
        (
            "3.0",
            "5.0",
            AVERAGE_MDC,
            True,
            "Up 2 points since the first rating: a meaningful change",
        ),
        (
            "3.0",
            "4.9",
            AVERAGE_MDC,
            False,
            "Up 1.9 points since the first rating: within the scale's margin",
        ),
        (
            "5.0",
            "3.0",
            AVERAGE_MDC,
            True,
            "Down 2 points since the first rating: a meaningful change",
        ),
        (2, 5, ACTIVITY_MDC, True, "Up 3 points since the first rating: a meaningful change"),
        (
            2,
            4,
            ACTIVITY_MDC,
            False,
            "Up 2 points since the first rating: within the scale's margin",
        ),
        (
            6,
            5,
            ACTIVITY_MDC,
            False,
            "Down 1 point since the first rating: within the scale's margin",
        ),
        (4, 4, ACTIVITY_MDC, False, "No change since the first rating"),
    ],
)
def test_change_against_the_minimal_detectable_change(first, latest, detectable, meaningful, words):
    result = change(Decimal(first), Decimal(latest), detectable=detectable)
    assert (result.meaningful, result.words) == (meaningful, words)


@given(st.integers(0, 10), st.integers(0, 10))
def test_an_activity_change_is_meaningful_exactly_from_3_points(first, latest):
    assert change(first, latest, detectable=ACTIVITY_MDC).meaningful is (abs(latest - first) >= 3)


def test_history_gives_each_activity_over_time_and_each_round_average():
    one, two, three = dt.date(2026, 11, 2), dt.date(2026, 11, 30), dt.date(2026, 12, 28)
    rows = [
        Rating(1, one, 10, "Stairs", None, 2),
        Rating(1, one, 11, "Gardening", three, 4),
        Rating(2, two, 10, "Stairs", None, 4),
        Rating(2, two, 11, "Gardening", three, 5),
        Rating(3, three, 10, "Stairs", None, 6),
        Rating(3, three, 12, "Bus steps", None, 3),
    ]
    result = history(rows)
    assert [(a.name, a.points, a.dropped_on) for a in result.activities] == [
        ("Stairs", ((one, 2), (two, 4), (three, 6)), None),
        ("Gardening", ((one, 4), (two, 5)), three),
        ("Bus steps", ((three, 3),), None),
    ]
    assert result.rounds == ((one, Decimal("3.0")), (two, Decimal("4.5")), (three, Decimal("4.5")))
    assert [a.change and a.change.meaningful for a in result.activities] == [True, False, None]
    assert result.average_change.words == (
        "Up 1.5 points since the first rating: within the scale's margin"
    )


def test_history_of_nothing_is_none():
    assert history([]) is None
