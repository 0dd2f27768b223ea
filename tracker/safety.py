"""Safety rules: what a patient's report means for their care team. Plain functions over
plain values; logbook.py applies them when a session is saved.

- Any danger sign: an alert at once (and the patient is told to get urgent care).
- Pain after a session above 5/10, pain rising by 3 or more during a session, or pain after
  rising across three sessions in a row: a pain alert.
- Effort above the prescribed range in two sessions in a row: an effort alert.
- A symptom this patient has not reported before: shown to the physiotherapist.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker.models import AlertKind, DangerSign, Symptom

PAIN_CEILING = 5  # 0-3 safe, 4-5 acceptable, above 5 too much
PAIN_RISE = 3
PAIN_TREND_SESSIONS = 3
EFFORT_STREAK = 2


@dataclass(frozen=True)
class SessionFacts:
    """The numbers of one session that the rules look at."""

    effort: int
    pain_before: int
    pain_after: int
    effort_max: int | None = None  # the prescription's top of range, if one applied


@dataclass(frozen=True)
class AlertSpec:
    kind: AlertKind
    message: str


def danger_alert(signs: Iterable[str]) -> AlertSpec:
    labels = [DangerSign(code).label.lower() for code in signs]
    return AlertSpec(AlertKind.DANGER_SIGN, "Reported danger signs: " + "; ".join(labels) + ".")


def pain_alert(new: SessionFacts, earlier: Sequence[SessionFacts]) -> AlertSpec | None:
    """`earlier` are the patient's previous sessions, newest first."""
    reasons = []
    if new.pain_after > PAIN_CEILING:
        reasons.append(f"pain after the session was {new.pain_after}/10, above {PAIN_CEILING}")
    if new.pain_after - new.pain_before >= PAIN_RISE:
        reasons.append(f"pain rose from {new.pain_before} to {new.pain_after} during the session")
    trend = [new, *earlier[: PAIN_TREND_SESSIONS - 1]]
    if len(trend) == PAIN_TREND_SESSIONS and all(
        later.pain_after > sooner.pain_after for later, sooner in itertools.pairwise(trend)
    ):
        values = " → ".join(str(s.pain_after) for s in reversed(trend))
        reasons.append(
            f"pain after has risen over {PAIN_TREND_SESSIONS} sessions in a row ({values})"
        )
    if not reasons:
        return None
    message = "; ".join(reasons)
    return AlertSpec(AlertKind.PAIN, message[0].upper() + message[1:] + ".")


def _above_range(facts: SessionFacts) -> bool:
    return facts.effort_max is not None and facts.effort > facts.effort_max


def effort_alert(new: SessionFacts, earlier: Sequence[SessionFacts]) -> AlertSpec | None:
    streak = [new, *earlier[: EFFORT_STREAK - 1]]
    if len(streak) == EFFORT_STREAK and all(_above_range(s) for s in streak):
        efforts = ", ".join(str(s.effort) for s in reversed(streak))
        return AlertSpec(
            AlertKind.EFFORT,
            f"Effort above the prescribed range {EFFORT_STREAK} sessions in a row "
            f"({efforts}; top of range {new.effort_max}).",
        )
    return None


def new_symptom_alert(symptoms: Iterable[str], known: set[str]) -> AlertSpec | None:
    new = [code for code in symptoms if code not in known]
    if not new:
        return None
    labels = [Symptom(code).label.lower() for code in new]
    return AlertSpec(AlertKind.NEW_SYMPTOM, "New symptom reported: " + "; ".join(labels) + ".")


def assess_session(
    new: SessionFacts,
    earlier: Sequence[SessionFacts],
    *,
    symptoms: Iterable[str] = (),
    known_symptoms: set[str] = frozenset(),
) -> list[AlertSpec]:
    """The alerts one saved session opens (danger signs are handled on their own)."""
    checks = [
        pain_alert(new, earlier),
        effort_alert(new, earlier),
        new_symptom_alert(symptoms, set(known_symptoms)),
    ]
    return [spec for spec in checks if spec is not None]
