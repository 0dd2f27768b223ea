"""The functional scale's writes: a round in one transaction, saved once, audited."""

from __future__ import annotations

import uuid

import pytest

from tests.clock import TODAY
from tests.factories import make_active_plan
from tracker.domain.psfs import PsfsRefused, rate_activities, set_interval
from tracker.models import AuditEvent, PsfsActivity, PsfsRound, PsfsScore

pytestmark = pytest.mark.django_db


def first_round(patient, key=None):
    return rate_activities(
        patient=patient,
        by=patient,
        rated_on=TODAY,
        scores={},
        named=[("Climbing the stairs", 3), ("Carrying the shopping", 5)],
        request_key=key,
    )


def test_first_round_names_and_scores_the_activities(patient):
    round_, created = first_round(patient)
    assert created is True
    assert list(
        PsfsScore.objects.filter(round=round_).values_list(
            "activity__name", "activity__position", "score"
        )
    ) == [("Climbing the stairs", 1, 3), ("Carrying the shopping", 2, 5)]
    assert list(AuditEvent.objects.values_list("actor", "patient", "what")) == [
        (patient.pk, patient.pk, "new functional scale rating")
    ]


def test_the_same_form_sent_twice_saves_once(patient):
    key = uuid.uuid4()
    first, _ = first_round(patient, key)
    again, created = first_round(patient, key)
    assert (again.pk, created, PsfsRound.objects.count(), PsfsActivity.objects.count()) == (
        first.pk,
        False,
        1,
        2,
    )


def test_a_later_round_keeps_drops_and_adds(patient):
    first_round(patient)
    stairs, shopping = PsfsActivity.objects.order_by("position")
    rate_activities(
        patient=patient,
        by=patient,
        rated_on=TODAY,
        scores={stairs.pk: 6},
        dropped=[shopping.pk],
        named=[("Getting on the bus", 4)],
    )
    assert list(PsfsActivity.objects.values_list("name", "position", "dropped_on")) == [
        ("Climbing the stairs", 1, None),
        ("Carrying the shopping", 2, TODAY),
        ("Getting on the bus", 3, None),
    ]
    assert PsfsScore.objects.filter(round__in=PsfsRound.objects.order_by("-pk")[:1]).count() == 2


def test_a_round_that_leaves_an_activity_unrated_saves_nothing(patient):
    first_round(patient)
    stairs = PsfsActivity.objects.get(position=1)
    with pytest.raises(PsfsRefused):
        rate_activities(patient=patient, by=patient, rated_on=TODAY, scores={stairs.pk: 6})
    assert (PsfsRound.objects.count(), PsfsScore.objects.count()) == (1, 2)


def test_more_than_five_activities_are_refused(patient):
    with pytest.raises(PsfsRefused):
        rate_activities(
            patient=patient,
            by=patient,
            rated_on=TODAY,
            scores={},
            named=[(f"Activity {n}", 5) for n in range(6)],
        )
    assert PsfsRound.objects.count() == 0


def test_interval_change_is_audited_once(patient, physio):
    plan = make_active_plan(patient)
    assert [
        set_interval(plan=plan, by=physio, every_weeks=6),
        set_interval(plan=plan, by=physio, every_weeks=6),
    ] == [True, False]
    plan.refresh_from_db()
    assert plan.psfs_every_weeks == 6
    assert list(AuditEvent.objects.values_list("actor", "what")) == [
        (physio.pk, "plan (functional scale interval)")
    ]
