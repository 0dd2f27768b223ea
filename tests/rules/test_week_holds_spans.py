"""week_holds works out each alert's and hold's weeks at once; it must hold exactly the weeks
the rule's plain wording names, for any spans (including spans before the plan, open ones,
and ones ending on a week's first day)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tracker.rules.plans import week_holds

START = dt.date(2026, 1, 5)


def plainly_held(week: int, alerts, manual) -> list[tuple[bool, bool]]:
    """For weeks 1..week: (an alert was open from the week before's start to the week's first
    day, a manual hold had begun by the week's first day and not ended on it)."""
    out = []
    for w in range(1, week + 1):
        week_start = START + dt.timedelta(weeks=w)
        previous_start = week_start - dt.timedelta(weeks=1)
        out.append(
            (
                any(o <= week_start and (c is None or c >= previous_start) for o, c in alerts),
                any(s <= week_start and (e is None or e > week_start) for s, e in manual),
            )
        )
    return out


days = st.integers(min_value=-30, max_value=400).map(lambda n: START + dt.timedelta(days=n))
spans = st.lists(
    st.tuples(days, st.one_of(st.none(), st.integers(0, 60))).map(
        lambda t: (t[0], None if t[1] is None else t[0] + dt.timedelta(days=t[1]))
    ),
    max_size=6,
)


@given(week=st.integers(0, 60), alerts=spans, manual=spans)
def test_week_holds_holds_the_weeks_the_plain_rule_names(week, alerts, manual):
    holds = week_holds(
        starts_on=START,
        week=week,
        supervised=False,
        alert_spans=alerts,
        sessions_by_week={},
        target_sessions=0,
        manual_spans=manual,
    )

    expected = plainly_held(week, alerts, manual)
    assert holds.held == (False, *(alert or hold for alert, hold in expected))
    if week:
        alert, hold = expected[-1]
        assert ("Held while" in " ".join(holds.reasons)) == alert
        assert ("Held by your physiotherapist" in " ".join(holds.reasons)) == hold
