"""Functional tests against published norms: exact lines, band edges and missing data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tracker.rules.norms import (
    MISSING,
    Norm,
    age_on,
    chair_stand,
    grip,
    norm_for,
    predicted_walk_m,
    six_minute_walk,
    timed_up_and_go,
)


def test_age_on_counts_whole_years_turning_on_the_birthday():
    born = dt.date(1960, 3, 15)
    assert [age_on(born, dt.date(2026, 3, 14)), age_on(born, dt.date(2026, 3, 15))] == [65, 66]


@pytest.mark.parametrize(
    ("repetitions", "sex", "age", "text"),
    [
        (
            12,
            "female",
            60,
            "Within the usual range for women aged 60-64 (12-17; Rikli and Jones 1999).",
        ),
        (
            17,
            "female",
            64,
            "Within the usual range for women aged 60-64 (12-17; Rikli and Jones 1999).",
        ),
        (
            11,
            "female",
            64,
            "Below the usual range for women aged 60-64 (12-17; Rikli and Jones 1999).",
        ),
        (
            18,
            "female",
            62,
            "Above the usual range for women aged 60-64 (12-17; Rikli and Jones 1999).",
        ),
        (
            11,
            "female",
            65,
            "Within the usual range for women aged 65-69 (11-16; Rikli and Jones 1999).",
        ),
        (13, "male", 60, "Below the usual range for men aged 60-64 (14-19; Rikli and Jones 1999)."),
        (
            14,
            "male",
            60,
            "Within the usual range for men aged 60-64 (14-19; Rikli and Jones 1999).",
        ),
        (
            9,
            "female",
            84,
            "Within the usual range for women aged 80-84 (9-14; Rikli and Jones 1999).",
        ),
        (16, "male", 80, "Above the usual range for men aged 80-84 (10-15; Rikli and Jones 1999)."),
        (
            4,
            "female",
            94,
            "Within the usual range for women aged 90-94 (4-11; Rikli and Jones 1999).",
        ),
        (7, "male", 90, "Within the usual range for men aged 90-94 (7-12; Rikli and Jones 1999)."),
    ],
)
def test_chair_stand_against_the_band_of_the_age_and_sex(repetitions, sex, age, text):
    assert chair_stand(Decimal(repetitions), sex=sex, age=age) == Norm(text)


@pytest.mark.parametrize("age", [59, 95, 30])
def test_chair_stand_outside_60_to_94_has_no_norm(age):
    assert chair_stand(Decimal(12), sex="female", age=age) == Norm(
        "No norm for this age (Rikli and Jones 1999 covers ages 60 to 94)."
    )


@pytest.mark.parametrize(("sex", "age"), [("", 62), ("female", None)])
def test_chair_stand_without_sex_or_age_asks_for_them(sex, age):
    assert chair_stand(Decimal(12), sex=sex, age=age) == MISSING


@pytest.mark.parametrize(
    ("seconds", "age", "text"),
    [
        ("8.0", 60, "Quicker than the average of 8.1 s for people aged 60-69 (Bohannon 2006)."),
        ("8.1", 69, "The same as the average of 8.1 s for people aged 60-69 (Bohannon 2006)."),
        ("9.5", 70, "Slower than the average of 9.2 s for people aged 70-79 (Bohannon 2006)."),
        ("9.2", 79, "The same as the average of 9.2 s for people aged 70-79 (Bohannon 2006)."),
        (
            "12",
            80,
            "Slower than the average of 11.3 s for people aged 80 and over (Bohannon 2006).",
        ),
        (
            "11",
            99,
            "Quicker than the average of 11.3 s for people aged 80 and over (Bohannon 2006).",
        ),
    ],
)
def test_timed_up_and_go_against_the_mean_of_the_decade(seconds, age, text):
    assert timed_up_and_go(Decimal(seconds), age=age) == Norm(text)


def test_timed_up_and_go_under_60_or_without_age():
    assert [timed_up_and_go(Decimal(9), age=59), timed_up_and_go(Decimal(9), age=None)] == [
        Norm("No norm for this age (Bohannon 2006 gives averages from age 60)."),
        MISSING,
    ]


@pytest.mark.parametrize(
    ("kg", "sex", "text"),
    [
        (
            "26.9",
            "male",
            "Below the low-strength cut-off of 27 kg for men (EWGSOP2, Cruz-Jentoft 2019).",
        ),
        (
            "27",
            "male",
            "At or above the low-strength cut-off of 27 kg for men (EWGSOP2, Cruz-Jentoft 2019).",
        ),
        (
            "15.5",
            "female",
            "Below the low-strength cut-off of 16 kg for women (EWGSOP2, Cruz-Jentoft 2019).",
        ),
        (
            "16",
            "female",
            "At or above the low-strength cut-off of 16 kg for women (EWGSOP2, Cruz-Jentoft 2019).",
        ),
    ],
)
def test_grip_against_the_cut_off_of_the_sex(kg, sex, text):
    assert grip(Decimal(kg), sex=sex) == Norm(text)


def test_grip_without_sex_asks_for_it():
    assert grip(Decimal(20), sex="") == MISSING


def test_predicted_walk_by_the_published_equations():
    # Men: 7.57 x 175 - 5.02 x 65 - 1.76 x 80 - 309 = 1324.75 - 326.3 - 140.8 - 309 = 548.65.
    # Women: 2.11 x 162 - 2.29 x 68 - 5.78 x 63 + 667 = 341.82 - 155.72 - 364.14 + 667 = 488.96.
    assert [
        predicted_walk_m(sex="male", age=65, height_cm=175, weight_kg=Decimal("80.0")),
        predicted_walk_m(sex="female", age=63, height_cm=162, weight_kg=Decimal("68.0")),
    ] == [Decimal(549), Decimal(489)]


def test_six_minute_walk_as_a_share_of_the_predicted_distance():
    body = {"sex": "female", "age": 63, "height_cm": 162, "weight_kg": Decimal("68.0")}
    assert [
        six_minute_walk(Decimal(410), **body),
        six_minute_walk(Decimal(489), **body),
        six_minute_walk(Decimal(520), **body),
    ] == [
        Norm("Below the predicted 489 m (84%; Enright and Sherrill 1998)."),
        Norm("At the predicted 489 m (100%; Enright and Sherrill 1998)."),
        Norm("Above the predicted 489 m (106%; Enright and Sherrill 1998)."),
    ]


@pytest.mark.parametrize("missing", ["sex", "age", "height_cm", "weight_kg"])
def test_six_minute_walk_needs_sex_age_height_and_weight(missing):
    body = {"sex": "male", "age": 65, "height_cm": 175, "weight_kg": Decimal(80)}
    body[missing] = "" if missing == "sex" else None
    assert six_minute_walk(Decimal(400), **body) == MISSING


@pytest.mark.parametrize(("age", "has_norm"), [(39, False), (40, True), (80, True), (81, False)])
def test_six_minute_walk_only_for_the_ages_studied(age, has_norm):
    norm = six_minute_walk(Decimal(400), sex="male", age=age, height_cm=175, weight_kg=Decimal(80))
    assert norm.text.startswith("No norm for this age") is not has_norm


def test_norm_for_takes_the_age_on_the_day_measured_and_skips_circumference():
    born = dt.date(1962, 6, 1)
    on_birthday_eve = dt.date(2026, 5, 31)  # 63 then, 64 the day after: same band either way
    assert norm_for(
        "chair_stand",
        Decimal(11),
        sex="female",
        born_on=born,
        measured_on=on_birthday_eve,
        height_cm=None,
        weight_kg=None,
    ) == Norm("Below the usual range for women aged 60-64 (12-17; Rikli and Jones 1999).")
    assert norm_for(
        "chair_stand",
        Decimal(11),
        sex="female",
        born_on=dt.date(1961, 6, 1),
        measured_on=dt.date(2026, 6, 1),
        height_cm=None,
        weight_kg=None,
    ) == Norm("Within the usual range for women aged 65-69 (11-16; Rikli and Jones 1999).")
    assert (
        norm_for(
            "circumference",
            Decimal(40),
            sex="female",
            born_on=born,
            measured_on=on_birthday_eve,
            height_cm=None,
            weight_kg=None,
        )
        is None
    )
    assert norm_for(
        "grip",
        Decimal(20),
        sex="female",
        born_on=None,
        measured_on=on_birthday_eve,
        height_cm=None,
        weight_kg=None,
    ) == Norm(
        "At or above the low-strength cut-off of 16 kg for women (EWGSOP2, Cruz-Jentoft 2019)."
    )


# Review item 4: heights and weights the profile accepts for which the equation predicts nothing.
@pytest.mark.parametrize(
    ("sex", "age", "height_cm", "weight_kg", "predicted"),
    [
        # 2.11 x 100 - 2.29 x 232 - 5.78 x 60 + 667 = 211 - 531.28 - 346.8 + 667 = -0.08.
        ("female", 60, 100, Decimal(232), Decimal(0)),
        # 7.57 x 120 - 5.02 x 80 - 1.76 x 150 - 309 = 908.4 - 401.6 - 264 - 309 = -66.2.
        ("male", 80, 120, Decimal(150), Decimal(-66)),
    ],
)
def test_six_minute_walk_has_no_norm_where_the_equation_predicts_no_distance(
    sex, age, height_cm, weight_kg, predicted
):
    body = {"sex": sex, "age": age, "height_cm": height_cm, "weight_kg": weight_kg}
    assert predicted_walk_m(**body) == predicted
    assert six_minute_walk(Decimal(300), **body) == Norm(
        "No norm for this height and weight (the equation of Enright and Sherrill 1998 "
        "predicts no distance for them)."
    )
