"""Invited people's username is their e-mail address: the sign-in page says so, and finds the
account whatever the case of the address typed."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, make_patient


@pytest.fixture
def invited(db):
    return make_patient(user__username="anna.novak@example.org")


def test_the_sign_in_page_asks_for_a_username_or_an_email_address(client: Client):
    page = client.get("/account/login/").content.decode()
    assert "Username or e-mail address" in page


def test_an_invited_patient_signs_in_with_the_address_in_another_case(client: Client, invited):
    response = client.post(
        "/account/login/", {"username": "Anna.Novak@Example.ORG", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(invited.pk)


def test_a_wrong_password_is_still_refused(client: Client, invited):
    response = client.post(
        "/account/login/", {"username": "anna.novak@example.org", "password": "not-it"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
