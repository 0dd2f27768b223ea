"""Reads of the Patient-Specific Functional Scale: whether Today asks (one query), the
activities to rate, and the whole history for Progress (one query, however many rounds)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max

from tracker.models import Plan, PlanStatus, PsfsActivity, PsfsRound, PsfsScore, User
from tracker.rules.psfs import PsfsHistory, Rating, history, is_due, next_due


@dataclass(frozen=True)
class Asking:
    """Where the patient stands with the scale under their current plan."""

    due: bool
    first: bool  # no activities named yet
    due_on: dt.date | None  # None without an active plan
    every_weeks: int


def asking(patient: User, plan: Plan | None, *, today: dt.date) -> Asking:
    last = PsfsRound.objects.filter(patient=patient).aggregate(last=Max("rated_on"))["last"]
    if plan is None:
        return Asking(due=False, first=last is None, due_on=None, every_weeks=0)
    active = plan.status == PlanStatus.ACTIVE
    return Asking(
        due=is_due(
            plan_active=active,
            plan_starts_on=plan.starts_on,
            every_weeks=plan.psfs_every_weeks,
            last_rated_on=last,
            today=today,
        ),
        first=last is None,
        due_on=next_due(
            plan_starts_on=plan.starts_on, every_weeks=plan.psfs_every_weeks, last_rated_on=last
        )
        if active
        else None,
        every_weeks=plan.psfs_every_weeks,
    )


def current_activities(patient: User) -> list[PsfsActivity]:
    """The activities the patient still rates, in the order they named them."""
    return list(PsfsActivity.objects.filter(patient=patient, dropped_on__isnull=True))


def psfs_history(patient: User) -> PsfsHistory | None:
    rows = (
        PsfsScore.objects.filter(round__patient=patient)
        .order_by("round__rated_on", "round_id", "activity__position", "activity_id")
        .values_list(
            "round_id",
            "round__rated_on",
            "activity_id",
            "activity__name",
            "activity__dropped_on",
            "score",
        )
    )
    return history([Rating(*row) for row in rows])
