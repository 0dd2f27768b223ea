"""The plan editor's buttons go through forms: the status buttons' `to` and the progression
buttons' `action` are choices, and anything else is refused with what the editor said before."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import make_active_plan
from tracker.forms.plans import PlanMoveForm, ProgressionForm
from tracker.models import PlanHold, PlanStatus

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("to", ["active", "paused", "completed"])
def test_plan_move_form_takes_each_status_button(to):
    form = PlanMoveForm({"to": to})

    assert form.is_valid()
    assert form.cleaned_data["to"] == to


@pytest.mark.parametrize("to", ["", "draft", "ACTIVE", "active\x00"])
def test_plan_move_form_refuses_anything_else(to):
    assert not PlanMoveForm({"to": to}).is_valid()


@pytest.mark.parametrize("action", ["hold", "resume"])
def test_progression_form_takes_both_buttons(action):
    form = ProgressionForm({"action": action})

    assert form.is_valid()
    assert form.cleaned_data["action"] == action


@pytest.mark.parametrize("action", ["", "grow", "Hold"])
def test_progression_form_refuses_anything_else(action):
    assert not ProgressionForm({"action": action}).is_valid()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("to", ["", "draft", "archived"])
def test_plan_status_with_no_such_button_says_so_and_changes_nothing(physio_client, patient, to):
    plan = make_active_plan(patient)

    response = physio_client.post(f"/plans/{plan.pk}/status/", {"to": to}, follow=True)

    assert response.redirect_chain == [(f"/plans/{plan.pk}/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Choose activate, pause or complete."]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_plan_progression_with_no_such_button_changes_nothing(physio_client, patient):
    plan = make_active_plan(patient)

    response = physio_client.post(f"/plans/{plan.pk}/progression/", {"action": "grow"})

    assert response.status_code == 302
    assert response.url == f"/plans/{plan.pk}/"
    assert not PlanHold.objects.filter(plan=plan).exists()
