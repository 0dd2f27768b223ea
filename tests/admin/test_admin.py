"""Django's admin: who may open it, and the plan rules holding there as they do in the app."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PlanTemplateFactory,
    PrescriptionFactory,
    TemplatePrescriptionFactory,
    activity,
    make_patient,
)
from tracker.models import (
    Activity,
    Clearance,
    PatientProfile,
    Plan,
    PlanStatus,
    PlanTemplate,
    Prescription,
    User,
)

pytestmark = pytest.mark.django_db

HIGH_IMPACT_REFUSED = (
    "Jogging is high-impact, and the clearance does not allow high-impact exercise. "
    "Choose a low-impact activity such as walking or swimming."
)
MODELS = ["user", "patientprofile", "activity", "clearance", "plantemplate", "plan"]


@pytest.fixture
def one_of_each(patient) -> None:
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))
    PrescriptionFactory(plan=plan)
    TemplatePrescriptionFactory(template=PlanTemplateFactory(name="Knee, early weeks"))


def jogging_clearance(patient, **fields) -> Clearance:
    """A current clearance that lists jogging but does not allow high impact."""
    return ClearanceFactory(
        patient=patient, activities=[activity("Walking"), activity("Jogging")], **fields
    )


def prescription_rows(*rows: dict, initial: int = 0) -> dict:
    """The Prescription inline's POST data: its management form and one entry per row."""
    data = {
        "prescriptions-TOTAL_FORMS": str(len(rows)),
        "prescriptions-INITIAL_FORMS": str(initial),
        "prescriptions-MIN_NUM_FORMS": "0",
        "prescriptions-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        fields = {
            "sessions_per_week": 3,
            "start_minutes": 10,
            "max_minutes": 30,
            "weekly_progression_percent": 10,
            "effort_min": 9,
            "effort_max": 13,
            **row,
        }
        data.update({f"prescriptions-{index}-{name}": value for name, value in fields.items()})
    return data


def plan_form(clearance: Clearance, **fields) -> dict:
    return {
        "patient": clearance.patient.pk,
        "clearance": clearance.pk,
        "title": "Back on my feet",
        "starts_on": timezone.localdate().isoformat(),
        "notes": "",
        "_save": "Save",
        **fields,
    }


def run_action(client, action: str, *plans: Plan):
    return client.post(
        reverse("admin:tracker_plan_changelist"),
        {"action": action, "_selected_action": [plan.pk for plan in plans]},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def inline_errors(response) -> list[dict]:
    (inline,) = response.context["inline_admin_formsets"]
    return inline.formset.errors


# Who may open it ------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("page", ["changelist", "add"])
def test_admin_pages_open_for_admin(admin_client, one_of_each, model, page):
    response = admin_client.get(reverse(f"admin:tracker_{model}_{page}"))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("model", "model_class"),
    [
        ("user", User),
        ("patientprofile", PatientProfile),
        ("activity", Activity),
        ("clearance", Clearance),
        ("plantemplate", PlanTemplate),
        ("plan", Plan),
    ],
)
def test_admin_change_pages_open_for_admin(admin_client, one_of_each, model, model_class):
    obj = model_class.objects.first()

    response = admin_client.get(reverse(f"admin:tracker_{model}_change", args=[obj.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("page", ["changelist", "add"])
def test_admin_pages_send_physiotherapist_to_admin_login(physio_client, model, page):
    url = reverse(f"admin:tracker_{model}_{page}")

    response = physio_client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


def test_admin_pages_send_patient_to_admin_login(patient_client):
    url = reverse("admin:tracker_plan_changelist")

    response = patient_client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


# Changelists ----------------------------------------------------------------------------


def test_plan_changelist_shows_clearance_end_and_status(admin_client, patient):
    clearance = ClearanceFactory(patient=patient, valid_until=dt.date(2031, 3, 4))
    plan = PlanFactory(clearance=clearance, title="Walking back")

    response = admin_client.get(reverse("admin:tracker_plan_changelist"))

    assert list(response.context["cl"].result_list) == [plan]
    assert '<td class="field-clearance_valid_until nowrap">4 Mar 2031</td>' in response.text
    assert '<td class="field-status">Draft</td>' in response.text


def test_plan_changelist_search_finds_patient_by_name(admin_client, patient, other_patient):
    mine = PlanFactory(clearance=ClearanceFactory(patient=patient))
    PlanFactory(clearance=ClearanceFactory(patient=other_patient))

    response = admin_client.get(reverse("admin:tracker_plan_changelist"), {"q": "Novak"})

    assert list(response.context["cl"].result_list) == [mine]


def test_clearance_changelist_marks_current_and_expired(admin_client, patient):
    today = timezone.localdate()
    current = ClearanceFactory(patient=patient)
    expired = ClearanceFactory(
        patient=patient,
        cleared_on=today - dt.timedelta(days=100),
        valid_until=today - dt.timedelta(days=1),
    )

    response = admin_client.get(reverse("admin:tracker_clearance_changelist"))

    assert list(response.context["cl"].result_list) == [current, expired]
    current_column = r'<td class="field-is_current"><img src="[^"]+" alt="(\w+)">'
    assert re.findall(current_column, response.text) == ["True", "False"]


@pytest.mark.parametrize(("model", "queries"), [("plan", 6), ("clearance", 6)])  # no date hierarchy
def test_changelist_query_count_is_flat(
    admin_client, django_assert_num_queries, patient, other_patient, model, queries
):
    PlanFactory(clearance=ClearanceFactory(patient=patient))
    url = reverse(f"admin:tracker_{model}_changelist")
    admin_client.get(url)  # settles the session and content types
    with django_assert_num_queries(queries):
        admin_client.get(url)

    for someone in (other_patient, make_patient(), make_patient()):
        PlanFactory(clearance=ClearanceFactory(patient=someone))

    with django_assert_num_queries(queries):
        admin_client.get(url)


# Plan status actions --------------------------------------------------------------------


def test_activate_action_activates_valid_draft(admin_client, patient):
    plan = PrescriptionFactory(plan__clearance=ClearanceFactory(patient=patient)).plan

    response = run_action(admin_client, "activate", plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert messages_of(response) == ["1 plan activated."]


def test_activate_action_refuses_jogging_without_high_impact_clearance(admin_client, patient):
    plan = PlanFactory(clearance=jogging_clearance(patient), title="Run again")
    PrescriptionFactory(plan=plan, activity=activity("Jogging"))

    response = run_action(admin_client, "activate", plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    message = f"“Run again” (Anna Novak) was not activated: {HIGH_IMPACT_REFUSED}"
    assert messages_of(response) == [message]
    assert f'<li class="error">{message}</li>' in response.text


def test_activate_action_refuses_plan_on_expired_clearance(admin_client, patient):
    expired = ClearanceFactory(
        patient=patient,
        cleared_on=dt.date(2024, 1, 10),
        valid_until=dt.date(2024, 4, 30),
    )
    plan = PlanFactory(clearance=expired, title="Walk")
    PrescriptionFactory(plan=plan)

    response = run_action(admin_client, "activate", plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert messages_of(response) == [
        "“Walk” (Anna Novak) was not activated: The physician's clearance ran out on "
        "30 April 2024. A new clearance must be recorded first."
    ]


def test_activate_action_reports_each_refused_plan_and_activates_the_rest(
    admin_client, patient, other_patient
):
    good = PrescriptionFactory(plan__clearance=ClearanceFactory(patient=patient)).plan
    empty = PlanFactory(clearance=ClearanceFactory(patient=other_patient), title="Empty")

    response = run_action(admin_client, "activate", good, empty)

    assert list(Plan.objects.order_by("pk").values_list("status", flat=True)) == [
        PlanStatus.ACTIVE,
        PlanStatus.DRAFT,
    ]
    assert messages_of(response) == [
        "“Empty” (Ben Carter) was not activated: Add at least one activity to the plan first.",
        "1 plan activated.",
    ]


def test_pause_and_complete_actions_move_an_active_plan(admin_client, patient):
    plan = PrescriptionFactory(
        plan__clearance=ClearanceFactory(patient=patient), plan__status=PlanStatus.ACTIVE
    ).plan

    paused = run_action(admin_client, "pause", plan)
    plan.refresh_from_db()
    status_after_pause = plan.status
    completed = run_action(admin_client, "complete", plan)
    plan.refresh_from_db()

    assert (status_after_pause, plan.status) == (PlanStatus.PAUSED, PlanStatus.COMPLETED)
    assert messages_of(paused) == ["1 plan paused."]
    assert messages_of(completed) == ["1 plan completed."]


def test_complete_action_refuses_a_draft(admin_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient), title="Walk")

    response = run_action(admin_client, "complete", plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert messages_of(response) == [
        "“Walk” (Anna Novak) was not completed: A draft plan cannot be made completed."
    ]


# Plan change form -----------------------------------------------------------------------


def test_new_plan_through_admin_is_a_draft_created_by_the_admin(admin_client, admin_user, patient):
    clearance = ClearanceFactory(patient=patient)
    data = plan_form(clearance, status="active") | prescription_rows(
        {"activity": activity("Walking").pk}
    )

    response = admin_client.post(reverse("admin:tracker_plan_add"), data)

    assert response.status_code == 302
    plan = Plan.objects.get()
    assert (plan.status, plan.created_by, plan.clearance) == (
        PlanStatus.DRAFT,
        admin_user,
        clearance,
    )
    assert list(plan.prescriptions.values_list("activity__name", "start_minutes")) == [
        ("Walking", 10)
    ]


def test_inline_jogging_on_clearance_without_high_impact_is_refused_and_nothing_saved(
    admin_client, patient
):
    data = plan_form(jogging_clearance(patient)) | prescription_rows(
        {"activity": activity("Jogging").pk}
    )

    response = admin_client.post(reverse("admin:tracker_plan_add"), data)

    assert response.status_code == 200
    assert inline_errors(response) == [{"activity": [HIGH_IMPACT_REFUSED]}]
    assert HIGH_IMPACT_REFUSED in response.text
    assert (Plan.objects.count(), Prescription.objects.count()) == (0, 0)


def test_inline_minutes_over_clearance_session_limit_are_refused(admin_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient, max_session_minutes=30))
    data = plan_form(plan.clearance) | prescription_rows(
        {"activity": activity("Walking").pk, "start_minutes": 10, "max_minutes": 45}
    )

    response = admin_client.post(reverse("admin:tracker_plan_change", args=[plan.pk]), data)

    assert response.status_code == 200
    assert inline_errors(response) == [
        {"max_minutes": ["The clearance allows sessions of at most 30 minutes; this is 45."]}
    ]
    assert Prescription.objects.count() == 0


def test_inline_ranges_out_of_order_give_field_errors(admin_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))
    data = plan_form(plan.clearance) | prescription_rows(
        {
            "activity": activity("Walking").pk,
            "start_minutes": 20,
            "max_minutes": 15,
            "effort_min": 14,
            "effort_max": 11,
        }
    )

    response = admin_client.post(reverse("admin:tracker_plan_change", args=[plan.pk]), data)

    assert response.status_code == 200
    assert inline_errors(response) == [
        {
            "max_minutes": ["Must be at least the minutes at the start (20)."],
            "effort_max": ["Must be at least the lowest effort (14)."],
        }
    ]
    assert Prescription.objects.count() == 0


def test_inline_same_activity_twice_is_refused(admin_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))
    walking = activity("Walking").pk
    data = plan_form(plan.clearance) | prescription_rows(
        {"activity": walking}, {"activity": walking}
    )

    response = admin_client.post(reverse("admin:tracker_plan_change", args=[plan.pk]), data)

    assert response.status_code == 200
    (inline,) = response.context["inline_admin_formsets"]
    assert inline.formset.non_form_errors() == ["Please correct the duplicate data for activity."]
    assert Prescription.objects.count() == 0


def test_changing_draft_clearance_rechecks_existing_prescriptions(admin_client, patient):
    plan = PlanFactory(clearance=jogging_clearance(patient, high_impact_allowed=True))
    jogging = PrescriptionFactory(plan=plan, activity=activity("Jogging"))
    stricter = jogging_clearance(patient)
    data = plan_form(stricter) | prescription_rows(
        {"id": jogging.pk, "plan": plan.pk, "activity": jogging.activity_id}, initial=1
    )

    response = admin_client.post(reverse("admin:tracker_plan_change", args=[plan.pk]), data)

    assert response.status_code == 200
    assert inline_errors(response) == [{"activity": [HIGH_IMPACT_REFUSED]}]
    plan.refresh_from_db()
    assert plan.clearance_id != stricter.pk


def test_plan_clearance_must_belong_to_the_patient(admin_client, patient, other_patient):
    someone_elses = ClearanceFactory(patient=other_patient)
    data = plan_form(someone_elses, patient=patient.pk) | prescription_rows()

    response = admin_client.post(reverse("admin:tracker_plan_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "clearance": ["This clearance was recorded for Ben Carter."]
    }
    assert Plan.objects.count() == 0


def test_plan_status_is_read_only_in_the_change_form(admin_client, patient):
    plan = PrescriptionFactory(plan__clearance=ClearanceFactory(patient=patient)).plan
    prescription = plan.prescriptions.get()
    data = plan_form(plan.clearance, status="active", title="Renamed") | prescription_rows(
        {"id": prescription.pk, "plan": plan.pk, "activity": prescription.activity_id},
        initial=1,
    )

    response = admin_client.post(reverse("admin:tracker_plan_change", args=[plan.pk]), data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.status) == ("Renamed", PlanStatus.DRAFT)


def test_active_plan_clearance_and_patient_are_read_only(admin_client, patient):
    plan = PrescriptionFactory(
        plan__clearance=ClearanceFactory(patient=patient), plan__status=PlanStatus.ACTIVE
    ).plan
    prescription = plan.prescriptions.get()
    other_clearance = ClearanceFactory(patient=patient)
    data = plan_form(other_clearance) | prescription_rows(
        {"id": prescription.pk, "plan": plan.pk, "activity": prescription.activity_id},
        initial=1,
    )
    url = reverse("admin:tracker_plan_change", args=[plan.pk])

    form_fields = set(admin_client.get(url).context["adminform"].form.fields)
    response = admin_client.post(url, data)

    assert form_fields == {"title", "starts_on", "notes"}
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.clearance_id != other_clearance.pk


def test_active_plan_cannot_lose_its_last_activity(admin_client, patient):
    plan = PrescriptionFactory(
        plan__clearance=ClearanceFactory(patient=patient), plan__status=PlanStatus.ACTIVE
    ).plan
    prescription = plan.prescriptions.get()
    data = plan_form(plan.clearance) | prescription_rows(
        {
            "id": prescription.pk,
            "plan": plan.pk,
            "activity": prescription.activity_id,
            "DELETE": "on",
        },
        initial=1,
    )

    response = admin_client.post(reverse("admin:tracker_plan_change", args=[plan.pk]), data)

    assert response.status_code == 200
    (inline,) = response.context["inline_admin_formsets"]
    assert inline.formset.non_form_errors() == ["An active plan needs at least one activity."]
    assert plan.prescriptions.count() == 1


# Clearances -----------------------------------------------------------------------------


def clearance_form(patient, **fields) -> dict:
    today = timezone.localdate()
    return {
        "patient": patient.pk,
        "physician_name": "Dr Ines Duarte",
        "physician_registration": "GMC 7012345",
        "cleared_on": today.isoformat(),
        "valid_until": (today + dt.timedelta(days=90)).isoformat(),
        "activities": [activity("Walking").pk, activity("Swimming").pk],
        "max_session_minutes": "30",
        "max_heart_rate": "",
        "weight_bearing_allowed": "on",
        "restrictions": "",
        "_save": "Save",
        **fields,
    }


def test_new_clearance_is_recorded_by_the_admin(admin_client, admin_user, patient):
    response = admin_client.post(reverse("admin:tracker_clearance_add"), clearance_form(patient))

    assert response.status_code == 302
    clearance = Clearance.objects.get()
    assert (clearance.patient, clearance.recorded_by) == (patient, admin_user)
    assert set(clearance.activities.values_list("name", flat=True)) == {"Walking", "Swimming"}


def test_edited_clearance_keeps_who_recorded_it(admin_client, physio, patient):
    clearance = ClearanceFactory(patient=patient, recorded_by=physio)
    data = clearance_form(patient, max_session_minutes="40")

    response = admin_client.post(
        reverse("admin:tracker_clearance_change", args=[clearance.pk]), data
    )

    assert response.status_code == 302
    clearance.refresh_from_db()
    assert (clearance.max_session_minutes, clearance.recorded_by) == (40, physio)


def test_clearance_letter_upload_records_its_type(admin_client, patient, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letter = SimpleUploadedFile("Anna Novak.pdf", b"%PDF-1.4\n", content_type="application/pdf")

    response = admin_client.post(
        reverse("admin:tracker_clearance_add"), clearance_form(patient, letter=letter)
    )

    assert response.status_code == 302
    clearance = Clearance.objects.get()
    assert clearance.letter_content_type == "application/pdf"
    assert clearance.letter.name.startswith("clearances/")
    assert clearance.letter.name.endswith(".pdf")
    assert "Novak" not in clearance.letter.name


def test_clearance_ending_before_it_starts_is_refused_at_the_field(admin_client, patient):
    data = clearance_form(patient, cleared_on="2025-06-10", valid_until="2025-06-01")

    response = admin_client.post(reverse("admin:tracker_clearance_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "valid_until": ["Valid until must be on or after the date cleared."]
    }
    assert Clearance.objects.count() == 0


def test_clearance_patient_must_be_a_patient(admin_client, physio):
    response = admin_client.post(reverse("admin:tracker_clearance_add"), clearance_form(physio))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "patient": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_patient_autocomplete_offers_patients_only(admin_client, patient, physio):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "tracker", "model_name": "clearance", "field_name": "patient", "term": ""},
    )

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(patient.pk)]


# Templates ------------------------------------------------------------------------------


def test_template_inline_range_out_of_order_gives_field_error(admin_client):
    data = {
        "name": "Knee, early weeks",
        "description": "",
        "is_active": "on",
        "prescriptions-TOTAL_FORMS": "1",
        "prescriptions-INITIAL_FORMS": "0",
        "prescriptions-MIN_NUM_FORMS": "0",
        "prescriptions-MAX_NUM_FORMS": "1000",
        "prescriptions-0-activity": activity("Walking").pk,
        "prescriptions-0-sessions_per_week": "3",
        "prescriptions-0-start_minutes": "30",
        "prescriptions-0-max_minutes": "20",
        "prescriptions-0-weekly_progression_percent": "10",
        "prescriptions-0-effort_min": "9",
        "prescriptions-0-effort_max": "13",
        "_save": "Save",
    }

    response = admin_client.post(reverse("admin:tracker_plantemplate_add"), data)

    assert response.status_code == 200
    assert inline_errors(response) == [
        {"max_minutes": ["Must be at least the minutes at the start (30)."]}
    ]


def test_clearance_letter_that_lies_about_its_type_is_refused_in_the_admin(
    admin_client, patient, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile(
        "letter.pdf", b"<script>alert(1)</script>", content_type="application/pdf"
    )

    response = admin_client.post(
        reverse("admin:tracker_clearance_add"), clearance_form(patient, letter=fake)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["letter"] == [
        "Upload the letter as a PDF, PNG or JPEG file."
    ]
    assert Clearance.objects.count() == 0


def test_clearance_letter_is_linked_through_the_checked_view(
    admin_client, patient, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    clearance = ClearanceFactory(patient=patient)
    clearance.letter = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n")
    clearance.save()

    response = admin_client.get(reverse("admin:tracker_clearance_change", args=[clearance.pk]))

    assert f'<a href="/clearances/{clearance.pk}/letter/">Open the letter</a>' in response.text
