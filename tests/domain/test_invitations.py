"""Invitations in the domain: the account is made with no usable password, its profile and
invitation in one transaction, audited; a link reads back its invitation only while it is the
newest, unexpired, unused and not revoked; resending and revoking stop the old link."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from tracker.domain.invitations import (
    AddressTaken,
    LinkRefused,
    Refusal,
    accept_invitation,
    invite_patient,
    invite_staff,
    read_link,
    resend_invitation,
    revoke_invitation,
    token_for,
)
from tracker.models import (
    AtrophyKind,
    AuditAction,
    AuditEvent,
    Invitation,
    OutgoingEmail,
    PatientProfile,
    Role,
    User,
)

pytestmark = pytest.mark.django_db

PROFILE = {
    "phone": "07700 900123",
    "atrophy_kind": AtrophyKind.DISUSE,
    "cause": "immobilisation",
    "affected_region": "thigh",
    "affected_side": "left",
}


def invite(by, *, email="nora.quinn@example.org", care_team=None, key=None) -> Invitation:
    invitation, _ = invite_patient(
        by=by,
        first_name="Nora",
        last_name="Quinn",
        email=email,
        profile=PROFILE,
        care_team=care_team if care_team is not None else [by],
        request_key=key,
    )
    return invitation


def trail() -> list[tuple[int, int | None, str, str]]:
    return list(
        AuditEvent.objects.order_by("pk").values_list("actor_id", "patient_id", "action", "what")
    )


def test_invite_patient_makes_an_account_without_a_usable_password(physio):
    invitation = invite(physio)

    user = invitation.user
    assert (user.username, user.email, user.role, user.get_full_name()) == (
        "nora.quinn@example.org",
        "nora.quinn@example.org",
        Role.PATIENT,
        "Nora Quinn",
    )
    assert not user.has_usable_password()
    profile = PatientProfile.objects.get(user=user)
    assert (
        profile.phone,
        profile.atrophy_kind,
        profile.cause,
        profile.affected_region,
        profile.affected_side,
    ) == ("07700 900123", "disuse", "immobilisation", "thigh", "left")
    assert list(profile.care_team.all()) == [physio]


def test_invite_patient_dates_the_invitation_for_the_settings_days(physio, settings):
    settings.INVITATION_DAYS = 7
    now = timezone.now()

    invitation = invite(physio)

    assert invitation.invited_by == physio
    assert abs(invitation.sent_at - now) < dt.timedelta(seconds=5)
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=7)
    assert (invitation.accepted_at, invitation.revoked_at) == (None, None)
    assert len(invitation.nonce) >= 32


def test_invite_patient_records_one_new_account_about_the_patient(physio):
    invitation = invite(physio)

    assert trail() == [(physio.pk, invitation.user_id, AuditAction.CHANGE, "new account")]


def test_invite_staff_records_about_no_patient(admin_user):
    invitation, created = invite_staff(
        by=admin_user,
        first_name="Ravi",
        last_name="Shah",
        email="ravi@example.org",
        role=Role.PHYSIOTHERAPIST,
    )

    assert created
    assert (invitation.user.role, invitation.user.has_usable_password()) == (
        Role.PHYSIOTHERAPIST,
        False,
    )
    assert not PatientProfile.objects.filter(user=invitation.user).exists()
    assert trail() == [(admin_user.pk, None, AuditAction.CHANGE, "new account")]


def test_an_invited_admin_may_work_in_djangos_admin(admin_user):
    invitation, _ = invite_staff(
        by=admin_user, first_name="Ola", last_name="Berg", email="ola@example.org", role=Role.ADMIN
    )

    assert (invitation.user.is_staff, invitation.user.is_superuser) == (True, True)


def test_the_invitation_email_carries_the_link_and_no_health_details(physio):
    invitation = invite(physio)

    email = OutgoingEmail.objects.get()
    assert (email.kind, email.key, email.address, email.recipient) == (
        "invitation",
        f"invitation:{invitation.pk}:{invitation.nonce}",
        "nora.quinn@example.org",
        invitation.user,
    )
    link = f"http://testserver/invitation/{token_for(invitation)}/"
    assert link in email.text
    assert link in email.html
    for health in ("thigh", "Thigh", "atrophy", "disuse", "immobilis", "left"):
        assert health not in email.subject + email.text + email.html


def test_the_same_form_sent_twice_makes_one_account(physio):
    key = uuid.uuid4()

    (first, created_first), (second, created_second) = [
        invite_patient(
            by=physio,
            first_name="Nora",
            last_name="Quinn",
            email="nora@example.org",
            profile=PROFILE,
            care_team=[physio],
            request_key=key,
        )
        for _ in range(2)
    ]
    assert (created_first, created_second) == (True, False)
    assert second == first
    assert User.objects.filter(email="nora@example.org").count() == 1
    assert OutgoingEmail.objects.count() == 1
    assert len(trail()) == 1


def test_an_address_already_used_is_refused_whatever_its_case(physio, patient):
    with pytest.raises(AddressTaken):
        invite(physio, email=patient.email.upper())

    assert Invitation.objects.count() == 0


def test_a_link_reads_back_its_invitation(physio):
    invitation = invite(physio)

    assert read_link(token_for(invitation)) == invitation


def refusal_of(token: str) -> Refusal:
    with pytest.raises(LinkRefused) as refused:
        read_link(token)
    return refused.value.reason


def test_an_expired_link_is_refused(physio):
    invitation = invite(physio)
    token = token_for(invitation)

    with time_machine.travel(invitation.expires_at + dt.timedelta(seconds=1)):
        assert refusal_of(token) == Refusal.EXPIRED


def test_a_link_still_works_a_minute_before_it_expires(physio):
    invitation = invite(physio)

    with time_machine.travel(invitation.expires_at - dt.timedelta(minutes=1)):
        assert read_link(token_for(invitation)) == invitation


def test_a_used_link_is_refused(physio):
    invitation = invite(physio)
    token = token_for(invitation)
    accept_invitation(invitation=invitation, password="a-long-pass-phrase-42")

    assert refusal_of(token) == Refusal.USED


def test_a_revoked_link_is_refused(physio):
    invitation = invite(physio)
    token = token_for(invitation)

    assert revoke_invitation(by=physio, invitation=invitation)

    assert refusal_of(token) == Refusal.REVOKED


def test_a_link_to_an_account_deactivated_since_is_refused(physio):
    invitation = invite(physio)
    User.objects.filter(pk=invitation.user_id).update(is_active=False)

    assert refusal_of(token_for(invitation)) == Refusal.REVOKED


def test_a_resend_makes_the_old_link_stale_and_the_new_one_work(physio):
    invitation = invite(physio)
    old = token_for(invitation)
    old_expiry = invitation.expires_at

    with time_machine.travel(dt.timedelta(days=3)):
        assert resend_invitation(by=physio, invitation=invitation)
        invitation.refresh_from_db()
        assert refusal_of(old) == Refusal.STALE
        assert read_link(token_for(invitation)) == invitation
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=7)
    assert invitation.expires_at - old_expiry >= dt.timedelta(days=3)
    assert OutgoingEmail.objects.count() == 2


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "",
        signing.dumps([1, "x"], salt="someone.else"),
    ],
)
def test_a_tampered_token_is_refused(physio, token):
    invite(physio)

    assert refusal_of(token) == Refusal.TAMPERED


def test_a_token_with_its_number_changed_is_refused(physio):
    invitation = invite(physio)
    value, signature = token_for(invitation).rsplit(":", 1)
    other = token_for(invite(physio, email="other@example.org"))

    assert refusal_of(f"{value}:{other.rsplit(':', 1)[1]}") == Refusal.TAMPERED
    assert refusal_of(f"{value}x:{signature}") == Refusal.TAMPERED


def test_accepting_sets_the_password_and_records_it(physio):
    invitation = invite(physio)

    user = accept_invitation(invitation=invitation, password="a-long-pass-phrase-42")

    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert user.check_password("a-long-pass-phrase-42")
    assert trail()[-1] == (
        user.pk,
        user.pk,
        AuditAction.CHANGE,
        "password (chosen through the invitation)",
    )


def test_accepting_twice_is_refused_the_second_time(physio):
    invitation = invite(physio)
    accept_invitation(invitation=invitation, password="a-long-pass-phrase-42")

    with pytest.raises(LinkRefused) as refused:
        accept_invitation(invitation=invitation, password="another-pass-phrase-43")

    assert refused.value.reason == Refusal.USED
    assert invitation.user.__class__.objects.get(pk=invitation.user_id).check_password(
        "a-long-pass-phrase-42"
    )


def test_resending_with_a_stale_sent_time_sends_nothing(physio):
    invitation = invite(physio)
    shown = invitation.sent_at
    assert resend_invitation(by=physio, invitation=invitation, shown_sent_at=shown)

    assert not resend_invitation(by=physio, invitation=invitation, shown_sent_at=shown)
    assert OutgoingEmail.objects.count() == 2


def test_resending_an_accepted_invitation_sends_nothing(physio):
    invitation = invite(physio)
    accept_invitation(invitation=invitation, password="a-long-pass-phrase-42")

    assert not resend_invitation(by=physio, invitation=invitation)
    assert OutgoingEmail.objects.count() == 1


def test_revoking_twice_records_once(physio):
    invitation = invite(physio)

    assert revoke_invitation(by=physio, invitation=invitation)
    assert not revoke_invitation(by=physio, invitation=invitation)

    assert [what for *_, what in trail()] == ["new account", "invitation (withdrawn)"]


def test_resending_records_it(physio):
    invitation = invite(physio)

    resend_invitation(by=physio, invitation=invitation)

    assert trail()[-1] == (
        physio.pk,
        invitation.user_id,
        AuditAction.CHANGE,
        "invitation (sent again)",
    )
