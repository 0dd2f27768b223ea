"""Which catalogue activity a recording's sport is: one mapping for every format.

GPX names the sport in a track's free-text `<type>` (Garmin writes "walking", Strava a number),
TCX in the Activity's `Sport` attribute ("Running", "Biking", "Other"), FIT in the session's
`sport` and `sub_sport` ("running", "walking", "swimming", "lap_swimming"...). Anything not
named here is "other": the patient chooses the activity on the review page."""

from __future__ import annotations

WALKING, JOGGING, SWIMMING = "Walking", "Jogging", "Swimming"

# Lower-case sport names, as each format writes them, to the catalogue's activity names.
CATALOGUE_NAME = {
    # GPX (Garmin Connect, Strava's numeric types) and FIT sport / sub_sport names.
    "walking": WALKING,
    "walk": WALKING,
    "hiking": WALKING,
    "casual_walking": WALKING,
    "speed_walking": WALKING,
    "10": WALKING,  # Strava's GPX type for a walk
    "running": JOGGING,
    "run": JOGGING,
    "treadmill": JOGGING,
    "treadmill_running": JOGGING,
    "trail_running": JOGGING,
    "9": JOGGING,  # Strava's GPX type for a run
    "swimming": SWIMMING,
    "swim": SWIMMING,
    "lap_swimming": SWIMMING,
    "open_water": SWIMMING,
    "16": SWIMMING,  # Strava's GPX type for a swim
    # TCX Sport attribute: Running, Biking, Other (lower-cased here); only running matches.
}


def catalogue_name(sport: str) -> str | None:
    """The catalogue activity a sport name stands for, or None for any other sport."""
    return CATALOGUE_NAME.get(sport.strip().lower())


# What one session of each is called: "this run can't be saved".
SESSION_NOUN = {WALKING: "walk", JOGGING: "run", SWIMMING: "swim"}


def session_noun(activity_name: str) -> str:
    return SESSION_NOUN.get(activity_name, "session")
