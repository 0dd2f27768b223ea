"""Functional tests against published norms, each in one plain line that names its source.
A comparison with people of the same age and sex, never a diagnosis.

- 30-second chair stand: Rikli and Jones 1999, the middle half (25th to 75th percentile) of
  community-dwelling adults aged 60 to 94, in five-year bands.
- Timed Up and Go: Bohannon 2006, the mean time by age decade, from 60.
- Grip strength: the low-strength cut-offs of the European consensus on sarcopenia (EWGSOP2,
  Cruz-Jentoft 2019), 27 kg for men and 16 kg for women.
- 6-minute walk: Enright and Sherrill 1998, the predicted distance from sex, age, height and
  weight, for adults aged 40 to 80 (the ages they studied). Some heights and weights the
  profile accepts make the equation predict no distance at all (0 m or less): no norm then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tracker.models import MeasurementKind, Sex

FEMALE, MALE = Sex.FEMALE.value, Sex.MALE.value
SEX_WORDS = {FEMALE: "women", MALE: "men"}

RIKLI_JONES = "Rikli and Jones 1999"
BOHANNON = "Bohannon 2006"
GRIP_SOURCE = "EWGSOP2, Cruz-Jentoft 2019"
ENRIGHT_SHERRILL = "Enright and Sherrill 1998"

# Repetitions, 25th to 75th percentile, by (lowest age of the band, sex).
CHAIR_STAND_BANDS: dict[tuple[int, str], tuple[int, int]] = {
    (60, FEMALE): (12, 17),
    (65, FEMALE): (11, 16),
    (70, FEMALE): (10, 15),
    (75, FEMALE): (10, 15),
    (80, FEMALE): (9, 14),
    (85, FEMALE): (8, 13),
    (90, FEMALE): (4, 11),
    (60, MALE): (14, 19),
    (65, MALE): (12, 18),
    (70, MALE): (12, 17),
    (75, MALE): (11, 17),
    (80, MALE): (10, 15),
    (85, MALE): (8, 14),
    (90, MALE): (7, 12),
}
CHAIR_STAND_AGES = (60, 94)

# Seconds, the mean by decade: (lowest age, highest age, mean).
TUG_MEANS = ((60, 69, Decimal("8.1")), (70, 79, Decimal("9.2")), (80, 99, Decimal("11.3")))

GRIP_LOW_KG = {MALE: Decimal(27), FEMALE: Decimal(16)}

SIX_MINUTE_WALK_AGES = (40, 80)

NO_NORM_FOR_AGE = "No norm for this age"
NO_NORM_FOR_BODY = "No norm for this height and weight"


@dataclass(frozen=True)
class Norm:
    """What a test's latest value is shown with: `text`, or `missing` when the profile lacks
    what the norm needs (sex, date of birth, height or weight)."""

    text: str = ""
    missing: bool = False


MISSING = Norm(missing=True)


def age_on(born_on: dt.date, day: dt.date) -> int:
    """Whole years of age on `day`."""
    return day.year - born_on.year - ((day.month, day.day) < (born_on.month, born_on.day))


def _number(value: Decimal | int) -> str:
    value = Decimal(value)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def chair_stand(repetitions: Decimal | int, *, sex: str, age: int | None) -> Norm:
    if sex not in SEX_WORDS or age is None:
        return MISSING
    low_age, high_age = CHAIR_STAND_AGES
    if not low_age <= age <= high_age:
        return Norm(f"{NO_NORM_FOR_AGE} ({RIKLI_JONES} covers ages 60 to 94).")
    band = min(60 + (age - 60) // 5 * 5, 90)
    low, high = CHAIR_STAND_BANDS[(band, sex)]
    band_words = f"{band}-{band + 4}"
    if repetitions < low:
        where = "Below the usual range"
    elif repetitions > high:
        where = "Above the usual range"
    else:
        where = "Within the usual range"
    return Norm(f"{where} for {SEX_WORDS[sex]} aged {band_words} ({low}-{high}; {RIKLI_JONES}).")


def timed_up_and_go(seconds: Decimal, *, age: int | None) -> Norm:
    """Bohannon's means are for both sexes together, so only age is needed."""
    if age is None:
        return MISSING
    for low, high, mean in TUG_MEANS:
        if low <= age <= high:
            ages = f"{low}-{high}" if high < 99 else f"{low} and over"
            if seconds < mean:
                where = "Quicker than"
            elif seconds > mean:
                where = "Slower than"
            else:
                where = "The same as"
            return Norm(
                f"{where} the average of {_number(mean)} s for people aged {ages} ({BOHANNON})."
            )
    return Norm(f"{NO_NORM_FOR_AGE} ({BOHANNON} gives averages from age 60).")


def grip(kg: Decimal, *, sex: str) -> Norm:
    if sex not in SEX_WORDS:
        return MISSING
    cut_off = GRIP_LOW_KG[sex]
    where = "Below" if kg < cut_off else "At or above"
    return Norm(
        f"{where} the low-strength cut-off of {_number(cut_off)} kg for {SEX_WORDS[sex]} "
        f"({GRIP_SOURCE})."
    )


def predicted_walk_m(
    *, sex: str, age: int, height_cm: Decimal | int, weight_kg: Decimal | int
) -> Decimal:
    """Enright and Sherrill's predicted 6-minute walk distance, in metres, to the metre."""
    height, weight, years = Decimal(height_cm), Decimal(weight_kg), Decimal(age)
    if sex == MALE:
        metres = Decimal("7.57") * height - Decimal("5.02") * years - Decimal("1.76") * weight
        metres -= 309
    else:
        metres = Decimal("2.11") * height - Decimal("2.29") * weight - Decimal("5.78") * years
        metres += 667
    return metres.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def six_minute_walk(
    metres: Decimal,
    *,
    sex: str,
    age: int | None,
    height_cm: Decimal | int | None,
    weight_kg: Decimal | int | None,
) -> Norm:
    if sex not in SEX_WORDS or age is None or height_cm is None or weight_kg is None:
        return MISSING
    low_age, high_age = SIX_MINUTE_WALK_AGES
    if not low_age <= age <= high_age:
        return Norm(f"{NO_NORM_FOR_AGE} ({ENRIGHT_SHERRILL} covers ages 40 to 80).")
    predicted = predicted_walk_m(sex=sex, age=age, height_cm=height_cm, weight_kg=weight_kg)
    if predicted <= 0:
        return Norm(
            f"{NO_NORM_FOR_BODY} (the equation of {ENRIGHT_SHERRILL} predicts no distance "
            "for them)."
        )
    percent = (Decimal(metres) * 100 / predicted).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if metres < predicted:
        where = "Below"
    elif metres > predicted:
        where = "Above"
    else:
        where = "At"
    return Norm(f"{where} the predicted {predicted} m ({percent}%; {ENRIGHT_SHERRILL}).")


def norm_for(
    kind: str,
    value: Decimal,
    *,
    sex: str,
    born_on: dt.date | None,
    measured_on: dt.date,
    height_cm: Decimal | int | None,
    weight_kg: Decimal | int | None,
) -> Norm | None:
    """The line for a functional test's value measured on `measured_on` (the age then), or
    None for a measurement that has no norm (a limb's circumference)."""
    age = age_on(born_on, measured_on) if born_on is not None else None
    if kind == MeasurementKind.CHAIR_STAND:
        return chair_stand(value, sex=sex, age=age)
    if kind == MeasurementKind.TIMED_UP_AND_GO:
        return timed_up_and_go(value, age=age)
    if kind == MeasurementKind.GRIP:
        return grip(value, sex=sex)
    if kind == MeasurementKind.SIX_MINUTE_WALK:
        return six_minute_walk(value, sex=sex, age=age, height_cm=height_cm, weight_kg=weight_kg)
    return None
