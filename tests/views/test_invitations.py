"""Invitations through the pages: staff add a patient (a physiotherapist to their own caseload,
an admin to any care team) or staff; the Invitations page lists who has not accepted, with
Resend and Revoke for one's own caseload only; the invited person opens the link signed out,
chooses a password and is signed in; every link that no longer works says why and who to ask."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for, run_worker
from tests.factories import PASSWORD, PhysiotherapistFactory, make_patient
from tests.smtp import html_part, smtp_server, text_part
from tracker.domain.invitations import (
    accept_invitation,
    invite_patient,
    invite_staff,
    resend_invitation,
    revoke_invitation,
    token_for,
)
from tracker.models import AuditEvent, Invitation, OutgoingEmail, PatientProfile, Role, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "walking-again-2026"


def form_data(**changes) -> dict:
    data = {
        "request_key": str(uuid.uuid4()),
        "first_name": "Nora",
        "last_name": "Quinn",
        "email": "nora.quinn@example.org",
        "phone": "07700 900123",
        "atrophy_kind": "disuse",
        "cause": "immobilisation",
        "affected_region": "thigh",
        "affected_side": "left",
    }
    return {**data, **changes}


def invited(by, *, email="nora.quinn@example.org", care_team=None, first_name="Nora"):
    invitation, _ = invite_patient(
        by=by,
        first_name=first_name,
        last_name="Quinn",
        email=email,
        profile={"atrophy_kind": "disuse"},
        care_team=care_team if care_team is not None else [by],
    )
    return invitation


def accept_url(invitation) -> str:
    return f"/invitation/{token_for(invitation)}/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# Adding a patient ------------------------------------------------------------------------


def test_a_physio_adds_a_patient_to_their_own_caseload(physio):
    client = client_for(physio)

    response = client.post("/invitations/patient/", form_data(), follow=True)

    assert response.redirect_chain == [("/invitations/", 302)]
    user = User.objects.get(email="nora.quinn@example.org")
    assert (user.role, user.has_usable_password()) == (Role.PATIENT, False)
    assert list(user.profile.care_team.all()) == [physio]
    assert messages_of(response) == [
        "Invitation sent to Nora Quinn at nora.quinn@example.org. The link works until "
        "Wednesday 9 December."
    ]
    assert "Nora Quinn" in response.text


def test_a_physio_cannot_put_a_patient_on_another_caseload(physio, other_physio):
    client = client_for(physio)

    client.post("/invitations/patient/", form_data(care_team=[other_physio.pk]))

    user = User.objects.get(email="nora.quinn@example.org")
    assert list(user.profile.care_team.all()) == [physio]


def test_a_physio_sees_no_care_team_choice(physio):
    response = client_for(physio).get("/invitations/patient/")

    assert response.status_code == 200
    assert "Choose your password" not in response.text
    assert 'name="care_team"' not in response.text
    assert "The patient joins your caseload." in response.text


def test_an_admin_chooses_the_care_team(admin_user, physio, other_physio):
    client = client_for(admin_user)

    response = client.post(
        "/invitations/patient/", form_data(care_team=[physio.pk, other_physio.pk])
    )

    assert response.status_code == 302
    user = User.objects.get(email="nora.quinn@example.org")
    assert set(user.profile.care_team.all()) == {physio, other_physio}


def test_an_admin_must_choose_a_physiotherapist(admin_user, physio):
    response = client_for(admin_user).post("/invitations/patient/", form_data())

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "care_team": ["Choose at least one physiotherapist."]
    }
    assert not User.objects.filter(email="nora.quinn@example.org").exists()


def test_an_address_already_used_is_refused_at_the_field_with_the_values_kept(physio, patient):
    response = client_for(physio).post(
        "/invitations/patient/", form_data(email=patient.email.upper())
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": [
            "An account already uses this e-mail address. Find the person in the caseload, or "
            "ask an admin if the account should be changed."
        ]
    }
    assert 'value="Nora"' in response.text
    assert 'value="07700 900123"' in response.text
    assert (Invitation.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"first_name": "", "email": ""}, {"first_name", "email"}),
        ({"email": "nora-at-example"}, {"email"}),
        ({"email": "a" * 140 + "@example.org"}, {"email"}),
        ({"phone": "<script>alert(1)</script>"}, {"phone"}),
        ({"atrophy_kind": "made-up"}, {"atrophy_kind"}),
        ({"affected_side": "middle"}, {"affected_side"}),
        ({"last_name": "Q" * 151}, {"last_name"}),
    ],
)
def test_a_bad_add_form_comes_back_with_its_errors_and_saves_nothing(physio, changes, errors):
    users = User.objects.count()

    response = client_for(physio).post("/invitations/patient/", form_data(**changes))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == errors
    assert "Nothing has been saved yet." in response.text
    assert User.objects.count() == users
    assert (Invitation.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


def test_a_double_submitted_add_form_makes_one_account(physio):
    client = client_for(physio)
    data = form_data()

    first = client.post("/invitations/patient/", data)
    second = client.post("/invitations/patient/", data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert User.objects.filter(email="nora.quinn@example.org").count() == 1
    assert (Invitation.objects.count(), OutgoingEmail.objects.count()) == (1, 1)


def test_another_physios_form_key_does_not_find_my_invitation(physio, other_physio):
    data = form_data()
    client_for(physio).post("/invitations/patient/", data)

    response = client_for(other_physio).post("/invitations/patient/", data)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email"}


# Inviting staff --------------------------------------------------------------------------


def test_an_admin_invites_a_physiotherapist(admin_user):
    response = client_for(admin_user).post(
        "/invitations/staff/",
        {
            "request_key": str(uuid.uuid4()),
            "first_name": "Ravi",
            "last_name": "Shah",
            "email": "ravi@example.org",
            "role": Role.PHYSIOTHERAPIST,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="ravi@example.org")
    assert (user.role, user.has_usable_password()) == (Role.PHYSIOTHERAPIST, False)
    assert not PatientProfile.objects.filter(user=user).exists()
    assert OutgoingEmail.objects.get().address == "ravi@example.org"


def test_a_patient_cannot_be_made_through_the_staff_form(admin_user):
    response = client_for(admin_user).post(
        "/invitations/staff/",
        {"first_name": "Ravi", "last_name": "Shah", "email": "r@example.org", "role": "patient"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"role"}


def test_a_physio_may_not_invite_staff(physio):
    assert client_for(physio).get("/invitations/staff/").status_code == 403


# The list --------------------------------------------------------------------------------


def test_a_physio_lists_only_their_own_caseloads_invitations(physio, other_physio, admin_user):
    mine = invited(physio)
    invited(other_physio, email="ben@example.org", first_name="Benedict")
    invite_staff(
        by=admin_user, first_name="Ravi", last_name="Shah", email="r@example.org", role="admin"
    )

    response = client_for(physio).get("/invitations/")

    assert [i.pk for i in response.context["invitations"]] == [mine.pk]
    assert "Benedict" not in response.text
    assert "Ravi" not in response.text


def test_an_admin_lists_every_waiting_invitation(physio, other_physio, admin_user):
    invited(physio)
    invited(other_physio, email="ben@example.org")
    staff, _ = invite_staff(
        by=admin_user, first_name="Ravi", last_name="Shah", email="r@example.org", role="admin"
    )
    accepted = invited(physio, email="done@example.org")
    accept_invitation(invitation=accepted, password=NEW_PASSWORD)
    revoked = invited(physio, email="gone@example.org")
    revoke_invitation(by=physio, invitation=revoked)

    response = client_for(admin_user).get("/invitations/")

    assert len(response.context["invitations"]) == 3
    assert staff in response.context["invitations"]
    assert "Invite staff" in response.text


def test_an_account_deactivated_since_is_not_listed(admin_user, physio):
    invitation = invited(physio)
    User.objects.filter(pk=invitation.user_id).update(is_active=False)

    response = client_for(admin_user).get("/invitations/")

    assert response.context["invitations"] == []
    assert Client().get(accept_url(invitation)).status_code == 410


def test_the_list_says_expired_after_the_link_expired(physio):
    invitation = invited(physio)

    with time_machine.travel(invitation.expires_at + dt.timedelta(hours=1)):
        response = client_for(physio).get("/invitations/")

    assert "Expired" in response.text
    assert "Expired on Wed 9 Dec, 10:00" in response.text


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (OutgoingEmail.Status.FAILED, "The e-mail could not be delivered."),
        (OutgoingEmail.Status.RETRYING, "The e-mail has not been delivered yet."),
    ],
)
def test_the_list_says_when_the_email_was_not_delivered(physio, status, said):
    invitation = invited(physio)
    OutgoingEmail.objects.update(status=status)

    response = client_for(physio).get("/invitations/")

    assert said in response.text
    resend_invitation(by=physio, invitation=invitation)  # a new e-mail, not yet sent
    assert said not in client_for(physio).get("/invitations/").text


def test_the_list_says_when_the_link_expires(physio):
    invited(physio)

    response = client_for(physio).get("/invitations/")

    assert "Wed 9 Dec, 10:00" in response.text
    assert "Expired" not in response.text


def invite_many(physio, other_physio, admin_user, numbers) -> None:
    for n in numbers:
        invited(physio, email=f"p{n}@example.org", care_team=[physio, other_physio])
        invite_staff(
            by=admin_user, first_name="S", last_name=f"{n}", email=f"s{n}@example.org", role="admin"
        )


@pytest.mark.parametrize("who", ["physio", "admin_user"])
def test_the_lists_queries_do_not_grow_with_invitations(
    request, physio, other_physio, admin_user, django_assert_num_queries, who
):
    client = client_for(request.getfixturevalue(who))
    invite_many(physio, other_physio, admin_user, range(1))
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/invitations/").context["invitations"]) >= 1
    # The page's own reads: the invitations with their people, the care teams, and the
    # withdrawn ones. The rest (the session, the user, whatever the sign-in middleware reads)
    # is every page's.
    own = [q["sql"] for q in one if "tracker_invitation" in q["sql"] or "care_team" in q["sql"]]
    assert len(own) == 3

    invite_many(physio, other_physio, admin_user, range(1, 20))
    for invitation in Invitation.objects.filter(user__email__startswith="p")[:5]:
        revoke_invitation(by=physio, invitation=invitation)
    with django_assert_num_queries(len(one)):
        response = client.get("/invitations/")
    assert len(response.context["invitations"]) >= 15
    assert len(response.context["withdrawn"]) == 5


# Resend and revoke -----------------------------------------------------------------------


def test_resend_sends_a_new_link_and_the_old_one_stops(physio):
    invitation = invited(physio)
    old = accept_url(invitation)
    client = client_for(physio)

    response = client.post(
        f"/invitations/{invitation.pk}/resend/",
        {"sent_at": invitation.sent_at.isoformat()},
        follow=True,
    )

    assert messages_of(response) == [
        "A new invitation is on its way to Nora Quinn. The link in the earlier e-mail no "
        "longer works."
    ]
    invitation.refresh_from_db()
    assert OutgoingEmail.objects.count() == 2
    assert Client().get(old).status_code == 410
    assert Client().get(accept_url(invitation)).status_code == 200


def test_a_second_tap_on_resend_sends_once(physio):
    invitation = invited(physio)
    client = client_for(physio)
    data = {"sent_at": invitation.sent_at.isoformat()}

    client.post(f"/invitations/{invitation.pk}/resend/", data)
    client.post(f"/invitations/{invitation.pk}/resend/", data)

    assert OutgoingEmail.objects.count() == 2


def test_revoke_asks_first_then_stops_the_link(physio):
    invitation = invited(physio)
    link = accept_url(invitation)
    client = client_for(physio)

    confirm = client.get(f"/invitations/{invitation.pk}/revoke/")
    assert "Revoke the invitation for Nora Quinn?" in confirm.text
    Invitation.objects.get(pk=invitation.pk, revoked_at=None)

    response = client.post(f"/invitations/{invitation.pk}/revoke/", follow=True)

    assert messages_of(response) == [
        "Invitation for Nora Quinn withdrawn. The link no longer works."
    ]
    assert Invitation.objects.get(pk=invitation.pk).revoked_by == physio
    assert Client().get(link).status_code == 410
    assert response.context["invitations"] == []


@pytest.mark.parametrize(
    ("method", "action"), [("post", "resend"), ("get", "revoke"), ("post", "revoke")]
)
def test_a_physio_cannot_act_on_another_caseloads_invitation(physio, other_physio, method, action):
    invitation = invited(other_physio)
    before = list(Invitation.objects.values())

    response = getattr(client_for(physio), method)(f"/invitations/{invitation.pk}/{action}/")

    assert response.status_code == 404
    assert list(Invitation.objects.values()) == before
    assert OutgoingEmail.objects.count() == 1


def test_a_physio_cannot_act_on_a_staff_invitation(physio, admin_user):
    invitation, _ = invite_staff(
        by=admin_user, first_name="R", last_name="S", email="r@example.org", role="admin"
    )

    response = client_for(physio).post(f"/invitations/{invitation.pk}/revoke/")

    assert response.status_code == 404


def test_resending_an_accepted_invitation_says_so(physio):
    invitation = invited(physio)
    accept_invitation(invitation=invitation, password=NEW_PASSWORD)

    response = client_for(physio).post(f"/invitations/{invitation.pk}/resend/", follow=True)

    assert messages_of(response) == ["Nora Quinn has already accepted the invitation."]
    assert OutgoingEmail.objects.count() == 1


def test_a_revoked_invitation_is_listed_and_invited_again(physio):
    invitation = invited(physio)
    revoke_invitation(by=physio, invitation=invitation)
    old_link = accept_url(invitation)
    client = client_for(physio)

    listed = client.get("/invitations/")
    assert listed.context["withdrawn"] == [invitation]
    assert "Invite again" in listed.text

    response = client.post(f"/invitations/{invitation.pk}/again/", follow=True)

    assert messages_of(response) == [
        "A new invitation is on its way to Nora Quinn at nora.quinn@example.org."
    ]
    again = Invitation.objects.get(user=invitation.user, revoked_at=None)
    assert again.invited_by == physio
    assert response.context["invitations"] == [again]
    assert response.context["withdrawn"] == []
    assert Client().get(old_link).status_code == 410
    assert Client().get(accept_url(again)).status_code == 200
    assert OutgoingEmail.objects.count() == 2
    assert AuditEvent.objects.filter(
        actor=physio, patient=invitation.user, what="invitation (sent again after withdrawal)"
    ).exists()


def test_a_second_tap_on_invite_again_sends_once(physio):
    invitation = invited(physio)
    revoke_invitation(by=physio, invitation=invitation)
    client = client_for(physio)

    client.post(f"/invitations/{invitation.pk}/again/")
    response = client.post(f"/invitations/{invitation.pk}/again/", follow=True)

    assert Invitation.objects.filter(user=invitation.user).count() == 2
    assert OutgoingEmail.objects.count() == 2
    assert messages_of(response)[-1] == "Nora Quinn has a newer invitation already."


def test_a_waiting_or_accepted_invitation_is_not_invited_again(physio):
    waiting = invited(physio)
    accepted = invited(physio, email="ann@example.org", first_name="Ann")
    accept_invitation(invitation=accepted, password=NEW_PASSWORD)
    client = client_for(physio)

    client.post(f"/invitations/{waiting.pk}/again/")
    client.post(f"/invitations/{accepted.pk}/again/")

    assert Invitation.objects.count() == 2
    assert OutgoingEmail.objects.count() == 2


def test_a_physio_cannot_invite_again_another_caseloads_patient(physio, other_physio):
    invitation = invited(other_physio)
    revoke_invitation(by=other_physio, invitation=invitation)

    response = client_for(physio).post(f"/invitations/{invitation.pk}/again/")

    assert response.status_code == 404
    assert Invitation.objects.count() == 1
    assert "Nora" not in client_for(physio).get("/invitations/").text


# Accepting -------------------------------------------------------------------------------


def test_a_valid_link_asks_to_choose_a_password(physio):
    invitation = invited(physio)

    response = Client().get(accept_url(invitation))

    assert response.status_code == 200
    assert "<h1>Choose your password</h1>" in response.text
    assert "nora.quinn@example.org" in response.text
    assert response["Cache-Control"].startswith("max-age=0")


def test_choosing_a_password_signs_in_and_goes_home(physio):
    invitation = invited(physio)
    client = Client()

    response = client.post(
        accept_url(invitation),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [("/today/", 302)]
    assert int(client.session[SESSION_KEY]) == invitation.user_id
    assert messages_of(response) == [
        "Welcome, Nora. Your password is saved and you are signed in. Next time, sign in with "
        "nora.quinn@example.org and this password."
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert Client().login(username="nora.quinn@example.org", password=NEW_PASSWORD)


@pytest.mark.parametrize(
    ("first", "second", "field"),
    [
        (NEW_PASSWORD, "walking-again-2027", "new_password2"),  # typed again differently
        # The rules' refusals are said at the password chosen, not at "Type it again".
        ("12345678", "12345678", "new_password1"),
        ("nora.quinn@example.org", "nora.quinn@example.org", "new_password1"),
        ("", "", "new_password1"),
    ],
)
def test_a_password_the_rules_refuse_is_asked_again(physio, first, second, field):
    invitation = invited(physio)

    response = Client().post(
        accept_url(invitation), {"new_password1": first, "new_password2": second}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if first:  # said once, at that field only
        assert list(errors) == [field]
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not User.objects.get(pk=invitation.user_id).has_usable_password()


def test_a_second_tap_on_save_after_signing_in_goes_home(physio):
    invitation = invited(physio)
    client = Client()
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client.post(accept_url(invitation), data)

    response = client.post(accept_url(invitation), data)

    assert (response.status_code, response["Location"]) == (302, "/today/")


def test_an_invited_physiotherapist_lands_on_staff_pages(admin_user):
    invitation, _ = invite_staff(
        by=admin_user,
        first_name="Ravi",
        last_name="Shah",
        email="r@example.org",
        role="physiotherapist",
    )
    client = Client()

    response = client.post(
        accept_url(invitation), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == invitation.user_id


# Links that no longer work ---------------------------------------------------------------


def refused(url: str, status: int, *texts: str) -> None:
    for response in (Client().get(url), Client().post(url, {"new_password1": NEW_PASSWORD})):
        assert response.status_code == status
        for text in texts:
            assert text in response.text
        assert "Choose your password" not in response.text


def test_an_expired_link_says_so_and_who_to_ask(physio):
    invitation = invited(physio)

    with time_machine.travel(invitation.expires_at + dt.timedelta(minutes=1)):
        refused(
            accept_url(invitation),
            410,
            "This link no longer works",
            "The invitation was valid until Wednesday 9 December, 10:00. That time has passed.",
            "Ask Maya Lindqvist to send you a new invitation.",
        )
    assert not User.objects.get(pk=invitation.user_id).has_usable_password()


def test_a_used_link_says_so_and_offers_sign_in(physio):
    invitation = invited(physio)
    accept_invitation(invitation=invitation, password=NEW_PASSWORD)

    refused(accept_url(invitation), 410, "You have already chosen your password", "Sign in")


def test_a_revoked_link_says_so(physio):
    invitation = invited(physio)
    revoke_invitation(by=physio, invitation=invitation)

    refused(
        accept_url(invitation),
        410,
        "This invitation was withdrawn.",
        "Ask Maya Lindqvist to send you a new invitation.",
    )


def test_a_link_made_stale_by_a_resend_says_to_use_the_newest(physio):
    invitation = invited(physio)
    old = accept_url(invitation)
    resend_invitation(by=physio, invitation=invitation)

    refused(old, 410, "A newer invitation was sent to you after this one.")


def test_an_admin_invited_patient_is_told_to_ask_their_care_team(admin_user, physio, other_physio):
    invitation = invited(admin_user, care_team=[physio, other_physio])
    revoke_invitation(by=admin_user, invitation=invitation)

    refused(accept_url(invitation), 410, "Ask Maya Lindqvist or Tomás Herrera to send you a new")


@pytest.mark.parametrize("mangle", [lambda t: t[:-2], lambda t: "x" + t, lambda t: "junk"])
def test_a_tampered_link_is_refused(physio, mangle):
    invitation = invited(physio)

    refused(f"/invitation/{mangle(token_for(invitation))}/", 404, "This link no longer works")
    assert not User.objects.get(pk=invitation.user_id).has_usable_password()


def test_a_signed_in_person_opening_someone_elses_link_is_asked_to_sign_out(physio, patient):
    invitation = invited(physio)
    client = client_for(patient)
    url = accept_url(invitation)

    for response in (
        client.get(url),
        client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}),
    ):
        assert response.status_code == 403
        assert "Sign out first" in response.text
        assert f'name="next" value="{url}"' in response.text
    assert int(client.session[SESSION_KEY]) == patient.pk
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not User.objects.get(pk=invitation.user_id).has_usable_password()


def test_a_staff_sign_in_not_yet_through_its_code_is_asked_to_sign_out_too(physio, patient):
    # The two-factor middleware leaves /invitation/ alone: the link's own page answers.
    invitation = invited(physio)
    client = Client()
    assert client.login(username=physio.username, password=PASSWORD)

    response = client.get(accept_url(invitation))

    assert (response.status_code, "Sign out first" in response.text) == (403, True)
    assert client.get("/caseload/").status_code == 302


def test_signing_out_from_there_opens_the_link(physio, patient):
    invitation = invited(physio)
    client = client_for(patient)
    url = accept_url(invitation)

    response = client.post("/account/logout/", {"next": url}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "<h1>Choose your password</h1>" in response.text


def test_a_staff_member_opening_a_stale_link_is_asked_to_sign_out_too(physio):
    invitation = invited(physio)
    old = accept_url(invitation)
    resend_invitation(by=physio, invitation=invitation)

    assert client_for(physio).get(old).status_code == 403


# The e-mail, end to end ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_email_reaches_the_patient_and_its_link_works(settings):
    physio = PhysiotherapistFactory(first_name="Maya", last_name="Lindqvist")
    make_patient(care_team=[physio])  # someone already on the caseload
    client = client_for(physio)
    client.post("/invitations/patient/", form_data())

    with smtp_server(settings) as inbox:
        run_worker()

    (message,) = inbox.messages
    assert message["To"] == "nora.quinn@example.org"
    assert message["Subject"] == "Choose your password for Rehab tracker"
    text = text_part(message)
    assert "Maya Lindqvist has set up an account for you on Rehab tracker." in text
    assert "Wednesday 9 December 2026, 10:00" in text
    for health in ("thigh", "atrophy", "disuse", "immobilis", "left", "07700"):
        assert health not in text + html_part(message) + message["Subject"]
    (link,) = re.findall(r"http://testserver(/invitation/\S+/)", text)
    assert f'href="http://testserver{link}"' in html_part(message)

    browser = Client()
    assert "Choose your password" in browser.get(link).text
    response = browser.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/today/")
    assert browser.get("/today/").status_code == 200
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
    assert AuditEvent.objects.filter(what="new account").count() == 1
