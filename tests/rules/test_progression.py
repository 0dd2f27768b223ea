"""Progression: how a prescription's minutes per session grow, hold and stop at a ceiling."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import example, given
from hypothesis import strategies as st

from tracker.rules.progression import (
    WeekTarget,
    growth_steps,
    target_minutes,
    week_target,
)

# A year of weeks; held[0] is the plan's first week, which never grows anyway.
held_weeks = st.lists(st.booleans(), min_size=1, max_size=53)
rates = st.integers(min_value=0, max_value=25)
session_caps = st.integers(min_value=5, max_value=240)


@st.composite
def start_and_maximum(draw: st.DrawFn) -> tuple[int, int]:
    start = draw(st.integers(min_value=1, max_value=240))
    maximum = draw(st.integers(min_value=start, max_value=240))
    return start, maximum


def make_target(**overrides) -> WeekTarget:
    fields = {
        "week": 3,
        "minutes": 13,
        "start": 10,
        "maximum": 30,
        "session_cap": 30,
        "weekly_rate_percent": 10,
        "steps": 3,
        "held_reasons": (),
    }
    return WeekTarget(**(fields | overrides))


def weekly_targets(
    *, start: int, maximum: int, weekly_rate_percent: int, session_cap: int, held: list[bool]
) -> list[int]:
    """The target of every week 0..len(held)-1, as the pages reckon each one."""
    return [
        week_target(
            start=start,
            maximum=maximum,
            weekly_rate_percent=weekly_rate_percent,
            session_cap=session_cap,
            week=week,
            held=held,
        ).minutes
        for week in range(len(held))
    ]


# Properties -------------------------------------------------------------------------------


@given(start_and_maximum(), rates, session_caps, held_weeks)
def test_weekly_targets_never_above_maximum_or_session_cap(limits, rate, cap, held):
    start, maximum = limits

    targets = weekly_targets(
        start=start, maximum=maximum, weekly_rate_percent=rate, session_cap=cap, held=held
    )

    assert max(targets) <= min(maximum, cap)


@given(start_and_maximum(), rates, session_caps, held_weeks)
def test_weekly_targets_never_decrease_week_over_week(limits, rate, cap, held):
    start, maximum = limits

    targets = weekly_targets(
        start=start, maximum=maximum, weekly_rate_percent=rate, session_cap=cap, held=held
    )

    assert all(later >= earlier for earlier, later in pairwise(targets))


@given(start_and_maximum(), rates, session_caps, held_weeks)
def test_weekly_targets_are_flat_in_a_held_week(limits, rate, cap, held):
    start, maximum = limits

    targets = weekly_targets(
        start=start, maximum=maximum, weekly_rate_percent=rate, session_cap=cap, held=held
    )

    held_weeks_after_first = [week for week in range(1, len(held)) if held[week]]
    assert [targets[week] for week in held_weeks_after_first] == [
        targets[week - 1] for week in held_weeks_after_first
    ]


@given(start_and_maximum(), rates, session_caps, held_weeks)
def test_weekly_targets_week_zero_is_start_within_the_caps(limits, rate, cap, held):
    start, maximum = limits

    targets = weekly_targets(
        start=start, maximum=maximum, weekly_rate_percent=rate, session_cap=cap, held=held
    )

    assert targets[0] == min(start, maximum, cap)


@given(start_and_maximum(), rates, session_caps, held_weeks)
def test_weekly_targets_one_per_week_of_held(limits, rate, cap, held):
    start, maximum = limits

    targets = weekly_targets(
        start=start, maximum=maximum, weekly_rate_percent=rate, session_cap=cap, held=held
    )

    assert len(targets) == len(held)


@given(start_and_maximum(), rates, session_caps, held_weeks)
# 100 * 1.15 is 114.99999999999999 in floating point; exactly 115.
@example((100, 240), 15, 240, [False, False])
def test_weekly_targets_match_whole_number_compound_growth(limits, rate, cap, held):
    # An independent reference in integers only: floor(start * (100 + r)^s / 100^s).
    start, maximum = limits

    targets = weekly_targets(
        start=start, maximum=maximum, weekly_rate_percent=rate, session_cap=cap, held=held
    )

    expected = []
    steps = 0
    for week, is_held in enumerate(held):
        if week > 0 and not is_held:
            steps += 1
        grown = start * (100 + rate) ** steps // 100**steps
        expected.append(min(grown, maximum, cap))
    assert targets == expected


@given(start_and_maximum(), rates, session_caps, held_weeks, st.integers(0, 60))
def test_weeks_past_the_end_of_the_holds_grow(limits, rate, cap, held, week):
    start, maximum = limits
    padded = list(held) + [False] * (week + 1 - len(held))

    target = week_target(
        start=start,
        maximum=maximum,
        weekly_rate_percent=rate,
        session_cap=cap,
        week=week,
        held=held,
    )

    assert (
        target.minutes
        == weekly_targets(
            start=start, maximum=maximum, weekly_rate_percent=rate, session_cap=cap, held=padded
        )[week]
    )


# Examples worked by hand ------------------------------------------------------------------


def test_weekly_targets_ten_percent_from_ten_to_thirty_rounds_down():
    # 10 * 1.1^k: 10, 11, 12.1, 13.31, 14.64, 16.11, 17.72, 19.49, 21.44, 23.58, 25.94,
    # 28.53, 31.38 (over the maximum of 30).
    targets = weekly_targets(
        start=10, maximum=30, weekly_rate_percent=10, session_cap=30, held=[False] * 13
    )

    assert targets == [10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 30]


def test_weekly_targets_held_weeks_repeat_the_week_before():
    # Weeks 2 and 3 held: week 4 takes the second step (12), not the fourth (14).
    held = [False, False, True, True, False, False]

    targets = weekly_targets(
        start=10, maximum=30, weekly_rate_percent=10, session_cap=30, held=held
    )

    assert targets == [10, 11, 11, 11, 12, 13]


def test_weekly_targets_session_cap_below_maximum_stops_growth_at_cap():
    # 20, 22, 24.2, 26.62, 29.28 -> capped at the clearance's 25.
    targets = weekly_targets(
        start=20, maximum=60, weekly_rate_percent=10, session_cap=25, held=[False] * 5
    )

    assert targets == [20, 22, 24, 25, 25]


def test_weekly_targets_zero_rate_stays_at_start():
    targets = weekly_targets(
        start=15, maximum=40, weekly_rate_percent=0, session_cap=40, held=[False] * 4
    )

    assert targets == [15, 15, 15, 15]


def test_weekly_targets_start_above_session_cap_begins_at_cap():
    targets = weekly_targets(
        start=45, maximum=60, weekly_rate_percent=10, session_cap=30, held=[False] * 3
    )

    assert targets == [30, 30, 30]


def test_target_minutes_exact_growth_is_not_rounded_down_by_float_error():
    # In floating point 100 * 1.15 is 114.99999999999999; the exact answer is 115.
    minutes = target_minutes(
        start=100, maximum=240, weekly_rate_percent=15, session_cap=240, steps=1
    )

    assert minutes == 115


def test_target_minutes_small_start_can_stay_flat_after_rounding():
    # 5 * 1.1 = 5.5 -> 5; 5 * 1.21 = 6.05 -> 6.
    assert [
        target_minutes(start=5, maximum=30, weekly_rate_percent=10, session_cap=30, steps=steps)
        for steps in (0, 1, 2)
    ] == [5, 5, 6]


def test_growth_steps_counts_unheld_weeks_after_the_first():
    held = [True, False, True, False]

    assert [growth_steps(held, week) for week in range(6)] == [0, 1, 1, 2, 3, 4]


def test_growth_steps_weeks_past_held_are_not_held():
    assert growth_steps([False, True], 5) == 4


def test_week_target_records_inputs_and_steps():
    target = week_target(
        start=10,
        maximum=30,
        weekly_rate_percent=10,
        session_cap=25,
        week=5,
        held=[False, False, True, False, False, False],
        held_reasons=["An alert is open."],
    )

    assert target == WeekTarget(
        week=5,
        minutes=14,
        start=10,
        maximum=30,
        session_cap=25,
        weekly_rate_percent=10,
        steps=4,
        held_reasons=("An alert is open.",),
    )


# WeekTarget ------------------------------------------------------------------------------


def test_week_target_is_held_with_a_reason():
    assert make_target(held_reasons=("Last week's adherence was under target.",)).is_held is True


def test_week_target_is_not_held_without_reasons():
    assert make_target(held_reasons=()).is_held is False


def test_week_target_at_ceiling_when_minutes_reach_maximum():
    assert make_target(minutes=30, maximum=30, session_cap=45).at_ceiling is True


def test_week_target_at_ceiling_when_minutes_reach_session_cap():
    assert make_target(minutes=25, maximum=30, session_cap=25).at_ceiling is True


def test_week_target_not_at_ceiling_below_both_caps():
    assert make_target(minutes=24, maximum=30, session_cap=25).at_ceiling is False


def test_week_target_capped_by_clearance_when_cap_below_maximum_is_reached():
    assert make_target(minutes=25, maximum=30, session_cap=25).capped_by_clearance is True


def test_week_target_not_capped_by_clearance_below_the_cap():
    assert make_target(minutes=24, maximum=30, session_cap=25).capped_by_clearance is False


def test_week_target_not_capped_by_clearance_when_maximum_is_the_ceiling():
    assert make_target(minutes=30, maximum=30, session_cap=45).capped_by_clearance is False


def test_week_target_not_capped_by_clearance_when_cap_equals_maximum():
    assert make_target(minutes=30, maximum=30, session_cap=30).capped_by_clearance is False


def test_week_target_from_growth_reports_clearance_cap():
    target = week_target(
        start=20, maximum=60, weekly_rate_percent=10, session_cap=25, week=3, held=[False] * 4
    )

    assert (target.minutes, target.at_ceiling, target.capped_by_clearance) == (25, True, True)
