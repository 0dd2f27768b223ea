"""The functional scale's pages: Today's prompt, the patient's round, the plan's interval."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from tests.clock import TODAY, pinned_now
from tests.conftest import sign_in_verified
from tests.factories import make_active_plan
from tracker.domain.psfs import rate_activities
from tracker.models import PlanStatus, PsfsActivity, PsfsRound, PsfsScore

pytestmark = pytest.mark.django_db

PROMPT_FIRST = "Which activities do you find hard?"
PROMPT_AGAIN = "Time to rate your activities again"


@pytest.fixture
def plan(patient):
    plan = make_active_plan(patient)
    plan.starts_on = TODAY - dt.timedelta(days=2)
    plan.save()
    return plan


def key_of(page: str) -> str:
    return re.search(r'name="request_key" value="([^"]+)"', page).group(1)


def named(patient):
    return rate_activities(
        patient=patient,
        by=patient,
        rated_on=TODAY,
        scores={},
        named=[("Climbing the stairs", 3), ("Carrying the shopping", 5)],
    )


def test_today_asks_at_the_plan_start(patient_client, plan):
    page = patient_client.get("/today/").text
    assert PROMPT_FIRST in page
    assert 'href="/functional-scale/"' in page


def test_today_does_not_ask_without_a_plan(patient_client, patient):
    assert PROMPT_FIRST not in patient_client.get("/today/").text


def test_today_asks_again_after_the_plan_interval(patient_client, patient, plan):
    named(patient)
    assert PROMPT_AGAIN not in patient_client.get("/today/").text
    with time_machine.travel(pinned_now() + dt.timedelta(weeks=4), tick=False):
        sign_in_verified(patient_client, patient)  # four weeks on: signed in afresh
        page = patient_client.get("/today/").text
    assert PROMPT_AGAIN in page
    assert "Your care team asks every 4 weeks." in page


def test_first_round_offers_five_places(patient_client, plan):
    page = patient_client.get("/functional-scale/").text
    assert [n for n in range(1, 7) if f'name="name_{n}"' in page] == [1, 2, 3, 4, 5]


def test_first_round_saves_the_named_activities(patient_client, patient, plan):
    key = key_of(patient_client.get("/functional-scale/").text)
    data = {
        "request_key": key,
        "name_1": "  Climbing   the stairs ",
        "new_score_1": "3",
        "name_2": "Gardening",
        "new_score_2": "0",
    }
    response = patient_client.post("/functional-scale/", data)
    again = patient_client.post("/functional-scale/", data)
    assert (response.status_code, response["Location"]) == (302, "/today/")
    assert (again.status_code, again["Location"]) == (302, "/today/")
    assert list(PsfsScore.objects.values_list("activity__name", "score")) == [
        ("Climbing the stairs", 3),
        ("Gardening", 0),
    ]
    assert PsfsRound.objects.count() == 1
    assert PROMPT_FIRST not in patient_client.get("/today/").text


def test_a_name_without_a_score_comes_back_kept_with_the_message(patient_client, plan):
    response = patient_client.post(
        "/functional-scale/", {"name_1": "Climbing the stairs", "name_2": "", "new_score_2": "4"}
    )
    page = response.text
    assert response.status_code == 200
    assert 'value="Climbing the stairs"' in page
    assert "Choose a score for “Climbing the stairs”, from 0 (unable) to 10 (as before)." in page
    assert "Write the activity this score is for." in page
    assert PsfsRound.objects.count() == 0


def test_nothing_named_is_refused_in_words(patient_client, plan):
    page = patient_client.post("/functional-scale/", {}).text
    assert "Name at least one activity you find hard, and give it a score." in page
    assert PsfsRound.objects.count() == 0


def test_a_too_long_name_is_refused_and_kept(patient_client, plan):
    long_name = "stairs " * 20
    page = patient_client.post("/functional-scale/", {"name_1": long_name, "new_score_1": "3"}).text
    assert "Keep it to 120 characters: a few words are enough." in page
    assert PsfsRound.objects.count() == 0


def test_the_same_name_twice_is_refused(patient_client, plan):
    page = patient_client.post(
        "/functional-scale/",
        {"name_1": "Gardening", "new_score_1": "3", "name_2": "gardening", "new_score_2": "4"},
    ).text
    assert "You have named “gardening” already." in page


def test_a_later_round_rates_drops_and_adds_one(patient_client, patient, plan):
    named(patient)
    stairs, shopping = PsfsActivity.objects.order_by("position")
    with time_machine.travel(pinned_now() + dt.timedelta(weeks=4), tick=False):
        sign_in_verified(patient_client, patient)
        page = patient_client.get("/functional-scale/").text
        assert [n for n in range(1, 6) if f'name="name_{n}"' in page] == [1]
        unrated = patient_client.post("/functional-scale/", {f"score_{stairs.pk}": "6"})
        saved = patient_client.post(
            "/functional-scale/",
            {
                f"score_{stairs.pk}": "6",
                f"drop_{shopping.pk}": "on",
                "name_1": "Getting on the bus",
                "new_score_1": "4",
            },
        )
    assert (
        "Choose a score for “Carrying the shopping”, from 0 to 10, or tick “I no longer want to "
        "rate this one”." in unrated.text
    )
    assert saved.status_code == 302
    latest = PsfsRound.objects.order_by("-pk").first()
    assert list(latest.scores.values_list("activity__name", "score")) == [
        ("Climbing the stairs", 6),
        ("Getting on the bus", 4),
    ]


def test_not_due_says_when_and_saves_nothing(patient_client, patient, plan):
    named(patient)
    page = patient_client.get("/functional-scale/").text
    assert "You will be asked again on <strong>Wednesday 30 December</strong>." in page
    response = patient_client.post("/functional-scale/", {"name_1": "x", "new_score_1": "1"})
    assert (response.status_code, PsfsRound.objects.count()) == (302, 1)


def test_plan_editor_sets_how_often(physio_client, plan):
    page = physio_client.get(f"/plans/{plan.pk}/").text
    assert "Ask the functional scale again every" in page
    response = physio_client.post(f"/plans/{plan.pk}/functional-scale/", {"psfs_every_weeks": "6"})
    plan.refresh_from_db()
    assert (response.status_code, plan.psfs_every_weeks) == (302, 6)


def test_plan_editor_refuses_an_interval_not_offered(physio_client, plan):
    response = physio_client.post(f"/plans/{plan.pk}/functional-scale/", {"psfs_every_weeks": "3"})
    plan.refresh_from_db()
    assert (response.status_code, plan.psfs_every_weeks) == (200, 4)
    assert "Choose 2, 4, 6 or 8 weeks." in response.text


def test_today_does_not_ask_under_a_paused_plan(patient_client, plan):
    plan.status = PlanStatus.PAUSED
    plan.save()
    assert PROMPT_FIRST not in patient_client.get("/today/").text
    page = patient_client.get("/functional-scale/").text
    assert "once your exercise plan is active" in page
