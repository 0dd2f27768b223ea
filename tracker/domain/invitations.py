"""Invitations: staff add a person, who chooses their own password through a one-time link.
Nobody types another person's password.

Inviting makes the account (no usable password), a patient's profile and care team, and the
invitation, and posts its e-mail, in one transaction that records itself in the audit trail.
The link carries the invitation's number and nonce, signed: resending renews the nonce, so an
older link stops working; the link also stops once used, revoked or past `expires_at`."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
import uuid
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tracker.domain import audit
from tracker.domain.attention import mark_stale
from tracker.models import AuditAction, Invitation, PatientProfile, Role, User
from tracker.notifications import outbox

SALT = "tracker.invitation"
# An invitation's e-mail is keyed "invitation:<pk>:<nonce>": one per link sent.
EMAIL_KEY_PREFIX = "invitation:"
# The profile's fields that the care team sets when it adds a patient.
PROFILE_FIELDS = ("phone", "atrophy_kind", "cause", "affected_region", "affected_side")


class AddressTaken(Exception):
    """An account already uses this e-mail address."""


class Refusal(enum.StrEnum):
    TAMPERED = "tampered"  # not a link this app made
    USED = "used"
    REVOKED = "revoked"
    STALE = "stale"  # a newer invitation was sent since
    EXPIRED = "expired"


class LinkRefused(Exception):
    def __init__(self, reason: Refusal, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def taken(email: str) -> bool:
    """Whether an account already signs in with, or is written to at, `email`."""
    email = email.strip()
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def sent_before(*, by: User, request_key: uuid.UUID | None) -> Invitation | None:
    """The invitation that `by` already sent from the form carrying `request_key`, if any."""
    # Invitation has no request key of its own: the add form's key is the first nonce, so a
    # second submission of the same form finds the invitation the first made. The nonce needs
    # no secrecy (the link is signed), only to change on a resend.
    if request_key is None:
        return None
    return Invitation.objects.filter(nonce=request_key.hex, invited_by=by).first()


def token_for(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, invitation.nonce], salt=SALT)


def link_for(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation_accept", args=[token_for(invitation)])


def _new_nonce() -> str:
    return secrets.token_urlsafe(32)


def _dates(now: dt.datetime) -> dict[str, dt.datetime]:
    return {"sent_at": now, "expires_at": now + dt.timedelta(days=settings.INVITATION_DAYS)}


def _about(user: User) -> User | None:
    """The patient whose record an invitation is part of: none for a staff account."""
    return user if user.is_patient else None


def _send(invitation: Invitation) -> None:
    user = invitation.user
    outbox.post(
        key=f"{EMAIL_KEY_PREFIX}{invitation.pk}:{invitation.nonce}",
        kind="invitation",
        template="invitation",
        context={
            "user": user,
            "inviter": invitation.invited_by,
            "role": user.get_role_display().lower(),
            "link": link_for(invitation),
            "expires_at": invitation.expires_at,
        },
        address=user.email,
        recipient=user,
    )


def invite(
    *,
    by: User,
    role: Role,
    first_name: str,
    last_name: str,
    email: str,
    request_key: uuid.UUID | None,
    profile: Mapping[str, str] | None = None,
    care_team: Sequence[User] = (),
) -> tuple[Invitation, bool]:
    """Make `role`'s account for the person, with no usable password (and a patient's
    profile and care team), and e-mail them their link. Returns the invitation and whether this
    call made it (False: the same form, by `request_key`, was sent before). Raises AddressTaken
    if an account uses `email`."""
    existing = sent_before(by=by, request_key=request_key)
    if existing is not None:
        return existing, False
    nonce = request_key.hex if request_key is not None else _new_nonce()
    email = email.strip()
    if taken(email):
        raise AddressTaken(email)
    try:
        with transaction.atomic():
            # The address is the username, unique in the database: of two forms sent at once
            # for one address, the second is refused here.
            user = User(
                username=email.lower(),
                email=email,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                role=role,
                is_superuser=role == Role.ADMIN,
            )
            user.set_unusable_password()
            user.save()
            if role == Role.PATIENT:
                values = {name: (profile or {}).get(name) or "" for name in PROFILE_FIELDS}
                values["atrophy_kind"] = (
                    values["atrophy_kind"]
                    or PatientProfile._meta.get_field("atrophy_kind").get_default()
                )
                created = PatientProfile.objects.create(user=user, **values)
                created.care_team.set(care_team)
            invitation = Invitation.objects.create(
                user=user, invited_by=by, nonce=nonce, **_dates(timezone.now())
            )
            audit.record(
                actor=by,
                patient=_about(user),
                action=AuditAction.CHANGE,
                what=audit.NEW + "account",
            )
            _send(invitation)
    except IntegrityError:
        twin = sent_before(by=by, request_key=request_key)
        if twin is not None:
            return twin, False
        raise AddressTaken(email) from None
    return invitation, True


def invite_patient(
    *,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    profile: Mapping[str, str],
    care_team: Sequence[User],
    request_key: uuid.UUID | None = None,
) -> tuple[Invitation, bool]:
    """Add a patient with `profile` (PROFILE_FIELDS) on `care_team`, and e-mail them their
    link. Returns the invitation and whether this call made it (not when the same form was
    sent before). Raises AddressTaken if an account uses `email`."""
    return invite(
        by=by,
        role=Role.PATIENT,
        first_name=first_name,
        last_name=last_name,
        email=email,
        request_key=request_key,
        profile=profile,
        care_team=care_team,
    )


def invite_staff(
    *,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    role: Role,
    request_key: uuid.UUID | None = None,
) -> tuple[Invitation, bool]:
    """Add a physiotherapist or an admin, and e-mail them their link."""
    if role not in (Role.PHYSIOTHERAPIST, Role.ADMIN):
        raise ValueError(f"invite_staff invites staff, not {role!r}")
    return invite(
        by=by,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        request_key=request_key,
    )


def refusal(invitation: Invitation, nonce: str, now: dt.datetime) -> Refusal | None:
    """Why a link carrying `nonce` no longer opens `invitation`, or None if it does."""
    if invitation.accepted_at is not None:
        return Refusal.USED
    # An account an admin has deactivated since is as good as a withdrawn invitation.
    if invitation.revoked_at is not None or not invitation.user.is_active:
        return Refusal.REVOKED
    if not secrets.compare_digest(nonce, invitation.nonce):
        return Refusal.STALE
    if now >= invitation.expires_at:
        return Refusal.EXPIRED
    return None


def _unsign(token: str) -> tuple[int, str]:
    try:
        pk, nonce = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkRefused(Refusal.TAMPERED) from None
    if not isinstance(pk, int) or not isinstance(nonce, str):
        raise LinkRefused(Refusal.TAMPERED)
    return pk, nonce


def read_link(token: str) -> Invitation:
    """The invitation `token` opens, or LinkRefused with the reason (and the invitation, when
    the token names one, so the page can say who to ask)."""
    pk, nonce = _unsign(token)
    invitation = (
        Invitation.objects.select_related("user__profile", "invited_by").filter(pk=pk).first()
    )
    if invitation is None:
        raise LinkRefused(Refusal.TAMPERED)
    reason = refusal(invitation, nonce, timezone.now())
    if reason is not None:
        raise LinkRefused(reason, invitation)
    return invitation


def accept_invitation(*, invitation: Invitation, password: str) -> User:
    """The invited person chose `password` (already validated): their account can sign in,
    and the link is used up. LinkRefused if it stopped working since it was opened (a double
    tap, a resend or a revocation in between)."""
    with transaction.atomic():
        current = (
            Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        )
        reason = refusal(current, invitation.nonce, timezone.now())
        if reason is not None:
            raise LinkRefused(reason, current)
        user = current.user
        user.set_password(password)
        user.save(update_fields=["password"])
        current.accepted_at = timezone.now()
        current.save(update_fields=["accepted_at"])
        mark_stale([user.pk])  # joined: from now on they can fall behind or go silent
        audit.record(
            actor=user,
            patient=_about(user),
            action=AuditAction.CHANGE,
            what="password (chosen through the invitation)",
        )
    invitation.accepted_at = current.accepted_at
    return user


def resend_invitation(
    *, by: User, invitation: Invitation, shown_sent_at: dt.datetime | None = None
) -> bool:
    """A new link for seven more days, e-mailed; the old link stops working. Nothing happens
    (False) if the invitation was accepted or revoked, or was resent since `shown_sent_at`,
    when the page that asked showed it (a second tap on Resend sends once)."""
    with transaction.atomic():
        current = (
            Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        )
        if current.accepted_at is not None or current.revoked_at is not None:
            return False
        if shown_sent_at is not None and current.sent_at != shown_sent_at:
            return False
        current.nonce = _new_nonce()
        for name, value in _dates(timezone.now()).items():
            setattr(current, name, value)
        current.save(update_fields=["nonce", "sent_at", "expires_at"])
        mark_stale([current.user_id])
        audit.record(
            actor=by,
            patient=_about(current.user),
            action=AuditAction.CHANGE,
            what="invitation (sent again)",
        )
        _send(current)
    for name in ("nonce", "sent_at", "expires_at"):
        setattr(invitation, name, getattr(current, name))
    return True


def revoke_invitation(*, by: User, invitation: Invitation) -> bool:
    """The link stops working. False if it was accepted or revoked already."""
    with transaction.atomic():
        now = timezone.now()
        changed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now, revoked_by=by)
        if changed:
            mark_stale([invitation.user_id])
            audit.record(
                actor=by,
                patient=_about(invitation.user),
                action=AuditAction.CHANGE,
                what="invitation (withdrawn)",
            )
    if changed:
        invitation.revoked_at, invitation.revoked_by = now, by
    return bool(changed)


def invite_again(*, by: User, invitation: Invitation) -> Invitation | None:
    """A new invitation, e-mailed, for a person whose invitation was withdrawn before they
    joined: their account as it is, a new link for INVITATION_DAYS days. None (nothing sent)
    unless `invitation` is still their latest one and withdrawn, and the account is active (a
    second tap finds the new one and sends nothing more)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=invitation.user_id)
        latest = Invitation.objects.filter(user=user).order_by("-pk").first()
        if latest is None or latest.pk != invitation.pk or latest.revoked_at is None:
            return None
        if not user.is_active or user.invitations.filter(accepted_at__isnull=False).exists():
            return None
        again = Invitation.objects.create(
            user=user, invited_by=by, nonce=_new_nonce(), **_dates(timezone.now())
        )
        mark_stale([user.pk])
        audit.record(
            actor=by,
            patient=_about(user),
            action=AuditAction.CHANGE,
            what="invitation (sent again after withdrawal)",
        )
        _send(again)
    return again
