"""Safety rules: what a patient's report means for their care team. Plain functions over
plain values; domain/logbook.py applies them when a session is saved.

- Any danger sign: an alert at once (and the patient is told to get urgent care).
- Pain after a session above 5/10, pain rising by 3 or more during a session, or pain after
  rising across three sessions in a row: a pain alert.
- Pain the next morning above the level before the session (it has not settled): a pain alert.
- Effort above the prescribed range in two sessions in a row: an effort alert.
- A symptom this patient has not reported before: shown to the physiotherapist.
- A session longer than the clearance allows, or a heart rate above its limit (unless a
  medicine holds the heart rate down): an over-the-clearance alert, in the app only.
"""

from __future__ import annotations

import datetime as dt
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


# What a session is called in a sentence ("after yesterday's walk"), by the activity's last word.
SESSION_NOUNS = {"walking": "walk", "swimming": "swim", "jogging": "jog", "running": "run"}


def session_noun(activity: str) -> str:
    """Walking: "walk"; water walking: "water walk"; cycling: "cycling session"."""
    words = activity.lower().split()
    if words and words[-1] in SESSION_NOUNS:
        return " ".join([*words[:-1], SESSION_NOUNS[words[-1]]])
    return f"{activity.lower()} session"


def next_morning_message(
    *, activity: str, day: dt.date, pain_before: int, pain_next_morning: int
) -> str:
    return (
        f"Pain the morning after the {session_noun(activity)} on {day.day} {day:%B} was "
        f"{pain_next_morning}/10; before the session it was {pain_before}/10."
    )


def next_morning_pain_alert(
    *, activity: str, day: dt.date, pain_before: int, pain_next_morning: int
) -> AlertSpec | None:
    """The pain model's next-morning check: pain should settle by the morning after. Still
    above the level before the session, the load must not grow and the clinician should
    review: a pain alert (and an open alert holds progression)."""
    if pain_next_morning <= pain_before:
        return None
    return AlertSpec(
        AlertKind.PAIN,
        next_morning_message(
            activity=activity,
            day=day,
            pain_before=pain_before,
            pain_next_morning=pain_next_morning,
        ),
    )


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


@dataclass(frozen=True)
class Breach:
    """One way a session went beyond its clearance: the number, and the limit it passed."""

    measure: str  # "minutes" or "heart_rate"
    value: int
    limit: int
    reading: str = ""  # for heart rate: "highest" or "average"
    # The limit of the clearance in force today, where it differs from the session's day
    # (a session logged or changed after a new clearance): what the patient keeps to now.
    limit_now: int | None = None

    @property
    def keep_to(self) -> int:
        return self.limit if self.limit_now is None else self.limit_now


def beyond_clearance(
    *,
    minutes: int,
    average_heart_rate: int | None,
    highest_heart_rate: int | None,
    max_session_minutes: int,
    max_heart_rate: int | None,
    heart_rate_blunted: bool = False,
) -> list[Breach]:
    """Where a session went past its clearance's limits; exactly at a limit is within it.
    With a medicine that holds the heart rate down, heart rate says little about effort
    (the clinical brief), so only the minutes are checked."""
    found = []
    if minutes > max_session_minutes:
        found.append(Breach("minutes", minutes, max_session_minutes))
    if max_heart_rate is not None and not heart_rate_blunted:
        readings = [
            (value, name)
            for value, name in ((highest_heart_rate, "highest"), (average_heart_rate, "average"))
            if value is not None
        ]
        # The highest reading names the breach; on a tie, the highest heart rate.
        value, name = max(readings, key=lambda r: r[0], default=(None, ""))
        if value is not None and value > max_heart_rate:
            found.append(Breach("heart_rate", value, max_heart_rate, name))
    return found


def over_clearance_alert(breaches: Sequence[Breach]) -> AlertSpec | None:
    """For the care team: what the session did, against the clearance."""
    sentences = []
    for b in breaches:
        if b.measure == "minutes":
            sentences.append(
                f"Session of {b.value} minutes, above the clearance's longest session of "
                f"{b.limit} minutes."
            )
        else:
            sentences.append(
                f"{b.reading.capitalize()} heart rate of {b.value} beats per minute, above "
                f"the clearance's limit of {b.limit}."
            )
    if not sentences:
        return None
    return AlertSpec(AlertKind.OVER_CLEARANCE, " ".join(sentences))


TOLD_ABOUT = {  # what the patient reported, in their words, for the note after saving
    AlertKind.PAIN: "the pain you reported",
    AlertKind.EFFORT: "how hard it felt",
    AlertKind.NEW_SYMPTOM: "the new symptom you reported",
}


def told_team_note(kinds: Sequence[str]) -> str | None:
    """For the patient after saving a session that raised an alert: not praise, but that the
    care team knows. None when it raised nothing the patient reported."""
    told = [TOLD_ABOUT[kind] for kind in TOLD_ABOUT if kind in kinds]
    if not told:
        return None
    about = told[0] if len(told) == 1 else f"{', '.join(told[:-1])} and {told[-1]}"
    return f"Session saved. Your care team has been told about {about} and will look at it."


def over_clearance_note(breaches: Sequence[Breach]) -> str | None:
    """For the patient, after "Saved.": the limit, calmly, and what to do now. The session is
    judged by the clearance of its day; what to keep to is today's clearance, so that a
    session from before a new clearance is not told a limit no other page shows."""
    by_measure = {b.measure: b for b in breaches}
    minutes, heart = by_measure.get("minutes"), by_measure.get("heart_rate")
    changed = any(b.limit_now is not None and b.limit_now != b.limit for b in breaches)
    allows = "on that day allowed" if changed else "allows"
    told = "Your care team has been told;"
    if minutes and heart:
        now = (
            f", and your clearance now allows at most {minutes.keep_to} minutes and a heart "
            f"rate of {heart.keep_to}"
            if changed
            else ""
        )
        return (
            f"This session was {minutes.value} minutes, and your {heart.reading} heart rate was "
            f"{heart.value} beats per minute; your doctor's clearance {allows} at most "
            f"{minutes.limit} minutes at a time and a heart rate of {heart.limit}{now}. {told} "
            "keep within these limits until they say otherwise."
        )
    if minutes:
        now = f", and your clearance now allows at most {minutes.keep_to}" if changed else ""
        return (
            f"This session was {minutes.value} minutes; your doctor's clearance {allows} at most "
            f"{minutes.limit} minutes at a time{now}. {told} keep to {minutes.keep_to} minutes "
            "until they say otherwise."
        )
    if heart:
        now = f", and your clearance now allows at most {heart.keep_to}" if changed else ""
        return (
            f"Your {heart.reading} heart rate was {heart.value} beats per minute; your doctor's "
            f"clearance {allows} at most {heart.limit}{now}. {told} keep your heart rate to "
            f"{heart.keep_to} or below until they say otherwise."
        )
    return None


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
