"""Django's admin adds an account by invitation: name, e-mail and role, no password; the person
gets the same e-mail and link as from the app's pages, and chooses their own password."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tracker.domain.invitations import token_for
from tracker.models import AuditAction, AuditEvent, Invitation, OutgoingEmail, Role, User

pytestmark = pytest.mark.django_db

ADD = reverse("admin:tracker_user_add")


def add(client, **changes):
    data = {
        "request_key": str(uuid.uuid4()),
        "role": Role.PATIENT,
        "first_name": "Nora",
        "last_name": "Quinn",
        "email": "nora@example.org",
        **changes,
    }
    return client.post(ADD, data)


def test_the_add_form_asks_for_no_password(admin_user):
    response = client_for(admin_user).get(ADD)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.fields) == ["request_key", "role", "first_name", "last_name", "email"]
    assert 'type="password"' not in response.text
    assert "They get an e-mail with a link to choose their own password." in response.text


def test_adding_a_patient_sends_the_invitation(admin_user):
    response = add(client_for(admin_user))

    user = User.objects.get(email="nora@example.org")
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("admin:tracker_user_change", args=[user.pk]),
    )
    assert (user.username, user.role, user.has_usable_password()) == (
        "nora@example.org",
        Role.PATIENT,
        False,
    )
    invitation = Invitation.objects.get(user=user)
    assert invitation.invited_by == admin_user
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.address) == ("invitation", "nora@example.org")
    assert f"/invitation/{token_for(invitation)}/" in email.text
    assert user.profile.care_team.count() == 0


def test_adding_a_patient_is_recorded_once(admin_user):
    add(client_for(admin_user))

    user = User.objects.get(email="nora@example.org")
    assert list(AuditEvent.objects.values_list("actor_id", "patient_id", "action", "what")) == [
        (admin_user.pk, user.pk, AuditAction.CHANGE, "new account")
    ]


def test_adding_an_admin_makes_a_superuser_recorded_about_no_patient(admin_user):
    add(client_for(admin_user), role=Role.ADMIN, email="ola@example.org")

    user = User.objects.get(email="ola@example.org")
    assert (user.role, user.is_staff, user.is_superuser, user.has_usable_password()) == (
        Role.ADMIN,
        True,
        True,
        False,
    )
    assert list(AuditEvent.objects.values_list("patient_id", "what")) == [(None, "new account")]


def test_an_address_already_used_is_refused_at_the_field(admin_user, patient):
    response = add(client_for(admin_user), email=patient.email)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["email"]
    assert Invitation.objects.count() == 0


def test_a_name_and_address_are_needed(admin_user):
    response = add(client_for(admin_user), first_name="", email="")

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"first_name", "email"}
    assert User.objects.count() == 1


def test_the_add_form_sent_twice_makes_one_account(admin_user):
    client = client_for(admin_user)
    key = str(uuid.uuid4())

    first = add(client, request_key=key)
    second = add(client, request_key=key)

    assert (first.status_code, second.status_code) == (302, 302)
    assert User.objects.filter(email="nora@example.org").count() == 1
    assert OutgoingEmail.objects.count() == 1


def test_the_admins_invitation_link_works(admin_user):
    add(client_for(admin_user))
    invitation = Invitation.objects.get()
    browser = Client()

    response = browser.post(
        f"/invitation/{token_for(invitation)}/",
        {"new_password1": "walking-again-2026", "new_password2": "walking-again-2026"},
    )

    assert (response.status_code, response["Location"]) == (302, "/today/")


def test_changing_an_account_still_works(admin_user, patient):
    response = client_for(admin_user).get(reverse("admin:tracker_user_change", args=[patient.pk]))

    assert response.status_code == 200
