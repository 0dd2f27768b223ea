"""The daily checks: what the care team must hear about even when a patient logs nothing.

- No session logged for N days (5 by default): a silence alert.
- Fewer sessions than the adherence target in the plan's last completed week: an adherence
  alert.
- The plan's clearance runs out within 14 days, or has run out: a clearance alert.

Only patients with an active plan are checked. The rules are plain functions over plain values;
`run_checks` in domain/checks.py loads the facts for every such patient in a fixed number of
queries and opens what is due in one transaction. Each alert a check opens carries a key
naming the fact it reports; the database keeps one open alert per patient, kind and key, so
running the checks twice opens nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.models import AlertKind
from tracker.rules.plans import ADHERENCE_TARGET, sessions_needed
from tracker.rules.safety import AlertSpec
from tracker.rules.thresholds import CLEARANCE_WARNING_DAYS, SILENCE_DAYS

# Alerts whose key names one fact that never changes (a plan's week, a clearance's end): once
# a clinician has acknowledged one, the next run does not open it again. "No log for N days"
# is different: while the patient stays silent, a later run opens it again.
ONE_FACT_KINDS = frozenset({AlertKind.ADHERENCE, AlertKind.CLEARANCE})


@dataclass(frozen=True)
class KeyedAlert(AlertSpec):
    """An alert a check found due, with the key that keeps it to one open copy."""

    dedupe_key: str


@dataclass(frozen=True)
class PlanFacts:
    """What the checks know about one patient's active plan."""

    patient_id: int
    plan_id: int
    starts_on: dt.date
    week: int  # the plan's current week, from 0
    sessions_per_week: int  # all its prescriptions together
    last_week_sessions: int  # logged on this plan in its last completed week
    last_logged: dt.date | None  # the patient's latest session on any plan
    clearance_id: int
    physician_name: str
    cleared_on: dt.date
    valid_until: dt.date

    def clearance_covers(self, first: dt.date, last: dt.date) -> bool:
        return self.cleared_on <= first and last <= self.valid_until


def last_completed_week(starts_on: dt.date, week: int) -> tuple[int, dt.date, dt.date] | None:
    """The plan's last completed week as (index, first day, last day), or None in week 0."""
    if week < 1:
        return None
    first = starts_on + dt.timedelta(weeks=week - 1)
    return week - 1, first, first + dt.timedelta(days=6)


def silence_alert(facts: PlanFacts, *, today: dt.date, days: int) -> KeyedAlert | None:
    """No session for `days` days or more, counted from the last session or, if there was none
    since, from the day the plan started. Not while the clearance has lapsed: the patient has
    been told not to exercise, and the clearance alert says why."""
    if not facts.clearance_covers(today, today):
        return None
    since = max(facts.last_logged or facts.starts_on, facts.starts_on)
    quiet = (today - since).days
    if quiet < days:
        return None
    if facts.last_logged is not None and facts.last_logged >= facts.starts_on:
        message = f"No session logged for {quiet} days; the last was on {since:%a %-d %b}."
    else:
        message = f"No session logged since the plan started on {since:%a %-d %b} ({quiet} days)."
    return KeyedAlert(AlertKind.SILENCE, message, dedupe_key="silence")


def adherence_alert(facts: PlanFacts) -> KeyedAlert | None:
    """Fewer sessions than the adherence target in the plan's last completed week. Not for a
    week the clearance did not cover throughout: the patient could not log all of it."""
    last = last_completed_week(facts.starts_on, facts.week)
    if last is None or not facts.sessions_per_week:
        return None
    index, first, final = last
    needed = sessions_needed(facts.sessions_per_week)
    if facts.last_week_sessions >= needed or not facts.clearance_covers(first, final):
        return None
    return KeyedAlert(
        AlertKind.ADHERENCE,
        f"Week {index + 1} of the plan ({first:%a %-d %b} to {final:%a %-d %b}): "
        f"{facts.last_week_sessions} of {facts.sessions_per_week} planned sessions logged, "
        f"under the {ADHERENCE_TARGET:.0%} target ({needed} needed).",
        dedupe_key=f"adherence:{facts.plan_id}:{index}",
    )


def clearance_alert(facts: PlanFacts, *, today: dt.date) -> KeyedAlert | None:
    """The plan's clearance runs out within CLEARANCE_WARNING_DAYS, or already has."""
    days_left = (facts.valid_until - today).days
    by = f"The clearance by {facts.physician_name}"
    until = f"{facts.valid_until:%-d %b %Y}"
    if days_left < 0:
        return KeyedAlert(
            AlertKind.CLEARANCE,
            f"{by} ran out on {until}: the plan is suspended and the patient cannot log "
            "sessions until a new clearance is recorded.",
            dedupe_key=f"clearance:{facts.clearance_id}:expired",
        )
    if days_left <= CLEARANCE_WARNING_DAYS:
        when = "today" if days_left == 0 else f"in {days_left} day{'s' * (days_left != 1)}"
        return KeyedAlert(
            AlertKind.CLEARANCE,
            f"{by} runs out on {until} ({when}). Ask the physician to renew it.",
            dedupe_key=f"clearance:{facts.clearance_id}:expiring",
        )
    return None


def due_alerts(
    facts: PlanFacts, *, today: dt.date, silence_days: int = SILENCE_DAYS
) -> list[KeyedAlert]:
    """Every alert the checks find due for one patient, most urgent kind first."""
    found = [
        adherence_alert(facts),
        silence_alert(facts, today=today, days=silence_days),
        clearance_alert(facts, today=today),
    ]
    return [alert for alert in found if alert is not None]


def to_open(
    due: Iterable[tuple[int, KeyedAlert]], known: Iterable[tuple[int, str, str, bool]]
) -> list[tuple[int, KeyedAlert]]:
    """Of the (patient, alert) pairs due, those to open: not while the same one is open, and
    not again once acknowledged if its key names one fact. `known` are the existing alerts
    with these keys, as (patient id, kind, key, is open)."""
    blocked = {
        (patient_id, kind, key)
        for patient_id, kind, key, is_open in known
        if is_open or kind in ONE_FACT_KINDS
    }
    return [
        (patient_id, alert)
        for patient_id, alert in due
        if (patient_id, alert.kind, alert.dedupe_key) not in blocked
    ]
