"""The role home pages: what each shows, and only what each may see."""

from __future__ import annotations

import pytest

from tests.factories import PhysiotherapistFactory, make_patient

pytestmark = pytest.mark.django_db


def test_caseload_lists_only_my_care_teams_patients(physio_client, patient, other_patient):
    response = physio_client.get("/caseload/")

    assert list(response.context["patients"]) == [patient]
    assert "Anna Novak" in response.text
    assert "Ben Carter" not in response.text


def test_caseload_for_admin_lists_every_patient(admin_client, patient, other_patient):
    response = admin_client.get("/caseload/")

    assert list(response.context["patients"]) == [other_patient, patient]


@pytest.mark.parametrize("count", [1, 25])
def test_caseload_query_count_does_not_grow_with_patients(client, django_assert_num_queries, count):
    physio = PhysiotherapistFactory()
    for _ in range(count):
        make_patient(care_team=[physio])
    client.force_login(physio)

    with django_assert_num_queries(3):  # session, user, patients
        response = client.get("/caseload/")

    assert len(response.context["patients"]) == count


def test_patient_home_names_the_care_team(patient_client):
    response = patient_client.get("/today/")

    assert "Hello, Anna" in response.text
    assert "Maya Lindqvist, physiotherapist" in response.text


def test_patient_home_shows_emergency_number_from_settings(patient_client, settings):
    settings.EMERGENCY_NUMBER = "999"

    response = patient_client.get("/today/")

    assert "In an emergency call <strong>999</strong>" in response.text


def test_admin_overview_counts_people(admin_client, patient, other_patient):
    make_patient(care_team=[])

    response = admin_client.get("/overview/")

    assert response.context["counts"] == {
        "patients": 3,
        "physiotherapists": 2,
        "admins": 1,
        "patients_without_team": 1,
    }
