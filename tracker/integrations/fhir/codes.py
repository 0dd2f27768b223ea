"""The code systems, codes and units the FHIR export speaks, each stated once.

LOINC and SNOMED CT codes are the ones the clinical brief and HL7's Physical Activity guide
name; a LOINC display is given only where the guide's value sets show it, the rest carry our
own words in `text`. What has no verified code (effort, grip, Timed Up and Go, chair stand,
limb circumference, distance, when a pain score was taken) is in the app's own code system,
`APP_CODES`, one URL for all of them. It names concepts, not a place: it is not meant to
resolve, and it must never change, or every exported record would lose its meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# The Physical Activity guide's own codes: its panel and its category (of Observations,
# CarePlans and Goals alike).
PA_CODES = "http://hl7.org/fhir/us/physical-activity/CodeSystem/pa-temporary-codes"
# US Core's CarePlan category, which the Physical Activity guide's CarePlan builds on.
US_CORE_CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
# The app's own code system (see the module's docstring).
APP_CODES = "https://rehab-tracker.example/fhir/CodeSystem/rehab-measures"


@dataclass(frozen=True)
class Code:
    system: str
    code: str
    text: str  # our words, for CodeableConcept.text
    display: str | None = None  # the code system's own display, where verified

    def coding(self) -> dict:
        coding = {"system": self.system, "code": self.code}
        if self.display:
            coding["display"] = self.display
        return coding

    def concept(self) -> dict:
        return {"coding": [self.coding()], "text": self.text}


@dataclass(frozen=True)
class Unit:
    code: str  # UCUM
    unit: str  # in words

    def quantity(self, value) -> dict:
        return {"value": value, "unit": self.unit, "system": UCUM, "code": self.code}


# A CarePlan's activity (each prescription), with the activity's name as its text.
EXERCISE_THERAPY = Code(SNOMED, "229065009", "Exercise therapy", "Exercise therapy")
CATEGORY_ASSESS_PLAN = Code(
    US_CORE_CAREPLAN_CATEGORY,
    "assess-plan",
    "Assessment and plan of treatment",
    "Assessment and Plan of Treatment",
)
CATEGORY_ACTIVITY = Code(OBSERVATION_CATEGORY, "activity", "Activity", "Activity")
CATEGORY_PHYSICAL_ACTIVITY = Code(
    PA_CODES, "PhysicalActivity", "Physical activity", "Physical Activity"
)
ACTIVITY_PANEL = Code(PA_CODES, "PAPanel", "Exercise session", "Physical Activity Panel")

# The exercise vital sign, per week.
MINUTES_PER_WEEK = Code(
    LOINC,
    "82290-8",
    "Minutes of exercise in the week",
    "Frequency of moderate to vigorous aerobic physical activity",
)
DAYS_PER_WEEK = Code(
    LOINC,
    "89555-7",
    "Days with exercise in the week",
    "How many days per week did you engage in moderate to strenuous physical activity in the "
    "last 30 days",
)
MINUTES_PER_DAY = Code(
    LOINC,
    "68516-4",
    "Minutes of exercise on an average day with exercise",
    "On those days that you engage in moderate to strenuous exercise, how many minutes, on "
    "average, do you exercise",
)

# One session.
ACTIVITY_TYPE = Code(LOINC, "73985-4", "Activity", "Exercise activity")
DURATION = Code(LOINC, "55411-3", "Duration", "Exercise duration")
MEAN_HEART_RATE = Code(
    LOINC, "55425-3", "Average heart rate", "Heart rate unspecified time mean by Pedometer"
)
HIGHEST_HEART_RATE = Code(
    LOINC, "55426-1", "Highest heart rate", "Heart rate unspecified time maximum by Pedometer"
)
PAIN = Code(LOINC, "72514-3", "Pain (0-10)")
PAIN_BEFORE = Code(APP_CODES, "pain-before-session", "Pain before the session (0-10)")
PAIN_AFTER = Code(APP_CODES, "pain-after-session", "Pain after the session (0-10)")
PAIN_NEXT_MORNING = Code(APP_CODES, "pain-next-morning", "Pain the next morning (0-10)")
EFFORT = Code(APP_CODES, "effort-borg", "Effort (Borg 6-20)")
DISTANCE = Code(APP_CODES, "distance", "Distance")

# Measurements.
SIX_MINUTE_WALK = Code(LOINC, "64098-7", "6-minute walk distance")
CHAIR_STAND = Code(APP_CODES, "chair-stand-30s", "30-second chair stand")
TIMED_UP_AND_GO = Code(APP_CODES, "timed-up-and-go", "Timed Up and Go")
GRIP = Code(APP_CODES, "grip-strength", "Grip strength")
CIRCUMFERENCE = Code(APP_CODES, "limb-circumference", "Limb circumference")
CIRCUMFERENCE_AFFECTED = Code(
    APP_CODES, "limb-circumference-affected", "Limb circumference, affected side"
)
CIRCUMFERENCE_UNAFFECTED = Code(
    APP_CODES, "limb-circumference-unaffected", "Limb circumference, other side"
)

MIN_PER_WEEK = Unit("min/wk", "minutes per week")
DAYS_A_WEEK = Unit("d/wk", "days per week")
MIN_PER_DAY = Unit("min/d", "minutes per day")
MINUTES = Unit("min", "minutes")
PER_MINUTE = Unit("/min", "beats per minute")
METRES = Unit("m", "metres")
KILOGRAMS = Unit("kg", "kg")
SECONDS = Unit("s", "seconds")
CENTIMETRES = Unit("cm", "cm")
SCORE = Unit("{score}", "score")
REPETITIONS = Unit("{#}", "repetitions")
