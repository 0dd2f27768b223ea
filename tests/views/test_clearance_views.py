"""Recording a newer, stricter clearance: the old one is superseded, the plan is moved onto
the new one and re-checked, and every page tells the same limits the same day."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import time_machine

from tests.conftest import sign_in_verified
from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PrescriptionFactory,
    activity,
)
from tracker.domain.clearances import apply_new_clearance
from tracker.models import Clearance, PlanChange, PlanStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 2)
LOWERED = (
    "The new clearance from Dr Amir Sayed sets the longest session at 40 minutes, "
    "so walking now goes up to 40 minutes."
)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def old_plan(patient, physio):
    old = ClearanceFactory(
        patient=patient,
        recorded_by=physio,
        cleared_on=dt.date(2026, 10, 1),
        valid_until=dt.date(2027, 3, 31),
        max_session_minutes=45,
    )
    plan = PlanFactory(
        clearance=old, status=PlanStatus.ACTIVE, starts_on=dt.date(2026, 10, 5), created_by=physio
    )
    PrescriptionFactory(plan=plan, start_minutes=20, max_minutes=45)
    return plan


def new_clearance_data(**overrides) -> dict:
    data = {
        "request_key": str(uuid.uuid4()),
        "physician_name": "Dr Amir Sayed",
        "physician_registration": "GMC 7654321",
        "cleared_on": TODAY.isoformat(),
        "valid_until": "2027-06-30",
        "activities": [activity("Walking").pk, activity("Swimming").pk],
        "max_session_minutes": "40",
        "max_heart_rate": "120",
        "weight_bearing_allowed": "on",
        "restrictions": "",
    }
    return data | overrides


def test_stricter_clearance_shows_40_on_every_page_the_same_day(
    physio_client, patient_client, patient, old_plan
):
    response = physio_client.post(f"/patients/{patient.pk}/clearances/new/", new_clearance_data())
    assert response.status_code == 302

    record = physio_client.get(f"/patients/{patient.pk}/").text
    editor = physio_client.get(f"/plans/{old_plan.pk}/").text
    today = patient_client.get("/today/").text
    my_plan = patient_client.get("/plan/").text

    assert record.count('<span class="badge badge-ok">current</span>') == 1
    assert "Superseded on 2 December 2026 by Dr Amir Sayed’s clearance of 2 Dec 2026" in record  # noqa: RUF001
    assert LOWERED in record
    for page in (editor, my_plan):
        assert "Sessions of at most <strong>40 minutes</strong>" in page
        assert "Heart rate no higher than <strong>120 beats a minute</strong>" in page
        assert "45 minutes" not in page
    assert "20 minutes growing to 40" in editor
    assert LOWERED in today
    assert LOWERED in my_plan
    assert "valid until <strong>30 June 2027</strong>" in my_plan


def test_stricter_clearance_submitted_twice_rechecks_once(physio_client, patient, old_plan):
    data = new_clearance_data()

    physio_client.post(f"/patients/{patient.pk}/clearances/new/", data)
    physio_client.post(f"/patients/{patient.pk}/clearances/new/", data)

    assert Clearance.objects.filter(patient=patient).count() == 2
    assert PlanChange.objects.filter(plan=old_plan).count() == 1


def test_refused_clearance_changes_no_plan(physio_client, patient, old_plan):
    response = physio_client.post(
        f"/patients/{patient.pk}/clearances/new/",
        new_clearance_data(max_session_minutes="2"),
    )

    assert response.status_code == 200
    assert "max_session_minutes" in response.context["form"].errors
    old_plan.refresh_from_db()
    assert old_plan.clearance.max_session_minutes == 45
    assert old_plan.prescriptions.get().max_minutes == 45
    assert not PlanChange.objects.exists()
    assert not Clearance.objects.filter(superseded_on__isnull=False).exists()


def test_clearance_without_walking_suspends_it_and_the_patient_cannot_log_it(
    physio_client, patient_client, patient, old_plan
):
    PrescriptionFactory(plan=old_plan, activity=activity("Swimming"), max_minutes=30)

    physio_client.post(
        f"/patients/{patient.pk}/clearances/new/",
        new_clearance_data(activities=[activity("Swimming").pk]),
    )
    log_form = patient_client.get("/log/")
    my_plan = patient_client.get("/plan/").text
    editor = physio_client.get(f"/plans/{old_plan.pk}/").text

    choices = [label for _, label in log_form.context["form"].fields["activity"].choices]
    assert choices[0] == "Swimming"
    assert "The new clearance does not include walking, so walking is set aside for now." in (
        my_plan
    )
    assert [p.activity.name for p, _ in patient_client.get("/plan/").context["targets"]] == [
        "Swimming"
    ]
    assert "Set aside: The new clearance does not include walking." in editor


def test_clearance_that_allows_nothing_in_the_plan_pauses_it_and_says_why(
    physio_client, patient_client, patient, old_plan
):
    physio_client.post(
        f"/patients/{patient.pk}/clearances/new/",
        new_clearance_data(activities=[activity("Swimming").pk]),
    )

    old_plan.refresh_from_db()
    today = patient_client.get("/today/").text
    assert old_plan.status == PlanStatus.PAUSED
    assert "Your plan was paused on 2 December" in today
    assert "allows none of this plan&#x27;s activities" in today
    assert "Log a session" not in today
    assert "Report a danger sign" in today


@pytest.mark.parametrize("clearances", [1, 8])
def test_record_query_count_does_not_grow_with_clearances_and_changes(
    physio_client, physio, patient, django_assert_num_queries, clearances
):
    plan = PlanFactory(
        clearance=ClearanceFactory(patient=patient, cleared_on=dt.date(2026, 1, 1)),
        status=PlanStatus.ACTIVE,
    )
    PrescriptionFactory(plan=plan, max_minutes=30)
    for day in range(clearances):
        newer = ClearanceFactory(
            patient=patient, cleared_on=dt.date(2026, 2, 1) + dt.timedelta(days=day)
        )
        apply_new_clearance(clearance=newer, by=physio)

    # session, user, the device that verified the sign-in, patient; clearances (with who
    # recorded and who superseded them) + activities; plans + prescriptions + changes (each
    # plan's clearance is one of those read); the open and recent alerts in one; sessions +
    # their alerts + revisions; comments, their replies; the audit row
    with django_assert_num_queries(16):
        response = physio_client.get(f"/patients/{patient.pk}/")

    text = response.text
    assert len(re.findall(r"Superseded on", text)) == clearances
    assert text.count('<span class="badge badge-ok">current</span>') == 1


def test_clearance_form_says_it_replaces_the_current_one(physio_client, patient, old_plan):
    response = physio_client.get(f"/patients/{patient.pk}/clearances/new/")

    assert (
        "This clearance replaces the current one (Dr Ines Duarte, 1 Oct 2026 to 31 Mar 2027) "
        "from the date cleared."
    ) in response.text


def test_patient_is_told_of_the_change_for_a_fortnight(
    physio_client, patient_client, patient, old_plan
):
    physio_client.post(f"/patients/{patient.pk}/clearances/new/", new_clearance_data())

    with time_machine.travel(NOW + dt.timedelta(days=14), tick=False):
        sign_in_verified(patient_client, patient)  # a fresh sign-in: the old one has run out
        after_a_fortnight = patient_client.get("/today/").text
    with time_machine.travel(NOW + dt.timedelta(days=15), tick=False):
        sign_in_verified(patient_client, patient)
        later = patient_client.get("/today/").text

    assert LOWERED in after_a_fortnight
    assert LOWERED not in later


def test_record_lists_the_current_clearance_first_then_the_others_newest_first(
    physio_client, patient, physio
):
    # The superseded one ran longer than the one that replaced it.
    oldest = ClearanceFactory(
        patient=patient,
        physician_name="Dr Old Expired",
        cleared_on=dt.date(2025, 6, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    superseded = ClearanceFactory(
        patient=patient,
        physician_name="Dr Long Superseded",
        cleared_on=dt.date(2026, 9, 1),
        valid_until=dt.date(2027, 12, 31),
    )
    PlanFactory(clearance=oldest, status=PlanStatus.COMPLETED, created_by=physio)
    current = ClearanceFactory(
        patient=patient,
        physician_name="Dr Now Current",
        cleared_on=dt.date(2026, 11, 20),
        valid_until=dt.date(2027, 3, 31),
    )
    apply_new_clearance(clearance=current, by=physio)
    superseded.refresh_from_db()
    assert superseded.superseded_on == dt.date(2026, 11, 20)

    text = physio_client.get(f"/patients/{patient.pk}/").text

    names = re.findall(r"<strong>(Dr [A-Za-z ]+)</strong> \(GMC", text)
    assert names == ["Dr Now Current", "Dr Long Superseded", "Dr Old Expired"]
