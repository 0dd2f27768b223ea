"""The Patient-Specific Functional Scale's writes: a round of ratings by the patient (naming,
dropping and rating activities in one go), and how often the care team has it asked again.
Each in one transaction, with its audit row; a round is saved once per form."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence

from django.db import transaction

from tracker.domain import audit
from tracker.domain.once import save_once
from tracker.models import AuditAction, Plan, PsfsActivity, PsfsRound, PsfsScore, User
from tracker.models.psfs import PSFS_MOST_ACTIVITIES


class PsfsRefused(Exception):
    """A round the scale's rules do not allow (the form says why at the field first)."""


def rate_activities(
    *,
    patient: User,
    by: User,
    rated_on: dt.date,
    scores: Mapping[int, int],
    dropped: Sequence[int] = (),
    named: Sequence[tuple[str, int]] = (),
    request_key: uuid.UUID | None = None,
) -> tuple[PsfsRound, bool]:
    """One round of `patient`'s ratings on `rated_on`: `scores` for the activities they kept
    (activity id to 0-10), `dropped` those they no longer rate (their history stays), and
    `named` new activities with their first score. A second submission of the same form
    saves nothing more. Returns the round and whether this call created it."""

    def create() -> PsfsRound:
        current = {
            a.pk: a
            for a in PsfsActivity.objects.select_for_update().filter(
                patient=patient, dropped_on__isnull=True
            )
        }
        if set(scores) | set(dropped) != set(current) or set(scores) & set(dropped):
            raise PsfsRefused("Rate each of your activities, or say you no longer rate it.")
        if not 0 < len(scores) + len(named) <= PSFS_MOST_ACTIVITIES:
            raise PsfsRefused(f"Rate between one and {PSFS_MOST_ACTIVITIES} activities.")
        round_ = PsfsRound.objects.create(
            patient=patient, rated_on=rated_on, request_key=request_key
        )
        if dropped:
            PsfsActivity.objects.filter(pk__in=dropped).update(dropped_on=rated_on)
        position = max((a.position for a in current.values()), default=0)
        new = []
        for offset, (name, _) in enumerate(named, start=1):
            new.append(
                PsfsActivity(
                    patient=patient, name=name, position=position + offset, named_on=rated_on
                )
            )
        PsfsActivity.objects.bulk_create(new)
        PsfsScore.objects.bulk_create(
            [PsfsScore(round=round_, activity_id=pk, score=score) for pk, score in scores.items()]
            + [
                PsfsScore(round=round_, activity=activity, score=score)
                for activity, (_, score) in zip(new, named, strict=True)
            ]
        )
        audit.record(
            actor=by, patient=patient, action=AuditAction.CHANGE, what="new functional scale rating"
        )
        return round_

    return save_once(PsfsRound, request_key, create)


def set_interval(*, plan: Plan, by: User, every_weeks: int) -> bool:
    """Ask `plan`'s patient the scale again every `every_weeks` weeks. Returns whether it
    changed; the same value sent again writes and records nothing."""
    with transaction.atomic():
        changed = (
            Plan.objects.filter(pk=plan.pk)
            .exclude(psfs_every_weeks=every_weeks)
            .update(psfs_every_weeks=every_weeks)
        )
        if changed:
            audit.record(
                actor=by,
                patient=plan.patient_id,
                action=AuditAction.CHANGE,
                what="plan (functional scale interval)",
            )
    plan.psfs_every_weeks = every_weeks
    return bool(changed)
