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
    # Gardening was dropped and bus steps added: only the stairs were rated in the first and
    # the latest round, 2 then 6 (the rounds' averages, 3.0 and 4.5, mix different activities).
    assert result.average_change.words == (
        "Up 4 points since the first rating: a meaningful change"
    )


def test_history_of_nothing_is_none():
    assert history([]) is None


# Review item 3: the average change compares the same activities, on unrounded means.
def test_a_changed_set_compares_only_the_activities_rated_both_times():
    # Stairs 2 and shopping 4 (average 3.0); then stairs dropped, shopping 4, gardening 8
    # (average 6.0). Only the shopping was rated both times, and it did not move.
    one, two = dt.date(2026, 11, 2), dt.date(2026, 11, 30)
    result = history(
        [
            Rating(1, one, 10, "Stairs", two, 2),
            Rating(1, one, 11, "Shopping", None, 4),
            Rating(2, two, 11, "Shopping", None, 4),
            Rating(2, two, 12, "Gardening", None, 8),
        ]
    )
    assert result.rounds == ((one, Decimal("3.0")), (two, Decimal("6.0")))
    assert result.average_change.amount == 0
    assert result.average_change.words == "No change since the first rating"
    compared = result.comparison
    assert (compared.count, compared.same_activities) == (1, False)
    assert (compared.first_average, compared.latest_average) == (Decimal(4), Decimal(4))


def test_the_change_is_taken_on_unrounded_means_of_the_shared_activities():
    # First: 2, 2, 3 (7/3, shown 2.3). Latest: 4, 4, 4 and a new one at 5 (17/4, shown 4.3).
    # Rounded averages would say up 2.0, meaningful; the three rated both times went from
    # 7/3 to 12/3, up 5/3 = 1.67, within the margin.
    one, two = dt.date(2026, 11, 2), dt.date(2026, 11, 30)
    result = history(
        [
            Rating(1, one, 10, "Stairs", None, 2),
            Rating(1, one, 11, "Shopping", None, 2),
            Rating(1, one, 12, "Kneeling", None, 3),
            Rating(2, two, 10, "Stairs", None, 4),
            Rating(2, two, 11, "Shopping", None, 4),
            Rating(2, two, 12, "Kneeling", None, 4),
            Rating(2, two, 13, "Gardening", None, 5),
        ]
    )
    assert result.rounds == ((one, Decimal("2.3")), (two, Decimal("4.3")))
    assert result.average_change.amount == Decimal(5) / Decimal(3)
    assert result.average_change.meaningful is False
    assert result.average_change.words == (
        "Up 1.7 points since the first rating: within the scale's margin"
    )
    compared = result.comparison
    assert (compared.count, compared.same_activities) == (3, False)
    assert (compared.first_average, compared.latest_average) == (Decimal("2.3"), Decimal("4.0"))


def test_the_same_activities_each_time_compare_all_of_them():
    one, two = dt.date(2026, 11, 2), dt.date(2026, 11, 30)
    result = history(
        [
            Rating(1, one, 10, "Stairs", None, 2),
            Rating(1, one, 11, "Shopping", None, 2),
            Rating(1, one, 12, "Kneeling", None, 3),
            Rating(2, two, 10, "Stairs", None, 4),
            Rating(2, two, 11, "Shopping", None, 5),
            Rating(2, two, 12, "Kneeling", None, 4),
        ]
    )
    assert result.average_change.amount == 2  # 13/3 - 7/3, exactly the margin
    assert result.average_change.words == (
        "Up 2 points since the first rating: a meaningful change"
    )
    compared = result.comparison
    assert (compared.count, compared.same_activities) == (3, True)


def test_no_activity_rated_both_times_gives_no_average_change():
    one, two = dt.date(2026, 11, 2), dt.date(2026, 11, 30)
    result = history(
        [Rating(1, one, 10, "Stairs", two, 2), Rating(2, two, 11, "Gardening", None, 8)]
    )
    assert (result.comparison, result.average_change) == (None, None)


def test_one_round_has_no_comparison():
    result = history([Rating(1, START, 10, "Stairs", None, 2)])
    assert (result.comparison, result.average_change) == (None, None)
