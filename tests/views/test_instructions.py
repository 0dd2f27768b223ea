"""Instructions: the activity's description and the prescription's own note, on My plan and on
the log form; the physiotherapist writes the note in the plan editor, an admin in a template."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PlanTemplateFactory,
    TemplatePrescriptionFactory,
    activity,
    make_active_plan,
    prescription_form,
)
from tracker.models import AuditEvent, Prescription

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
DESCRIPTION = "Flat ground first; hills once the knee feels steady."
NOTE = "A pace at which you can still talk."
HOSTILE = "<script>alert('x')</script>"
TOO_LONG = "This note is 301 characters; the most is 300. Shorten it and save again."


@pytest.fixture
def plan(patient):
    plan = make_active_plan(patient)  # walking 3 times a week
    walking = plan.prescriptions.get()
    walking.note = NOTE
    walking.save()
    walking.activity.description = DESCRIPTION
    walking.activity.save()
    return plan


@pytest.mark.parametrize("url", ["/plan/", "/log/"])
def test_the_description_and_the_note_show_on_my_plan_and_the_log_form(patient_client, plan, url):
    response = patient_client.get(url)

    assert response.status_code == 200
    assert DESCRIPTION in response.text
    assert NOTE in response.text
    assert 'class="instructions"' in response.text


@pytest.mark.parametrize("url", ["/plan/", "/log/"])
def test_instructions_are_shown_as_text(patient_client, plan, url):
    walking = plan.prescriptions.get()
    walking.note = HOSTILE
    walking.save()
    walking.activity.description = HOSTILE
    walking.activity.save()

    response = patient_client.get(url)

    assert HOSTILE not in response.text
    assert response.text.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") == 2


def test_the_log_form_says_which_activity_each_instruction_is_for(patient_client, plan):
    response = patient_client.get("/log/")

    instructions = response.text[response.text.index('class="instructions"') :]
    assert instructions.index("Walking") < instructions.index(DESCRIPTION)
    # Beside the choice of activity: before the date.
    assert response.text.index('class="instructions"') < response.text.index('name="date"')


def test_no_instructions_no_box(patient_client, patient):
    walking = make_active_plan(patient).prescriptions.get().activity
    walking.description = ""
    walking.save()

    for url in ("/plan/", "/log/"):
        assert 'class="instructions"' not in patient_client.get(url).text


# The plan editor -------------------------------------------------------------------------------


def test_the_physio_writes_the_note_when_adding_an_activity(physio_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))

    page = physio_client.get(f"/plans/{plan.pk}/")
    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/", prescription_form("Walking", note=NOTE), headers=HTMX
    )

    assert 'name="note"' in page.text
    assert plan.prescriptions.get().note == NOTE
    assert NOTE in response.text


def test_an_over_long_note_is_refused_at_its_field_with_the_text_kept(physio_client, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))
    note = "n" * 301

    for headers in (HTMX, {}):
        response = physio_client.post(
            f"/plans/{plan.pk}/prescriptions/",
            prescription_form("Walking", note=note),
            headers=headers,
        )
        assert response.status_code == 200
        assert response.context["form"].errors == {"note": [TOO_LONG]}
        assert TOO_LONG in response.text
        assert note in response.text
    assert Prescription.objects.filter(plan=plan).count() == 0


def test_changing_the_note_is_recorded_like_any_change_to_the_plan(physio_client, physio, patient):
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))
    walking = plan.prescriptions.create(
        activity=activity("Walking"), sessions_per_week=3, start_minutes=10, max_minutes=30
    )
    data = {f"p{walking.pk}-{k}": v for k, v in prescription_form("Walking", note=NOTE).items()}

    response = physio_client.post(f"/plans/{plan.pk}/prescriptions/{walking.pk}/", data)

    walking.refresh_from_db()
    assert response.status_code == 302
    assert walking.note == NOTE
    event = AuditEvent.objects.latest("pk")
    assert (event.actor, event.patient, event.action, event.what) == (
        physio,
        patient,
        "change",
        "plan",
    )


def test_a_template_prescriptions_note_comes_into_the_plan(physio_client, patient):
    clearance = ClearanceFactory(patient=patient, activities=[activity("Walking")])
    template = PlanTemplateFactory()
    TemplatePrescriptionFactory(template=template, activity=activity("Walking"), note=NOTE)

    physio_client.post(
        f"/patients/{patient.pk}/plans/new/",
        {
            "request_key": str(uuid.uuid4()),
            "title": "From the template",
            "clearance": clearance.pk,
            "template": template.pk,
            "starts_on": timezone.localdate().isoformat(),
        },
    )

    assert Prescription.objects.get(plan__patient=patient).note == NOTE


def test_the_admins_template_form_has_the_note(admin_client):
    response = admin_client.get("/admin/tracker/plantemplate/add/")

    assert 'name="prescriptions-0-note"' in response.text
