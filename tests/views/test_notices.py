"""The Notifications page: a clinician's choice for each alert kind but danger signs, and the
weekly digest on or off; refusals at the field, values kept, nothing half-saved."""

from __future__ import annotations

import pytest

from tests.conftest import client_for
from tracker.forms.notices import DANGER_NOT_A_CHOICE
from tracker.models import AlertKind, AlertPreference, AuditEvent, Delivery, DigestPreference

URL = "/notifications/"

ALL_DIGEST = {
    "pain": "digest",
    "over_clearance": "digest",
    "effort": "digest",
    "new_symptom": "digest",
    "adherence": "digest",
    "silence": "digest",
    "clearance": "digest",
    "weekly": "on",
}


def choices(user) -> dict[str, str]:
    return dict(AlertPreference.objects.filter(clinician=user).values_list("kind", "delivery"))


@pytest.mark.django_db
def test_notices_page_shows_the_defaults_and_says_danger_signs_go_at_once(physio):
    response = client_for(physio).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Danger signs are always e-mailed at once" in page
    assert "A kind you have never chosen for goes in the daily digest." in page
    form = response.context["form"]
    assert [f.name for f in form.kind_fields()] == [
        "pain", "over_clearance", "effort", "new_symptom", "adherence", "silence", "clearance",
    ]  # fmt: skip
    assert all(form[f.name].value() == Delivery.DIGEST for f in form.kind_fields())
    assert form["weekly"].value() is True
    assert 'name="danger_sign"' not in page


@pytest.mark.django_db
def test_notices_page_is_linked_from_the_footer_of_physio_and_admin(physio, admin_user):
    for user in (physio, admin_user):
        page = client_for(user).get("/caseload/").content.decode()
        assert f'href="{URL}"' in page


@pytest.mark.django_db
def test_notices_saving_keeps_each_choice_and_records_it(physio):
    data = ALL_DIGEST | {"pain": "instant", "silence": "app"}
    del data["weekly"]
    response = client_for(physio).post(URL, data)
    assert response.status_code == 302
    # Only what differs from the default is kept: no row is the daily digest.
    assert choices(physio) == {"pain": "instant", "silence": "app"}
    assert DigestPreference.objects.get(clinician=physio).weekly is False
    event = AuditEvent.objects.get(actor=physio)
    assert (event.what, event.patient_id) == ("notification choices", None)
    form = client_for(physio).get(URL).context["form"]
    assert (form["pain"].value(), form["silence"].value(), form["weekly"].value()) == (
        "instant",
        "app",
        False,
    )


@pytest.mark.django_db
def test_notices_sent_twice_saves_once_and_records_once(physio):
    client = client_for(physio)
    data = ALL_DIGEST | {"effort": "instant"}
    client.post(URL, data)
    client.post(URL, data)
    assert choices(physio)["effort"] == "instant"
    assert AlertPreference.objects.filter(clinician=physio, kind="effort").count() == 1
    assert AuditEvent.objects.filter(actor=physio).count() == 1


@pytest.mark.django_db
def test_notices_refuses_a_danger_sign_choice(physio):
    response = client_for(physio).post(URL, ALL_DIGEST | {"danger_sign": "app"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [DANGER_NOT_A_CHOICE]
    assert DANGER_NOT_A_CHOICE in response.content.decode()
    assert choices(physio) == {}
    assert not AlertPreference.objects.filter(kind=AlertKind.DANGER_SIGN).exists()


@pytest.mark.django_db
def test_notices_refuses_an_unknown_value_at_the_field_and_keeps_the_others(physio):
    response = client_for(physio).post(URL, ALL_DIGEST | {"pain": "sms", "effort": "instant"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["pain"] == ["Choose one of the three ways shown."]
    assert form["effort"].value() == "instant"
    assert choices(physio) == {}
    assert not AuditEvent.objects.filter(actor=physio).exists()


@pytest.mark.django_db
def test_notices_refuses_a_missing_choice_at_the_field(physio):
    data = dict(ALL_DIGEST)
    del data["clearance"]
    response = client_for(physio).post(URL, data)
    assert response.context["form"].errors["clearance"] == ["Choose how you hear of these alerts."]
    assert choices(physio) == {}


@pytest.mark.django_db
def test_notices_one_clinicians_choice_is_not_anothers(physio, other_physio):
    client_for(physio).post(URL, ALL_DIGEST | {"pain": "app"})
    assert choices(other_physio) == {}
    form = client_for(other_physio).get(URL).context["form"]
    assert form["pain"].value() == "digest"


@pytest.mark.django_db
def test_notices_page_is_not_for_patients(patient):
    assert client_for(patient).get(URL).status_code == 403
    assert client_for(patient).post(URL, ALL_DIGEST).status_code == 403
    assert choices(patient) == {}


@pytest.mark.django_db
def test_notices_page_tells_an_admin_what_at_once_means_for_them(physio, admin_user):
    note = "As an admin, you are e-mailed at once only about patients whose care team you are on"
    assert note in client_for(admin_user).get(URL).content.decode()
    assert note not in client_for(physio).get(URL).content.decode()


@pytest.mark.django_db
def test_notices_empty_post_is_refused_at_every_field(physio):
    response = client_for(physio).post(URL, {})
    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == sorted(
        ["pain", "over_clearance", "effort", "new_symptom", "adherence", "silence", "clearance"]
    )
    assert choices(physio) == {}
