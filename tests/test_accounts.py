"""Signing in and out, password change and reset, and where each role lands."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, AdminFactory, PhysiotherapistFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_right_password_lands_patient_on_today(patient):
    client = Client()

    response = client.post(
        reverse("login"), {"username": patient.username, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [("/", 302), ("/today/", 302)]
    assert response.context["user"] == patient


def test_login_with_wrong_password_is_refused_with_message_and_username_kept(patient):
    response = Client().post(reverse("login"), {"username": patient.username, "password": "nope"})

    assert response.status_code == 200
    assert response.context["user"].is_authenticated is False
    assert "Please enter a correct username and password" in response.text
    assert f'value="{patient.username}"' in response.text


@pytest.mark.parametrize(
    ("factory", "home"),
    [
        (UserFactory, "/today/"),
        (PhysiotherapistFactory, "/caseload/"),
        (AdminFactory, "/overview/"),
    ],
)
def test_root_sends_each_role_to_its_home(factory, home):
    client = Client()
    client.force_login(factory())

    response = client.get("/")

    assert response.status_code == 302
    assert response.url == home


def test_root_sends_anonymous_visitor_to_sign_in():
    response = Client().get("/")

    assert response.status_code == 302
    assert response.url == "/account/login/?next=/"


def test_logout_signs_out_and_returns_to_sign_in(patient_client):
    response = patient_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert patient_client.get("/today/").status_code == 302


def test_logout_by_get_is_refused(patient_client):
    assert patient_client.get(reverse("logout")).status_code == 405


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/today/", {"patient"}),
        ("/caseload/", {"physio", "admin"}),
        ("/overview/", {"admin"}),
    ],
)
def test_role_pages_refuse_other_roles(url, allowed, patient, physio, admin_user):
    users = {"patient": patient, "physio": physio, "admin": admin_user}
    for name, user in users.items():
        client = Client()
        client.force_login(user)

        status = client.get(url).status_code

        assert status == (200 if name in allowed else 403), (name, url)


def test_forbidden_page_is_styled_and_says_why(patient_client):
    response = patient_client.get("/overview/")

    assert response.status_code == 403
    assert "This page is not open to you" in response.text
    assert 'class="site-header"' in response.text


def test_unknown_page_is_styled_404(patient_client):
    response = patient_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.text


def test_password_change_then_sign_in_with_new_password(patient, patient_client):
    response = patient_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
    )

    assert response.status_code == 302
    assert Client().login(username=patient.username, password="a-brand-new-passphrase")


def test_password_change_with_weak_password_is_refused_at_the_field(patient_client):
    response = patient_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == [
        "This password is too common.",
        "This password is entirely numeric.",
    ]


def test_password_reset_sends_a_link_that_sets_a_new_password(patient):
    client = Client()

    client.post(reverse("password_reset"), {"email": patient.email})

    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "walking-again-2026", "new_password2": "walking-again-2026"},
    )
    assert response.status_code == 302
    assert Client().login(username=patient.username, password="walking-again-2026")


def test_non_admin_roles_cannot_open_django_admin(physio):
    client = Client()
    client.force_login(physio)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_admin_role_opens_django_admin(admin_client):
    assert admin_client.get("/admin/tracker/user/").status_code == 200


def test_htmx_request_after_session_expired_redirects_the_whole_page(client):
    response = client.post("/plans/1/prescriptions/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/account/login/?next=/plans/1/prescriptions/"


def test_server_error_page_is_styled_and_points_to_emergency_help(rf, settings):
    from tracker.views.errors import server_error

    settings.EMERGENCY_NUMBER = "999"

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "call <strong>999</strong> now" in response.content.decode()
