"""The plan's writes record themselves in the audit trail, and only what they did: opening the
editor is a read of "plan", each change a change of "plan", a new plan "new plan"; a form that
was refused, or a change that found nothing to do, records nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PrescriptionFactory,
    activity,
    prescription_form,
)
from tracker.domain.plans import (
    PlanRefused,
    add_prescription,
    change_prescription,
    change_status,
    create_plan,
    hold_progression,
    remove_prescription,
    resume_progression,
)
from tracker.forms.plans import PrescriptionForm
from tracker.models import AuditEvent, Plan, PlanHold, PlanStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(patient):
    return PlanFactory(clearance=ClearanceFactory(patient=patient, max_session_minutes=30))


@pytest.fixture
def active_plan(plan):
    PrescriptionFactory(plan=plan)
    return change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY)


def trail(patient) -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(patient=patient)
        .order_by("pk")
        .values_list("actor_name", "action", "what")
    )


def swimming(**overrides) -> dict:
    return prescription_form("Swimming", **overrides)


CHANGED = ("Maya Lindqvist", "change", "plan")


# Through the editor ------------------------------------------------------------------


def test_opening_the_plan_editor_is_a_read_of_the_plan(physio_client, patient, plan):
    physio_client.get(f"/plans/{plan.pk}/")

    assert trail(patient) == [("Maya Lindqvist", "read", "plan")]


def test_refused_prescription_add_records_nothing(physio_client, patient, plan):
    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/", swimming(start_minutes="20", max_minutes="45")
    )

    assert response.status_code == 200
    assert trail(patient) == []


def test_prescription_add_records_one_change(physio_client, patient, plan):
    physio_client.post(f"/plans/{plan.pk}/prescriptions/", swimming())

    assert trail(patient) == [CHANGED]


def test_refused_prescription_change_records_nothing(physio_client, patient, plan):
    walking = PrescriptionFactory(plan=plan)
    prefix = f"p{walking.pk}"
    data = swimming(activity=activity("Walking").pk, max_minutes="45")

    physio_client.post(
        f"/plans/{plan.pk}/prescriptions/{walking.pk}/",
        {f"{prefix}-{key}": value for key, value in data.items()},
    )

    assert trail(patient) == []


def test_status_move_refused_by_its_form_records_nothing(physio_client, patient, plan):
    response = physio_client.post(f"/plans/{plan.pk}/status/", {"to": "draft"})

    assert response.status_code == 302
    assert trail(patient) == []


def test_progression_action_refused_by_its_form_records_nothing(physio_client, patient, plan):
    response = physio_client.post(f"/plans/{plan.pk}/progression/", {"action": "grow"})

    assert response.status_code == 302
    assert trail(patient) == []


def test_pause_without_a_reason_records_nothing(physio_client, patient, active_plan):
    physio_client.post(f"/plans/{active_plan.pk}/pause/", {"reason": ""})

    assert trail(patient) == []


def test_new_plan_sent_twice_records_one_new_plan(physio_client, patient):
    clearance = ClearanceFactory(patient=patient)
    data = {
        "request_key": str(uuid.uuid4()),
        "title": "Walking",
        "clearance": clearance.pk,
        "starts_on": TODAY.isoformat(),
    }

    physio_client.post(f"/patients/{patient.pk}/plans/new/", data)
    physio_client.post(f"/patients/{patient.pk}/plans/new/", data)

    assert trail(patient) == [("Maya Lindqvist", "change", "new plan")]


# In the domain -------------------------------------------------------------------------


def test_create_plan_with_the_same_key_creates_and_records_once(physio, patient):
    clearance = ClearanceFactory(patient=patient)
    key = uuid.uuid4()

    def create():
        return create_plan(
            patient=patient,
            clearance=clearance,
            title="Walking",
            starts_on=TODAY,
            created_by=physio,
            request_key=key,
        )

    first, second = create(), create()

    assert (first.created, second.created) == (True, False)
    assert first.plan == second.plan
    assert Plan.objects.filter(patient=patient).count() == 1
    assert trail(patient) == [("Maya Lindqvist", "change", "new plan")]


def test_change_status_records_one_change_and_a_refusal_none(physio, patient, plan):
    with pytest.raises(PlanRefused):
        change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY, by=physio)  # no activity
    PrescriptionFactory(plan=plan)
    change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY, by=physio)

    assert trail(patient) == [CHANGED]


def test_remove_prescription_records_a_removal_not_a_refusal_or_a_second_tap(
    physio, patient, active_plan
):
    walking = active_plan.prescriptions.get()
    swimming_ = PrescriptionFactory(plan=active_plan, activity=activity("Swimming"))

    remove_prescription(plan=active_plan, prescription_id=swimming_.pk, by=physio)
    remove_prescription(plan=active_plan, prescription_id=swimming_.pk, by=physio)
    with pytest.raises(PlanRefused):
        remove_prescription(plan=active_plan, prescription_id=walking.pk, by=physio)

    assert trail(patient) == [CHANGED]


def test_hold_and_resume_record_what_they_changed(physio, patient, active_plan):
    hold_progression(plan=active_plan, by=physio, today=TODAY, reason="Flare")
    hold_progression(plan=active_plan, by=physio, today=TODAY, reason="Again")
    resume_progression(plan=active_plan, by=physio, today=TODAY)
    resume_progression(plan=active_plan, by=physio, today=TODAY)

    assert list(PlanHold.objects.values_list("reason", "ends_on")) == [("Flare", TODAY)]
    assert trail(patient) == [CHANGED, CHANGED]


def test_add_and_change_prescription_save_the_checked_form_and_record_it(physio, patient, plan):
    form = PrescriptionForm(swimming(), plan=plan)
    assert form.is_valid(), form.errors

    added = add_prescription(prescription=form.save(commit=False), by=physio)
    changing = PrescriptionForm(swimming(sessions_per_week="5"), instance=added, plan=plan)
    assert changing.is_valid(), changing.errors
    changed = change_prescription(prescription=changing.save(commit=False), by=physio)

    assert changed.pk == added.pk
    assert plan.prescriptions.get().sessions_per_week == 5
    assert trail(patient) == [CHANGED, CHANGED]
