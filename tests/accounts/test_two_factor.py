"""Two-factor sign-in: staff set up an authenticator app and recovery codes at their first
sign-in and give a code at every sign-in; a patient may opt in; an admin resets a lost phone."""

from __future__ import annotations

import html
import re
import time

import pytest
import time_machine
from django.contrib.admin.sites import site as admin_site
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.devices import authenticator, code_at, fresh_code, time_step
from tests.conftest import client_for
from tests.factories import PASSWORD, AdminFactory, PhysiotherapistFactory
from tracker.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

SETUP = "/account/two-factor/setup/"
VERIFY = "/account/two-factor/"
CODES = "/account/two-factor/recovery-codes/"


def signed_in_with_password(user) -> Client:
    """After the password, before any code."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def later(seconds: float) -> time_machine.travel:
    """Past django-otp's throttle and into a new time step."""
    return time_machine.travel(time.time() + seconds, tick=True)


# Who is asked -----------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [PhysiotherapistFactory, AdminFactory])
def test_staff_without_a_device_are_sent_to_set_up_after_the_password(factory):
    user = factory()
    client = Client()

    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [("/", 302), (f"{SETUP}?next=/", 302)]
    assert "Set up two-factor sign-in" in response.text


def test_staff_with_a_device_are_asked_for_the_code_after_the_password(physio):
    authenticator(physio)

    response = signed_in_with_password(physio).get("/caseload/")

    assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next=/caseload/")


@pytest.mark.parametrize("url", ["/caseload/", "/alerts/", "/overview/", "/admin/"])
def test_a_staff_page_without_a_verified_device_is_refused(admin_user, url):
    authenticator(admin_user)
    client = Client()
    client.force_login(admin_user)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] in (f"{VERIFY}?next={url}", f"/account/login/?next={url}")


def test_the_django_admin_without_a_verified_device_is_refused(admin_user):
    authenticator(admin_user)
    client = Client()
    client.force_login(admin_user)

    response = client.get("/admin/tracker/user/")

    assert (response.status_code, response["Location"]) == (
        302,
        f"{VERIFY}?next=/admin/tracker/user/",
    )


def test_an_htmx_request_without_a_verified_device_goes_to_the_code_as_a_whole_page(physio):
    authenticator(physio)
    client = Client()
    client.force_login(physio)

    response = client.get("/caseload/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{VERIFY}?next=/caseload/"


@pytest.mark.parametrize(
    "url", ["/account/login/", "/account/password_reset/", CODES, "/invitation/abc/"]
)
def test_the_pages_on_the_way_to_the_code_are_not_held(physio, url):
    authenticator(physio)
    client = Client()
    client.force_login(physio)

    response = client.get(url)

    assert response.get("Location", "").startswith(VERIFY) is False


def test_a_patient_without_a_device_is_not_asked(patient):
    client = signed_in_with_password(patient)

    response = client.get("/today/")

    assert response.status_code == 200


def test_a_patient_who_opted_in_is_asked_for_the_code(patient):
    authenticator(patient)
    client = signed_in_with_password(patient)

    response = client.get("/today/")

    assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next=/today/")


def test_a_patient_opts_in_from_their_details(patient_client):
    response = patient_client.get("/my-details/")

    assert f'href="{SETUP}"' in response.text


# Setting up -------------------------------------------------------------------------------


def test_setup_end_to_end_with_a_code_from_the_key(physio):
    client = signed_in_with_password(physio)
    page = client.get(f"{SETUP}?next=/caseload/")
    device = TOTPDevice.objects.get(user=physio, confirmed=False)

    response = client.post(
        SETUP, {"code": code_at(device, time_step(device)), "next": "/caseload/"}
    )

    assert (response.status_code, response["Location"]) == (302, f"{CODES}?next=/caseload/")
    codes_page = client.get(response["Location"])
    codes = re.findall(r"<li><code>(\w+)</code></li>", codes_page.text)
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=physio).values_list("token", flat=True)
    )
    assert client.get("/caseload/").status_code == 200
    assert TOTPDevice.objects.get(user=physio).confirmed is True
    # The page showed the QR code drawn here, the secret as text and the issuer.
    assert '<svg viewBox="0 0 ' in page.text
    assert "data:" not in page.text
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert "issuer=Rehab%20tracker" in device.config_url
    assert AuditEvent.objects.filter(
        actor=physio, patient=None, what=f"new two-factor sign-in of {physio.username}"
    ).exists()


def test_setup_keeps_the_same_secret_across_reloads(physio):
    client = signed_in_with_password(physio)

    first = client.get(SETUP).context["secret"]
    second = client.get(SETUP).context["secret"]

    assert first == second
    assert TOTPDevice.objects.filter(user=physio).count() == 1


def test_recovery_codes_are_shown_once(physio):
    client = signed_in_with_password(physio)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=physio)
    client.post(SETUP, {"code": code_at(device, time_step(device))})

    first = client.get(CODES)
    second = client.get(CODES)

    assert len(first.context["codes"]) == 10
    assert second.context["codes"] is None
    assert "You have 10 unused codes left" in second.text


def test_setup_refuses_a_wrong_code_in_words_and_stays_unconfirmed(physio):
    client = signed_in_with_password(physio)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=physio)

    response = client.post(SETUP, {"code": code_at(device, time_step(device) + 5)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "That code is not right. Type the 6-digit code your app shows now; "
        "if it still fails, check that your phone's clock is right."
    ]
    assert TOTPDevice.objects.get(user=physio).confirmed is False
    assert client.get("/caseload/").status_code == 302


def test_setup_is_refused_to_someone_who_has_a_device_but_only_gave_the_password(physio):
    """Else whoever knew only the password could add an app of their own."""
    authenticator(physio)
    client = signed_in_with_password(physio)

    response = client.get(SETUP)

    assert (response.status_code, response["Location"]) == (302, VERIFY)
    assert TOTPDevice.objects.filter(user=physio).count() == 1


# The code at sign-in ----------------------------------------------------------------------


def test_the_right_code_signs_in_to_where_they_were_going(physio):
    device = authenticator(physio)
    client = signed_in_with_password(physio)

    response = client.post(VERIFY, {"code": fresh_code(device), "next": "/alerts/"})

    assert (response.status_code, response["Location"]) == (302, "/alerts/")
    assert client.get("/caseload/").status_code == 200


def test_a_wrong_code_is_refused_in_words(physio):
    device = authenticator(physio)
    client = signed_in_with_password(physio)

    response = client.post(VERIFY, {"code": code_at(device, time_step(device) + 5)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "That code is not right. Type the 6-digit code your app shows now; "
        "if it still fails, check that your phone's clock is right."
    ]
    assert client.get("/caseload/").status_code == 302


def test_a_code_used_once_is_refused_the_second_time(physio):
    device = authenticator(physio)
    code = code_at(device, time_step(device))
    assert client_verified_with(physio, code)

    response = signed_in_with_password(physio).post(VERIFY, {"code": code})

    assert response.context["form"].errors["code"] == [
        "That code has been used already. Wait for your app to show a new one, then type it."
    ]


def client_verified_with(user, code: str) -> bool:
    client = signed_in_with_password(user)
    return client.post(VERIFY, {"code": code}).status_code == 302


def test_throttling_refuses_even_the_right_code_straight_after_wrong_ones(physio):
    device = authenticator(physio)
    client = signed_in_with_password(physio)
    client.post(VERIFY, {"code": "000000"})

    response = client.post(VERIFY, {"code": fresh_code(device)})

    assert response.context["form"].errors["code"] == [
        "Wait a second, then type the code again: after a wrong code, "
        "the next one is not checked straight away."
    ]
    with later(10):
        assert client.post(VERIFY, {"code": fresh_code(device)}).status_code == 302


def test_a_recovery_code_works_once(physio):
    authenticator(physio)
    recovery = StaticDevice.objects.create(user=physio, name="Recovery codes")
    recovery.token_set.create(token="abcd2345ef")
    client = signed_in_with_password(physio)

    first = client.post(VERIFY, {"code": "ABCD 2345 EF", "next": "/caseload/"})
    again = signed_in_with_password(physio).post(VERIFY, {"code": "abcd2345ef"})

    assert (first.status_code, first["Location"]) == (302, "/caseload/")
    assert again.context["form"].errors["code"] == [
        "That recovery code is not right, or it has been used already: each works once."
    ]


def test_an_empty_code_is_refused_at_the_field(physio):
    authenticator(physio)

    response = signed_in_with_password(physio).post(VERIFY, {"code": "  "})

    assert response.context["form"].errors["code"] == [
        "Type the code your authenticator app shows."
    ]


def test_next_elsewhere_is_not_followed(physio):
    device = authenticator(physio)
    client = signed_in_with_password(physio)

    response = client.post(VERIFY, {"code": fresh_code(device), "next": "https://evil.example/"})

    assert response["Location"] == "/"


# An admin's reset -------------------------------------------------------------------------


def reset_in_admin(admin_client, *users):
    return admin_client.post(
        reverse("admin:tracker_user_changelist"),
        {
            "action": "reset_two_factor",
            "_selected_action": [user.pk for user in users],
            "post": "yes",
        },
    )


def test_the_reset_action_removes_the_devices_audited_and_forces_setup_again(
    admin_client, admin_user, physio, patient
):
    authenticator(physio)
    authenticator(patient)
    StaticDevice.objects.create(user=physio, name="Recovery codes")
    signed_in = client_for(physio)

    response = reset_in_admin(admin_client, physio, patient)

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user__in=[physio, patient]).count() == 0
    assert StaticDevice.objects.filter(user=physio).count() == 0
    assert sorted(
        AuditEvent.objects.filter(actor=admin_user, action=AuditAction.CHANGE).values_list(
            "patient", "what"
        ),
        key=str,
    ) == sorted(
        [
            (None, f"deleted two-factor sign-in of {physio.username}"),
            (patient.pk, "deleted two-factor sign-in"),
        ],
        key=str,
    )
    # Their sign-in that was verified goes to setup at its next page, and so does a new one.
    assert signed_in.get("/caseload/")["Location"] == f"{SETUP}?next=/caseload/"
    assert signed_in_with_password(physio).get("/caseload/")["Location"] == (
        f"{SETUP}?next=/caseload/"
    )
    # The patient is no longer asked.
    assert signed_in_with_password(patient).get("/today/").status_code == 200


def test_django_otp_s_own_admin_pages_are_not_offered(admin_client):
    assert not admin_site.is_registered(TOTPDevice)
    assert not admin_site.is_registered(StaticDevice)
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_a_patient_opts_in_end_to_end_and_is_asked_at_the_next_sign_in(patient, patient_client):
    patient_client.get(SETUP)
    device = TOTPDevice.objects.get(user=patient)

    response = patient_client.post(SETUP, {"code": code_at(device, time_step(device))})

    assert response["Location"] == CODES
    assert "On: signing in takes a code" in patient_client.get("/my-details/").text
    assert AuditEvent.objects.filter(patient=patient, what="new two-factor sign-in").exists()
    again = signed_in_with_password(patient).get("/today/")
    assert again["Location"] == f"{VERIFY}?next=/today/"


def test_setup_sent_twice_sets_up_once_and_still_shows_the_codes(physio):
    client = signed_in_with_password(physio)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=physio)
    code = code_at(device, time_step(device))

    first = client.post(SETUP, {"code": code})
    second = client.post(SETUP, {"code": code})

    assert first["Location"] == second["Location"] == CODES
    assert len(client.get(CODES).context["codes"]) == 10
    assert TOTPDevice.objects.filter(user=physio).count() == 1
    assert StaticToken.objects.filter(device__user=physio).count() == 10


@pytest.mark.parametrize("code", ["x" * 5000, "<script>alert(1)</script>", "12 34 56 78 90"])
def test_hostile_codes_are_refused_at_the_field_without_a_server_error(physio, code):
    authenticator(physio)

    response = signed_in_with_password(physio).post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert len(response.context["form"].errors["code"]) == 1
    assert "<script>alert(1)</script>" not in response.text


# From the review of issue 16 ----------------------------------------------------------------


def test_setup_offers_a_link_that_opens_the_authenticator_app_on_this_phone(physio):
    client = signed_in_with_password(physio)

    response = client.get(SETUP)

    device = TOTPDevice.objects.get(user=physio)
    link = re.search(r'<a href="(otpauth://[^"]+)"[^>]*>([^<]+)</a>', response.text)
    assert link is not None
    assert html.unescape(link[1]) == device.config_url
    assert link[2].strip() == "Open in my authenticator app on this phone"


def test_signing_in_with_a_recovery_code_says_how_many_are_left_and_who_can_reset(physio):
    authenticator(physio)
    recovery = StaticDevice.objects.create(user=physio, name="Recovery codes")
    for token in ("abcd2345ef", "bcde3456fg", "cdef4567gh"):
        recovery.token_set.create(token=token)
    client = signed_in_with_password(physio)

    response = client.post(VERIFY, {"code": "abcd2345ef", "next": "/caseload/"}, follow=True)

    said = [str(message) for message in response.context["messages"]]
    assert said == [
        "Recovery code used: 2 left. If you have lost your phone, ask an admin to reset "
        "your two-factor sign-in, so that you can set up your new phone."
    ]


def test_a_code_from_the_app_says_nothing_about_recovery_codes(physio):
    device = authenticator(physio)
    client = signed_in_with_password(physio)

    response = client.post(VERIFY, {"code": fresh_code(device), "next": "/caseload/"}, follow=True)

    assert list(response.context["messages"]) == []


def test_the_reset_action_first_asks_to_confirm_naming_the_accounts(
    admin_client, admin_user, physio, patient
):
    authenticator(physio)

    response = admin_client.post(
        reverse("admin:tracker_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [physio.pk, patient.pk]},
    )

    assert response.status_code == 200
    assert "Reset two-factor sign-in?" in response.text
    assert physio.username in response.text and patient.username in response.text
    assert 'name="post" value="yes"' in response.text
    assert TOTPDevice.objects.filter(user=physio).exists()
    assert not AuditEvent.objects.filter(actor=admin_user, action=AuditAction.CHANGE).exists()


def test_the_account_list_shows_two_factor_in_one_query_for_the_page(admin_client, physio):
    authenticator(physio)
    url = reverse("admin:tracker_user_changelist")

    def queries_and_column():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        column = {user.username: user.two_factor for user in response.context["cl"].result_list}
        return len(queries), column, response

    few, column, response = queries_and_column()
    assert column[physio.username] is True
    assert "Two-factor" in response.text
    others = PhysiotherapistFactory.create_batch(10)
    authenticator(others[0])
    many, column, _ = queries_and_column()
    assert many == few
    assert column[others[0].username] is True
    assert column[others[1].username] is False


def test_the_code_page_shows_no_menu_and_one_sign_out_before_the_code(physio):
    authenticator(physio)
    client = signed_in_with_password(physio)

    response = client.get(VERIFY)

    assert response.context["navigation"] == []
    assert response.context["account_links"] == []
    assert response.text.count(">Sign out<") == 1
    assert "Change your password" not in response.text
    assert client_for(physio).get("/caseload/").context["navigation"] != []


def test_setup_shows_no_menu_before_the_app_is_set_up(physio):
    response = signed_in_with_password(physio).get(SETUP)

    assert response.context["navigation"] == []


def test_a_patient_after_an_admin_s_reset_keeps_their_menu(patient):
    authenticator(patient)
    client = signed_in_with_password(patient)
    TOTPDevice.objects.filter(user=patient).delete()

    assert client.get("/today/").context["navigation"] != []


def test_a_wrong_code_on_the_code_page_does_not_speak_of_saving(physio):
    authenticator(physio)

    response = signed_in_with_password(physio).post(VERIFY, {"code": "000000"})

    assert "Nothing has been saved" not in response.text
    assert "That code is not right." in response.text


def test_the_code_typed_during_the_throttle_wait_stays_in_the_box(physio):
    device = authenticator(physio)
    client = signed_in_with_password(physio)
    client.post(VERIFY, {"code": "000000"})
    code = fresh_code(device)

    response = client.post(VERIFY, {"code": code})

    assert f'value="{code}"' in response.text
