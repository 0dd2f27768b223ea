"""The role home pages: what each shows, and only what each may see."""

from __future__ import annotations

import pytest

from tests.factories import make_patient

pytestmark = pytest.mark.django_db


def test_caseload_for_admin_lists_every_patient(admin_client, patient, other_patient):
    response = admin_client.get("/caseload/")

    assert {row.patient for row in response.context["rows"]} == {patient, other_patient}


def test_patient_home_names_the_care_team(patient_client):
    response = patient_client.get("/today/")

    assert "Hello, Anna" in response.text
    assert "Maya Lindqvist, physiotherapist" in response.text


def test_patient_home_shows_emergency_number_from_settings(patient_client, settings):
    settings.EMERGENCY_NUMBER = "999"

    response = patient_client.get("/today/")

    assert (
        'In an emergency, call <a href="tel:999" class="emergency-link"><strong>999</strong></a>'
        in response.text
    )


def test_admin_overview_counts_people(admin_client, patient, other_patient):
    make_patient(care_team=[])

    response = admin_client.get("/overview/")

    assert response.context["counts"] == {
        "patients": 3,
        "physiotherapists": 2,
        "admins": 1,
        "patients_without_team": 1,
    }
