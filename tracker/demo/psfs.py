"""Demo Patient-Specific Functional Scale histories: each patient named their activities at
their plan's start and rated them again at the plan's interval. The disuse patients improve,
one activity by a meaningful step at least; the neurogenic patient's scores barely move."""

from __future__ import annotations

import datetime as dt

from tracker.domain.psfs import rate_activities
from tracker.models import AtrophyKind, Plan, PsfsActivity, User

# What each demo patient finds hard, in their own words, with the first score of each.
ACTIVITIES = [
    [("Climbing the stairs to the flat", 3), ("Walking to the shops", 4), ("Kneeling", 2)],
    [("Getting up from the sofa", 4), ("Walking to the bus stop", 3)],
    [("Holding a cup steady", 5), ("Walking without a stick", 2), ("Standing to cook", 4)],
    [("Running for the bus", 1), ("Squatting", 3)],
    [("Getting out of the bath", 3), ("Gardening", 2), ("Stairs at my daughter's", 4)],
    [("Lifting the kettle", 4), ("Putting on a coat", 5)],
]
# How often each plan asks again (the physiotherapist's choice in the plan editor).
EVERY_WEEKS = [4, 2, 4, 4, 4, 6]


def add_demo_psfs(*, patient: User, plan: Plan, today: dt.date, number: int) -> None:
    named = ACTIVITIES[number % len(ACTIVITIES)]
    every = EVERY_WEEKS[number % len(EVERY_WEEKS)]
    Plan.objects.filter(pk=plan.pk).update(psfs_every_weeks=every)
    disuse = patient.profile.atrophy_kind == AtrophyKind.DISUSE
    days = [plan.starts_on]
    while days[-1] + dt.timedelta(weeks=every) <= today:
        days.append(days[-1] + dt.timedelta(weeks=every))
    rate_activities(patient=patient, by=patient, rated_on=days[0], scores={}, named=named)
    activities = list(PsfsActivity.objects.filter(patient=patient).order_by("position"))
    for step, day in enumerate(days[1:], start=1):
        weeks = (day - days[0]).days // 7
        scores = {}
        for place, (activity, (_, first)) in enumerate(zip(activities, named, strict=True)):
            # Disuse: the first activity gains a point every two weeks, the others one every
            # four; neurogenic: a point over the whole plan, on the first activity only.
            if disuse:
                gain = weeks // 2 if place == 0 else weeks // 4
            else:
                gain = 1 if place == 0 and step >= 2 else 0
            scores[activity.pk] = min(first + gain, 10)
        rate_activities(patient=patient, by=patient, rated_on=day, scores=scores)
