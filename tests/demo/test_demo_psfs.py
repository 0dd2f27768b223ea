"""The demo's functional scale histories and norms, with exact values (the clock is pinned to
Wednesday 2 December 2026)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.conftest import sign_in_verified
from tracker.models import PatientProfile, User
from tracker.queries.psfs import psfs_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("demo", "--no-serve")
    capsys.readouterr()


def test_demo_patient_has_a_history_at_the_plan_interval(demo):
    anna = User.objects.get(username="patient")
    history = psfs_history(anna)

    starts_on = anna.plans.get().starts_on
    days = [starts_on + dt.timedelta(weeks=4 * n) for n in range(3)]
    assert [(a.name, a.points) for a in history.activities] == [
        ("Climbing the stairs to the flat", tuple(zip(days, (3, 5, 7), strict=True))),
        ("Walking to the shops", tuple(zip(days, (4, 5, 6), strict=True))),
        ("Kneeling", tuple(zip(days, (2, 3, 4), strict=True))),
    ]
    assert history.rounds == tuple(
        zip(days, (Decimal("3.0"), Decimal("4.3"), Decimal("5.7")), strict=True)
    )
    assert history.average_change.words == (
        "Up 2.7 points since the first rating: a meaningful change"
    )
    assert [a.change.meaningful for a in history.activities] == [True, False, False]


def test_demo_plans_ask_at_their_own_interval(demo):
    ben = User.objects.get(username="patient2")
    assert ben.plans.get().psfs_every_weeks == 2
    assert len(psfs_history(ben).rounds) == 6


def test_demo_patients_have_what_the_norms_need(demo):
    assert list(
        PatientProfile.objects.order_by("user__username").values_list(
            "user__username", "sex", "height_cm", "weight_kg"
        )[:2]
    ) == [("patient", "female", 166, Decimal("71.5")), ("patient2", "male", 176, Decimal("82.0"))]


def test_demo_progress_shows_a_norm_line(demo, client):
    ben = User.objects.get(username="patient2")
    sign_in_verified(client, ben)
    page = client.get("/progress/").text
    assert (
        "Average: <strong>3.5</strong> (12 Sep) to <strong>7</strong> (21 Nov). "
        '<strong class="better">▲ Up 3.5 points since the first rating: a meaningful change'
    ) in page
    assert "Below the predicted 518 m (56%; Enright and Sherrill 1998)." in page
    assert "Below the usual range for men aged 70-74 (12-17; Rikli and Jones 1999)." in page
