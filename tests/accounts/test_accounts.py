"""Signing in and out, password change and reset, and where each role lands."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.devices import authenticator, fresh_code
from tests.conftest import sign_in_verified
from tests.factories import PASSWORD, AdminFactory, PhysiotherapistFactory, UserFactory
from tracker.access import ROLES
from tracker.models import Role

pytestmark = pytest.mark.django_db


MAIN_MENU = re.compile(r'<nav class="container site-nav" aria-label="Main">(.*?)</nav>', re.S)
FOOTER = re.compile(r'<footer class="site-footer container">(.*?)</footer>', re.S)
LINK_WORDS = re.compile(r"<a [^>]*>([^<]*)</a>")


def menu_and_footer(html: str) -> tuple[list[str], list[str]]:
    """The words of the main menu's links, and of the footer's account links (the emergency
    number's link holds markup, so it is not among them)."""
    (menu,) = MAIN_MENU.findall(html)
    (footer,) = FOOTER.findall(html)
    return LINK_WORDS.findall(menu), LINK_WORDS.findall(footer)


@pytest.mark.parametrize(
    ("factory", "home", "menu", "footer", "idle_seconds"),
    [
        (
            UserFactory,
            "/today/",
            ["Today", "Log", "History", "Progress", "Report a danger sign"],
            [
                "Change your password",
                "Your details",
                "Your data and who has seen it",
                "Reminders and calendar",
            ],
            8 * 60 * 60,
        ),
        (
            PhysiotherapistFactory,
            "/caseload/",
            ["Caseload", "Alerts", "Invitations"],
            ["Change your password", "Notifications"],
            60 * 60,
        ),
        (
            AdminFactory,
            "/overview/",
            ["Overview", "Caseload", "Alerts", "Invitations"],
            ["Change your password", "Notifications"],
            60 * 60,
        ),
    ],
)
def test_sign_in_lands_each_role_on_its_home_with_its_menus_and_idle_spell(
    factory, home, menu, footer, idle_seconds
):
    user = factory()
    device = authenticator(user) if user.role != Role.PATIENT else None
    client = Client()

    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    if device is not None:  # staff give the code from their authenticator app too
        assert response.redirect_chain[-1] == ("/account/two-factor/?next=/", 302)
        response = client.post(
            response.redirect_chain[-1][0], {"code": fresh_code(device), "next": "/"}, follow=True
        )

    assert response.redirect_chain == [("/", 302), (home, 302)]
    assert response.context["user"] == user
    assert menu_and_footer(response.text) == (menu, footer)
    assert client.session.get_expiry_age() == idle_seconds


def test_role_table_has_every_role():
    assert set(ROLES) == set(Role.values)


def test_idle_spell_is_read_from_the_settings_at_sign_in(settings):
    settings.SESSION_IDLE_SECONDS_CLINICIAN = 20 * 60
    physio = PhysiotherapistFactory()
    client = Client()

    client.post(reverse("login"), {"username": physio.username, "password": PASSWORD})

    assert client.session.get_expiry_age() == 20 * 60


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
    sign_in_verified(client, factory())

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
        sign_in_verified(client, user)

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


@pytest.mark.parametrize(("url", "status"), [("/overview/", 403), ("/no-such-page/", 404)])
def test_forbidden_and_unknown_pages_point_to_emergency_help(patient_client, settings, url, status):
    settings.EMERGENCY_NUMBER = "999"

    response = patient_client.get(url)

    assert response.status_code == status
    assert '<a href="tel:999" class="emergency-link"><strong>999</strong></a>' in response.text


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
    sign_in_verified(client, physio)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_admin_role_opens_django_admin(admin_client):
    assert admin_client.get("/admin/tracker/user/").status_code == 200


def test_htmx_request_after_session_expired_redirects_the_whole_page(client):
    response = client.post(
        "/plans/1/prescriptions/",
        headers={"HX-Request": "true", "Referer": "http://testserver/plans/1/"},
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/account/login/?next=/plans/1/"


def test_a_form_sent_after_the_sign_in_expired_comes_back_to_its_page_after_signing_in(
    client, patient
):
    """A button that only sends (mark as read) must not be where signing in leads: that
    address answers only POST, and the patient would land on an empty error page."""
    response = client.post("/comments/1/read/", headers={"Referer": "http://testserver/today/"})

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/today/"


@pytest.mark.parametrize(
    "referer", [None, "https://elsewhere.example/today/", "http://testserver/account/login/"]
)
def test_a_form_sent_signed_out_from_no_page_of_ours_signs_in_to_where_it_was_sent(client, referer):
    headers = {"Referer": referer} if referer else {}

    response = client.post("/report-danger/", {"notes": "hello"}, headers=headers)

    assert response["Location"] == "/account/login/?next=/report-danger/"


def test_server_error_page_is_styled_and_points_to_emergency_help(rf, settings):
    from tracker.views.errors import server_error

    settings.EMERGENCY_NUMBER = "999"

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "call <strong>999</strong> now" in response.content.decode()
