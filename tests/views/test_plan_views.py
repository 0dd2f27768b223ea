"""The physiotherapist's plan screens and the patient's plan page, through the web layer."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.conftest import sign_in_verified
from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PlanTemplateFactory,
    PrescriptionFactory,
    SessionLogFactory,
    TemplatePrescriptionFactory,
    activity,
    log_week,
    make_active_plan,
    make_patient,
    prescription_form,
)
from tracker.models import (
    Alert,
    AlertAttempt,
    AlertEmail,
    AlertKind,
    AtrophyKind,
    Clearance,
    Plan,
    PlanHold,
    PlanStatus,
    Prescription,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def clearance_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "request_key": str(uuid.uuid4()),
        "physician_name": "Dr Ines Duarte",
        "physician_registration": "GMC 7012345",
        "cleared_on": (today - dt.timedelta(days=2)).isoformat(),
        "valid_until": (today + dt.timedelta(days=60)).isoformat(),
        "activities": [activity("Walking").pk, activity("Swimming").pk],
        "max_session_minutes": "40",
        "max_heart_rate": "",
        "weight_bearing_allowed": "on",
        "restrictions": "No stairs.",
    }
    data.update(overrides)
    return data


# The patient's record ----------------------------------------------------------------


def test_record_opens_for_the_care_team(physio_client, patient):
    response = physio_client.get(f"/patients/{patient.pk}/")

    assert response.status_code == 200
    assert response.context["patient"] == patient


def test_record_of_another_teams_patient_is_not_found(physio_client, other_patient):
    assert physio_client.get(f"/patients/{other_patient.pk}/").status_code == 404


def test_record_is_not_for_patients(patient_client, patient):
    assert patient_client.get(f"/patients/{patient.pk}/").status_code == 403


@pytest.mark.parametrize("plans", [1, 12])
def test_record_query_count_does_not_grow_with_plans_sessions_and_alerts(
    physio_client, physio, patient, django_assert_num_queries, plans
):
    for _ in range(plans):
        plan = PlanFactory(clearance=ClearanceFactory(patient=patient))
        PrescriptionFactory(plan=plan)
        PrescriptionFactory(plan=plan, activity=activity("Swimming"))
        session = SessionLogFactory(plan=plan)
        Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain", session=session)
        danger = Alert.objects.create(patient=patient, kind=AlertKind.DANGER_SIGN, message="Sign")
        AlertEmail.objects.create(alert=danger, stage="care_team", address=f"a{danger.pk}@x.org")
        AlertAttempt.objects.create(alert=danger, by=physio, note="No answer")
        Alert.objects.create(
            patient=patient, kind=AlertKind.SILENCE, message="Quiet",
            acknowledged_at=timezone.now(), acknowledged_by=physio,
        )  # fmt: skip

    # session, user, patient; clearances + activities; plans + prescriptions + changes
    # (each plan's clearance is one of those read); the open and recent alerts in one, with
    # their e-mails and call attempts; sessions + their alerts + revisions; comments; their
    # replies and the new ones; the audit row
    with django_assert_num_queries(18):
        response = physio_client.get(f"/patients/{patient.pk}/")

    assert len(response.context["plans"]) == plans


# Recording a clearance -------------------------------------------------------------


def test_clearance_is_recorded_by_the_physio_with_its_letter(physio_client, physio, patient):
    letter = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")

    response = physio_client.post(
        f"/patients/{patient.pk}/clearances/new/", clearance_data(letter=letter)
    )

    assert response.status_code == 302
    clearance = Clearance.objects.get(patient=patient)
    assert clearance.recorded_by == physio
    assert set(clearance.activities.values_list("name", flat=True)) == {"Walking", "Swimming"}
    assert clearance.letter_content_type == "application/pdf"
    assert clearance.letter.name.startswith("clearances/")
    assert "scan" not in clearance.letter.name


def test_clearance_submitted_twice_is_saved_once(physio_client, patient):
    data = clearance_data()

    physio_client.post(f"/patients/{patient.pk}/clearances/new/", data)
    second = physio_client.post(f"/patients/{patient.pk}/clearances/new/", data)

    assert second.status_code == 302
    assert Clearance.objects.filter(patient=patient).count() == 1


def test_clearance_letter_that_lies_about_its_type_is_refused(physio_client, patient):
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = physio_client.post(
        f"/patients/{patient.pk}/clearances/new/", clearance_data(letter=fake)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["letter"] == [
        "Upload the letter as a PDF, PNG or JPEG file."
    ]
    assert Clearance.objects.count() == 0


def test_clearance_letter_over_the_size_limit_is_refused(physio_client, patient):
    big = SimpleUploadedFile(
        "big.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf"
    )

    response = physio_client.post(
        f"/patients/{patient.pk}/clearances/new/", clearance_data(letter=big)
    )

    assert response.context["form"].errors["letter"] == [
        "The file is 5.0 MB; the limit is 5 MB. Scan at a lower resolution or save as PDF."
    ]


def test_clearance_with_jogging_but_no_high_impact_is_refused_with_values_kept(
    physio_client, patient
):
    data = clearance_data(activities=[activity("Walking").pk, activity("Jogging").pk])

    response = physio_client.post(f"/patients/{patient.pk}/clearances/new/", data)

    form = response.context["form"]
    assert form.errors["activities"] == [
        "Jogging is high-impact: tick “High-impact exercise allowed” or leave Jogging out."
    ]
    assert form["physician_name"].value() == "Dr Ines Duarte"
    assert form["restrictions"].value() == "No stairs."
    assert Clearance.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"valid_until": "2020-01-01", "cleared_on": "2020-02-01"},
            "valid_until",
            "Valid until must be on or after the date cleared.",
        ),
        ({"cleared_on": "2999-01-01"}, "cleared_on", "The date cleared cannot be in the future."),
        ({"max_session_minutes": "600"}, "max_session_minutes", None),
        ({"max_session_minutes": "ten"}, "max_session_minutes", "Enter a whole number."),
        ({"activities": []}, "activities", "Tick at least one activity the physician cleared."),
        ({"physician_name": ""}, "physician_name", "This field is required."),
    ],
)
def test_clearance_bad_input_gets_a_message_at_its_field(
    physio_client, patient, overrides, field, message
):
    response = physio_client.post(
        f"/patients/{patient.pk}/clearances/new/", clearance_data(**overrides)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert len(errors) == 1
    if message:
        assert errors == [message]
    assert Clearance.objects.count() == 0


def test_clearance_letter_is_served_to_the_patient_and_care_team_only(
    physio_client, patient, patient_client, other_patient
):
    clearance = ClearanceFactory(patient=patient)
    clearance.letter = SimpleUploadedFile("x.pdf", PDF)
    clearance.letter_content_type = "application/pdf"
    clearance.save()
    url = f"/clearances/{clearance.pk}/letter/"
    stranger = Client()
    sign_in_verified(stranger, other_patient)

    mine = patient_client.get(url)
    theirs = physio_client.get(url)

    assert mine.status_code == 200
    assert mine["Content-Type"] == "application/pdf"
    assert b"".join(mine.streaming_content) == PDF
    assert theirs.status_code == 200
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302


# Creating a plan -------------------------------------------------------------------


def test_plan_from_template_leaves_out_jogging_and_says_why(physio_client, patient):
    clearance = ClearanceFactory(
        patient=patient, activities=[activity("Walking"), activity("Jogging")]
    )
    template = PlanTemplateFactory(name="Return to running")
    TemplatePrescriptionFactory(template=template, activity=activity("Walking"))
    TemplatePrescriptionFactory(template=template, activity=activity("Jogging"))

    response = physio_client.post(
        f"/patients/{patient.pk}/plans/new/",
        {
            "request_key": str(uuid.uuid4()),
            "title": "Back to running",
            "clearance": clearance.pk,
            "template": template.pk,
            "starts_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )

    plan = Plan.objects.get(patient=patient)
    assert plan.status == PlanStatus.DRAFT
    assert list(plan.prescriptions.values_list("activity__name", flat=True)) == ["Walking"]
    notes = [str(m) for m in response.context["messages"]]
    assert notes[1] == (
        "Jogging was left out: Jogging is high-impact, and the clearance does not allow "
        "high-impact exercise. Choose a low-impact activity such as walking or swimming."
    )


def test_plan_submitted_twice_is_created_once(physio_client, patient):
    clearance = ClearanceFactory(patient=patient)
    data = {
        "request_key": str(uuid.uuid4()),
        "title": "Walking",
        "clearance": clearance.pk,
        "starts_on": timezone.localdate().isoformat(),
    }

    first = physio_client.post(f"/patients/{patient.pk}/plans/new/", data)
    second = physio_client.post(f"/patients/{patient.pk}/plans/new/", data)

    assert first.url == second.url
    assert Plan.objects.filter(patient=patient).count() == 1


def test_plan_needs_a_current_clearance(physio_client, patient):
    ClearanceFactory(
        patient=patient,
        cleared_on=dt.date(2020, 1, 1),
        valid_until=dt.date(2020, 6, 1),
    )

    response = physio_client.get(f"/patients/{patient.pk}/plans/new/")

    assert response.context["has_clearance"] is False
    assert "has no current physician clearance" in response.text


def test_plan_cannot_use_another_patients_clearance(physio_client, patient, physio):
    someone_else = make_patient(care_team=[physio])
    theirs = ClearanceFactory(patient=someone_else)
    ClearanceFactory(patient=patient)

    response = physio_client.post(
        f"/patients/{patient.pk}/plans/new/",
        {"title": "x", "clearance": theirs.pk, "starts_on": timezone.localdate().isoformat()},
    )

    assert response.context["form"].errors["clearance"] == [
        "Choose one of this patient's current clearances."
    ]


# The plan editor -------------------------------------------------------------------


def prescription_data(name: str, **overrides) -> dict:
    return prescription_form(name, **overrides)


def test_adding_jogging_without_high_impact_returns_the_region_with_reason_and_values(
    physio_client, patient
):
    clearance = ClearanceFactory(patient=patient, activities=[activity("Jogging")])
    plan = PlanFactory(clearance=clearance)

    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/",
        prescription_data("Jogging", start_minutes="12"),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response["Vary"] == "HX-Request, Cookie"
    form = response.context["form"]
    assert form.errors["activity"] == [
        "Jogging is high-impact, and the clearance does not allow high-impact exercise. "
        "Choose a low-impact activity such as walking or swimming."
    ]
    assert form["start_minutes"].value() == "12"
    assert plan.prescriptions.count() == 0


def test_adding_a_session_longer_than_cleared_is_refused_at_the_field(physio_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient, max_session_minutes=30))

    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/",
        prescription_data("Walking", start_minutes="20", max_minutes="45"),
    )

    assert response.status_code == 200
    assert "<html" in response.text
    assert response.context["form"].errors["max_minutes"] == [
        "The clearance allows sessions of at most 30 minutes; this is 45."
    ]


def test_adding_and_removing_a_prescription_with_htmx(physio_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))

    added = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/", prescription_data("Swimming"), headers=HTMX
    )
    prescription = plan.prescriptions.get()
    removed = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/{prescription.pk}/remove/", headers=HTMX
    )

    assert added.status_code == 200
    assert "Swimming</strong>: 3 sessions a week" in added.text
    assert removed.status_code == 200
    assert "No activities yet" in removed.text
    assert plan.prescriptions.count() == 0


def test_adding_a_prescription_without_javascript_redirects_to_the_plan(physio_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))

    response = physio_client.post(f"/plans/{plan.pk}/prescriptions/", prescription_data("Walking"))

    assert response.status_code == 302
    assert response.url == f"/plans/{plan.pk}/"
    assert Prescription.objects.filter(plan=plan).count() == 1


def test_activating_a_valid_plan(physio_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))
    PrescriptionFactory(plan=plan)

    response = physio_client.post(f"/plans/{plan.pk}/status/", {"to": "active"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_activating_with_an_expired_clearance_is_refused_with_the_reason(physio_client, patient):
    clearance = ClearanceFactory(
        patient=patient, cleared_on=dt.date(2025, 1, 1), valid_until=dt.date(2025, 3, 1)
    )
    plan = PlanFactory(clearance=clearance, starts_on=dt.date(2025, 1, 2))
    PrescriptionFactory(plan=plan)

    response = physio_client.post(f"/plans/{plan.pk}/status/", {"to": "active"})

    assert response.status_code == 200
    assert response.context["problems"] == [
        "The physician's clearance ran out on 1 March 2025. A new clearance must be recorded first."
    ]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_plan_of_another_team_cannot_be_changed(client, other_physio, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))
    PrescriptionFactory(plan=plan)
    sign_in_verified(client, other_physio)

    assert client.get(f"/plans/{plan.pk}/").status_code == 404
    assert client.post(f"/plans/{plan.pk}/status/", {"to": "active"}).status_code == 404
    assert (
        client.post(f"/plans/{plan.pk}/prescriptions/", prescription_data("Walking")).status_code
        == 404
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


# The patient's plan page ----------------------------------------------------------


def test_patient_sees_this_weeks_target_and_who_cleared_it(patient_client, patient):
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(weeks=2)
    plan.save()
    log_week(plan, 0, 3)
    log_week(plan, 1, 3)

    response = patient_client.get("/plan/")

    assert response.status_code == 200
    ((_prescription, target),) = response.context["targets"]
    assert target.minutes == 12  # 10 minutes grown 10% for two weeks, rounded down
    assert "Week 3: started at 10 minutes, growing 10% a week, up to 30." in response.text
    assert "Cleared by <strong>Dr Ines Duarte</strong>" in response.text
    assert "<strong>No high-impact exercise</strong>" in response.text


def test_neurogenic_patient_sees_a_supervised_plan_that_does_not_grow(client, physio):
    patient = make_patient(care_team=[physio], atrophy_kind=AtrophyKind.NEUROGENIC)
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(weeks=5)
    plan.save()
    sign_in_verified(client, patient)

    response = client.get("/plan/")

    ((_, target),) = response.context["targets"]
    assert target.minutes == 10
    assert "Supervised plan." in response.text


def test_plan_whose_clearance_lapsed_is_shown_suspended(patient_client, patient):
    plan = make_active_plan(patient)
    Clearance.objects.filter(pk=plan.clearance_id).update(
        cleared_on=dt.date(2025, 1, 1), valid_until=dt.date(2025, 2, 1)
    )

    response = patient_client.get("/plan/")

    assert response.context["suspended"] is True
    assert "the physician's clearance ran out on 1 February 2025" in response.text


def test_patient_does_not_see_a_draft_plan(patient_client, patient):
    PlanFactory(clearance=ClearanceFactory(patient=patient))

    response = patient_client.get("/plan/")

    assert response.context["plan"] is None
    assert "You have no exercise plan yet" in response.text


def test_target_holds_after_a_week_with_too_few_sessions(patient_client, patient):
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(weeks=2)
    plan.save()
    log_week(plan, 0, 3)
    log_week(plan, 1, 1)  # 1 of 3 sessions: under the 80% target

    response = patient_client.get("/plan/")

    ((_, target),) = response.context["targets"]
    assert target.minutes == 11
    assert "fewer sessions than planned were logged last week" in response.text


def test_physio_holds_and_resumes_progression(physio_client, patient):
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(weeks=2)
    plan.save()
    log_week(plan, 0, 3)
    log_week(plan, 1, 3)
    PlanHold.objects.create(
        plan=plan, starts_on=plan.starts_on + dt.timedelta(days=3), held_by=plan.created_by
    )

    held = Client()
    sign_in_verified(held, patient)
    page = held.get("/plan/")
    ((_, target),) = page.context["targets"]
    physio_client.post(f"/plans/{plan.pk}/progression/", {"action": "resume"})
    physio_client.post(f"/plans/{plan.pk}/progression/", {"action": "hold", "reason": "Flare"})
    physio_client.post(f"/plans/{plan.pk}/progression/", {"action": "hold", "reason": "Again"})

    assert target.minutes == 10  # held from week 1: 10 minutes stays 10
    assert "Held by your physiotherapist for now." in page.text
    assert list(plan.holds.values_list("ends_on", "reason")) == [
        (timezone.localdate(), ""),
        (None, "Flare"),
    ]


def test_changing_a_prescription_applies_the_clearance_rules(physio_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient, max_session_minutes=30))
    prescription = PrescriptionFactory(plan=plan)
    prefix = f"p{prescription.pk}"
    data = {f"{prefix}-{key}": value for key, value in prescription_data("Walking").items()}

    refused = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/{prescription.pk}/",
        {**data, f"{prefix}-max_minutes": "45"},
        headers=HTMX,
    )
    changed = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/{prescription.pk}/",
        {**data, f"{prefix}-sessions_per_week": "5"},
    )

    assert "The clearance allows sessions of at most 30 minutes; this is 45." in refused.text
    assert changed.status_code == 302
    prescription.refresh_from_db()
    assert (prescription.sessions_per_week, prescription.max_minutes) == (5, 30)


def test_a_hold_sent_from_a_tab_older_than_the_hold_changes_nothing_and_says_so(
    physio_client, patient
):
    """Another physiotherapist held the plan while this one's tab still showed the hold form;
    their too-long reason is not refused at a form the page no longer shows."""
    plan = make_active_plan(patient)
    PlanHold.objects.create(
        plan=plan, starts_on=timezone.localdate(), held_by=plan.created_by, reason="Flare"
    )

    response = physio_client.post(
        f"/plans/{plan.pk}/progression/", {"action": "hold", "reason": "x" * 201}, follow=True
    )

    assert "Progression was already held; nothing changed." in response.text
    assert list(plan.holds.values_list("ends_on", "reason")) == [(None, "Flare")]
