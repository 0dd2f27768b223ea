"""Plan changes guarded: an active plan keeps an activity; pausing and completing ask for a
reason the patient reads; what the patient reads on a paused or completed plan."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import PhysiotherapistFactory, PrescriptionFactory, activity, make_active_plan
from tracker.domain.plans import change_status
from tracker.models import PlanChange, PlanStatus, Prescription

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
REASON = "Knee swollen after Sunday's walk: rest until we see you on Friday."


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(patient):
    return make_active_plan(patient)


# The last activity -------------------------------------------------------------------


def test_removing_the_last_activity_of_an_active_plan_is_refused(physio_client, plan):
    walking = plan.prescriptions.get()

    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/{walking.pk}/remove/", follow=True
    )

    assert Prescription.objects.filter(pk=walking.pk).exists()
    assert (
        "This is the plan's last activity, and an active plan needs one to follow. "
        "Pause or complete the plan instead, or add another activity first."
    ) in [str(m) for m in response.context["messages"]]
    assert "No activities yet" not in response.text


def test_removing_the_last_activity_with_htmx_says_why_in_place(physio_client, plan):
    walking = plan.prescriptions.get()

    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/{walking.pk}/remove/", headers=HTMX
    )

    assert response.status_code == 200
    assert "Pause or complete the plan instead" in response.text
    assert "Walking</strong>" in response.text
    assert plan.prescriptions.count() == 1


def test_removing_one_of_two_activities_of_an_active_plan_is_allowed(physio_client, plan):
    swimming = PrescriptionFactory(plan=plan, activity=activity("Swimming"))

    physio_client.post(f"/plans/{plan.pk}/prescriptions/{swimming.pk}/remove/")

    assert [p.activity.name for p in plan.prescriptions.all()] == ["Walking"]


def test_a_suspended_activity_does_not_count_as_one_left(physio_client, plan):
    walking = plan.prescriptions.get()
    PrescriptionFactory(
        plan=plan, activity=activity("Swimming"), suspended_on=dt.date(2026, 11, 30)
    )

    physio_client.post(f"/plans/{plan.pk}/prescriptions/{walking.pk}/remove/")

    assert Prescription.objects.filter(pk=walking.pk).exists()


# Pausing through the confirm page ------------------------------------------------------


def test_pause_button_opens_the_confirm_page_and_changes_nothing(physio_client, plan):
    editor = physio_client.get(f"/plans/{plan.pk}/")
    tapped = physio_client.post(f"/plans/{plan.pk}/status/", {"to": "paused"})
    confirm = physio_client.get(f"/plans/{plan.pk}/pause/")

    assert f'href="/plans/{plan.pk}/pause/"' in editor.text
    assert tapped.status_code == 302
    assert tapped.url == f"/plans/{plan.pk}/pause/"
    assert confirm.status_code == 200
    assert "<h1>Pause “Walking back to strength”?</h1>" in confirm.text
    assert 'name="reason"' in confirm.text
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_pause_without_a_reason_comes_back_with_the_error_at_the_field(physio_client, plan):
    response = physio_client.post(f"/plans/{plan.pk}/pause/", {"reason": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "Write the reason the patient will read, for example “Knee swollen: rest until we see "
        "you on Friday”."
    ]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert not PlanChange.objects.exists()


def test_pause_with_a_reason_too_long_keeps_the_text(physio_client, plan):
    long = "Rest." * 61

    response = physio_client.post(f"/plans/{plan.pk}/pause/", {"reason": long})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "This reason is 305 characters; the most is 300. Shorten it and save again."
    ]
    assert long in response.text
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_pause_with_a_reason_pauses_and_records_who_why_and_when(physio_client, physio, plan):
    response = physio_client.post(f"/plans/{plan.pk}/pause/", {"reason": REASON})

    assert response.status_code == 302
    assert response.url == f"/plans/{plan.pk}/"
    plan.refresh_from_db()
    assert (plan.status, plan.status_reason, plan.status_changed_by) == (
        PlanStatus.PAUSED,
        REASON,
        physio,
    )
    assert plan.status_changed_at == NOW
    (change,) = PlanChange.objects.filter(plan=plan)
    assert (change.summary, change.made_by, change.details) == (
        "Plan paused",
        physio,
        [f"Maya Lindqvist paused the plan: {REASON}"],
    )


def test_pause_submitted_twice_changes_once(physio_client, plan):
    physio_client.post(f"/plans/{plan.pk}/pause/", {"reason": REASON})
    second = physio_client.post(
        f"/plans/{plan.pk}/pause/", {"reason": "Another reason"}, follow=True
    )

    assert second.status_code == 200
    plan.refresh_from_db()
    assert plan.status_reason == REASON
    assert PlanChange.objects.filter(plan=plan).count() == 1
    assert any("already paused" in str(m) for m in second.context["messages"])


def test_pause_after_someone_else_paused_meanwhile_says_so(physio_client, patient, plan):
    colleague = PhysiotherapistFactory(first_name="Dana", last_name="Ortiz")
    patient.profile.care_team.add(colleague)
    opened = physio_client.get(f"/plans/{plan.pk}/pause/")
    change_status(
        plan=plan, to=PlanStatus.PAUSED, today=NOW.date(), by=colleague, reason="Flu, rest."
    )

    response = physio_client.post(f"/plans/{plan.pk}/pause/", {"reason": REASON}, follow=True)

    assert opened.status_code == 200
    assert response.status_code == 200
    assert (
        "This plan is already paused: Dana Ortiz paused it on 1 December at 10:00. "
        "Nothing more was changed."
    ) in [str(m) for m in response.context["messages"]]
    plan.refresh_from_db()
    assert (plan.status_reason, plan.status_changed_by) == ("Flu, rest.", colleague)


def test_resume_needs_no_reason_and_records_who(physio_client, physio, plan):
    colleague = PhysiotherapistFactory(first_name="Dana", last_name="Ortiz")
    change_status(plan=plan, to=PlanStatus.PAUSED, today=NOW.date(), by=colleague, reason="Flu")

    response = physio_client.post(f"/plans/{plan.pk}/status/", {"to": "active"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.status_changed_by, plan.status_reason) == (
        PlanStatus.ACTIVE,
        physio,
        "",
    )
    assert PlanChange.objects.filter(plan=plan).first().details == [
        "Maya Lindqvist resumed the plan."
    ]


def test_complete_goes_through_its_confirm_page(physio_client, plan):
    confirm = physio_client.get(f"/plans/{plan.pk}/complete/")
    done = physio_client.post(f"/plans/{plan.pk}/complete/", {"reason": "Back to full activity."})

    assert "<h1>Complete “Walking back to strength”?</h1>" in confirm.text
    assert done.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.status_reason) == (PlanStatus.COMPLETED, "Back to full activity.")


def test_confirm_page_is_not_for_another_team(patient, plan, other_physio):
    client = client_for(other_physio)

    assert client.get(f"/plans/{plan.pk}/pause/").status_code == 404
    assert client.post(f"/plans/{plan.pk}/pause/", {"reason": REASON}).status_code == 404
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


# What the patient reads -------------------------------------------------------------


def test_patient_reads_who_paused_the_plan_when_why_and_what_to_do(patient_client, plan):
    colleague = PhysiotherapistFactory(first_name="Dana", last_name="Ortiz")
    change_status(plan=plan, to=PlanStatus.PAUSED, today=NOW.date(), by=colleague, reason=REASON)

    for url in ("/today/", "/plan/"):
        text = patient_client.get(url).text

        assert f"Dana Ortiz paused your plan on 1 December: “{REASON}”" in text.replace(
            "&#x27;", "'"
        )
        assert "Rest until your physiotherapist resumes it; you can still report how you feel." in (
            text
        )
        assert 'href="/report-danger/"' in text
    assert "Log a session" not in patient_client.get("/today/").text


def test_patient_reads_that_a_completed_plan_is_complete(patient_client, physio, plan):
    change_status(
        plan=plan, to=PlanStatus.COMPLETED, today=NOW.date(), by=physio, reason="Well done!"
    )

    for url in ("/today/", "/plan/"):
        text = patient_client.get(url).text

        assert "Your plan “Walking back to strength” is complete." in text
        assert "Maya Lindqvist completed it on 1 December: “Well done!”" in text
        assert "0 of 0" not in text


def test_admin_pause_action_records_which_admin_paused(admin_client, admin_user, plan):
    admin_client.post(
        reverse("admin:tracker_plan_changelist"),
        {"action": "pause", "_selected_action": [plan.pk]},
    )

    plan.refresh_from_db()
    assert (plan.status, plan.status_changed_by) == (PlanStatus.PAUSED, admin_user)
    assert PlanChange.objects.get(plan=plan).details == ["Alex Morgan paused the plan."]
