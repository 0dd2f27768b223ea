"""The care team keeps the sex, height and weight the functional tests' norms need, on the
patient's details page; the patient's own details page does not offer them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tracker.models import AuditEvent, PatientProfile

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return f"/patients/{patient.pk}/contact/"


def test_care_team_saves_sex_height_and_weight(physio_client, physio, patient):
    data = {"sex": "female", "height_cm": "162", "weight_kg": "68.5"}
    response = physio_client.post(url(patient), data)
    physio_client.post(url(patient), data)  # sent again: nothing more recorded

    profile = PatientProfile.objects.get(user=patient)
    assert (response.status_code, response["Location"]) == (302, f"/patients/{patient.pk}/")
    assert (profile.sex, profile.height_cm, profile.weight_kg) == ("female", 162, Decimal("68.5"))
    assert list(AuditEvent.objects.values_list("actor", "what")) == [
        (physio.pk, "body measurements")
    ]


HEIGHT = (
    "Enter the height in whole centimetres, between 100 and 230, such as 168, or leave it empty."
)
WEIGHT = (
    "Enter the weight in kilograms, between 25 and 300, with one decimal place at most, such "
    "as 68.5, or leave it empty."
)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"height_cm": "99"}, "height_cm", HEIGHT),
        ({"height_cm": "231"}, "height_cm", HEIGHT),
        ({"height_cm": "1.7"}, "height_cm", HEIGHT),
        ({"weight_kg": "24.9"}, "weight_kg", WEIGHT),
        ({"weight_kg": "300.1"}, "weight_kg", WEIGHT),
        ({"weight_kg": "68.55"}, "weight_kg", WEIGHT),
        ({"weight_kg": "heavy"}, "weight_kg", WEIGHT),
        ({"sex": "other"}, "sex", "Choose female or male, or leave it empty."),
    ],
)
def test_out_of_range_is_refused_in_words_with_the_values_kept(
    physio_client, patient, data, field, message
):
    response = physio_client.post(url(patient), {**data, "phone": "020 7946 0000"})

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors[field] == [message]
    assert form[field].value() == data[field]
    profile = PatientProfile.objects.get(user=patient)
    assert (profile.phone, profile.height_cm, profile.weight_kg) == ("", None, None)
    assert AuditEvent.objects.filter(what="body measurements").count() == 0


def test_patient_own_details_do_not_offer_or_take_them(patient_client, patient):
    page = patient_client.get("/my-details/").text
    patient_client.post("/my-details/", {"sex": "male", "height_cm": "180"})

    assert 'name="height_cm"' not in page
    assert PatientProfile.objects.get(user=patient).height_cm is None


def test_care_team_page_shows_the_date_of_birth_the_age_comes_from(physio_client, patient):
    page = physio_client.get(url(patient)).text
    assert "Age comes from the date of birth (1 May 1970)." in page


def admin_profile_form(profile, **changes) -> dict:
    data = {
        "user": profile.user_id,
        "date_of_birth": "1970-05-01",
        "atrophy_kind": profile.atrophy_kind,
        "sex": "",
        "height_cm": "",
        "weight_kg": "",
        "care_team": [physio.pk for physio in profile.care_team.all()],
    }
    return {**data, **changes}


def test_admin_refuses_an_out_of_range_height_in_words(admin_client, patient):
    profile = patient.profile
    address = f"/admin/tracker/patientprofile/{profile.pk}/change/"
    refused = admin_client.post(address, admin_profile_form(profile, height_cm="99"))
    saved = admin_client.post(
        address, admin_profile_form(profile, sex="male", height_cm="175", weight_kg="80")
    )

    assert HEIGHT in refused.text
    assert saved.status_code == 302
    profile.refresh_from_db()
    assert (profile.sex, profile.height_cm, profile.weight_kg) == ("male", 175, Decimal(80))
