"""Two-factor sign-in (django-otp): an authenticator app (TOTP) and ten one-time recovery codes.

Physiotherapists and admins must have both and use one at every sign-in; a patient may opt in,
and once they have a device their sign-in asks for the code too. Whether this sign-in has been
verified is django-otp's (`request.user.is_verified()`, read from the session by OTPMiddleware,
which also finds the device gone after an admin's reset); who must verify is decided here, and
TwoFactorMiddleware sends those who must and have not to the code page or to setup."""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass

import segno
from django.db import transaction
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.domain import audit
from tracker.models import AuditAction, Role, User

# Set at sign-in: this account had a device then, so its sign-in asks for a code. Kept in the
# session so that a patient's pages (most people have no device) cost no query to decide.
ASKED_AT_SIGN_IN = "two_factor_asked"
# The recovery codes just made, shown once on the next page and then gone from the session.
NEW_RECOVERY_CODES = "two_factor_new_codes"

RECOVERY_CODES = 10
STAFF_ROLES = (Role.PHYSIOTHERAPIST, Role.ADMIN)
APP_NAME = "Authenticator app"
CODES_NAME = "Recovery codes"


def required_for(user: User) -> bool:
    """Staff read many patients' records: they cannot do without it."""
    return user.role in STAFF_ROLES


def has_device(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def mark_sign_in(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """At sign-in (user_logged_in): note whether this account must give a code, so the pages
    after it need not look for devices. Staff always must; a patient if they have a device."""
    if request is None or not hasattr(request, "session"):
        return
    if required_for(user) or has_device(user):
        request.session[ASKED_AT_SIGN_IN] = True


def asked(request: HttpRequest) -> bool:
    """Whether this signed-in person must verify before going on (they may not have yet)."""
    return required_for(request.user) or bool(request.session.get(ASKED_AT_SIGN_IN))


def still_to_give(request: HttpRequest) -> str | None:
    """The page this sign-in must go through before any other (the name of the code page, or
    of setup for staff with no device), or None when it may go on. A patient an admin reset is
    no longer asked. Costs no query for a verified sign-in or a patient who is not asked."""
    user = request.user
    if not user.is_authenticated or not asked(request) or user.is_verified():
        return None
    if has_device(user):
        return "two_factor_verify"
    if required_for(user):
        return "two_factor_setup"
    request.session.pop(ASKED_AT_SIGN_IN, None)  # reset by an admin
    return None


# Setting up ---------------------------------------------------------------------------------


def pending_app(user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device, kept across reloads of the
    setup page so the QR code a person has scanned stays the one that is checked."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def secret_in_text(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address (with the issuer, OTP_TOTP_ISSUER) as an SVG drawn here, put
    inline in the page: no script, no data: address, nothing fetched."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4,
        omitsize=True,
        title="QR code for your authenticator app",
        svgclass="qr-code",
        lineclass=None,
    )
    return mark_safe(svg)  # segno's own markup of an address we built


@transaction.atomic
def confirm_app(*, request: HttpRequest, device: TOTPDevice) -> list[str]:
    """The person typed a right code from the app being set up: the app becomes their device,
    they get ten new recovery codes (any older ones are gone), and this sign-in is verified.
    Returns the recovery codes, which are shown once."""
    user = request.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=CODES_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    audit.record(
        actor=user,
        patient=user if user.is_patient else None,
        action=AuditAction.CHANGE,
        what=audit.NEW + _device_words(user),
    )
    otp_login(request, device)
    return codes


# Checking a code ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    message: str


def check_code(*, user: User, code: str, device: TOTPDevice | None = None):
    """The device that accepts `code` (a 6-digit code from the app, or a recovery code, which
    then is used up), or a Refusal saying why not: wrong, already used, or too many tries
    (django-otp's throttling: each wrong try doubles the wait). `device`: only this one (the
    app being set up)."""
    code = "".join(code.split()).lower()
    is_app_code = code.isdigit()
    with transaction.atomic():
        if device is not None:
            candidates = [TOTPDevice.objects.select_for_update().get(pk=device.pk)]
        else:
            kind = TOTPDevice if is_app_code else StaticDevice
            candidates = [d for d in devices_for_user(user, for_verify=True) if isinstance(d, kind)]
        for candidate in candidates:
            allowed, why = candidate.verify_is_allowed()
            if not allowed:
                return _throttled(why)
            if candidate.verify_token(code):
                return candidate
    if is_app_code and any(_was_last_used(d, code) for d in candidates):
        return Refusal(
            "That code has been used already. Wait for your app to show a new one, then type it."
        )
    if is_app_code or device is not None:
        return Refusal(
            "That code is not right. Type the 6-digit code your app shows now; "
            "if it still fails, check that your phone's clock is right."
        )
    return Refusal("That recovery code is not right, or it has been used already: each works once.")


def _was_last_used(device: TOTPDevice, code: str) -> bool:
    if not isinstance(device, TOTPDevice) or device.last_t < 0:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = device.t0 + device.last_t * device.step
    return code.isdigit() and totp.token() == int(code)


def _throttled(why: dict | None) -> Refusal:
    """Too soon after wrong codes: the code typed was not checked at all (it may be right)."""
    if why and why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        wait = max(1, math.ceil((why["locked_until"] - timezone.now()).total_seconds()))
        if wait == 1:
            return Refusal(
                "Wait a second, then type the code again: after a wrong code, "
                "the next one is not checked straight away."
            )
        count = why["failure_count"]
        return Refusal(
            f"Wait {wait} seconds, then type the code again: after {count} wrong "
            f"code{pluralize(count)} in a row, the next one is not checked before then."
        )
    return Refusal("Codes cannot be checked just now. Wait a minute and try again.")


def verified(request: HttpRequest, device) -> None:
    otp_login(request, device)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def is_recovery(device) -> bool:
    return isinstance(device, StaticDevice)


# An admin's reset ---------------------------------------------------------------------------


@transaction.atomic
def reset(*, actor: User, user: User) -> bool:
    """A lost phone: every device of `user` is removed, so their next page (any verified
    sign-in included) sends them to set up again; recorded in the audit trail. False if they
    had none."""
    removed = sum(
        model.objects.filter(user=user).delete()[0] for model in (TOTPDevice, StaticDevice)
    )
    if not removed:
        return False
    audit.record(
        actor=actor,
        patient=user if user.is_patient else None,
        action=AuditAction.CHANGE,
        what=audit.DELETED + _device_words(user),
    )
    return True


def _device_words(user: User) -> str:
    """What the trail names: a patient reads "added your two-factor sign-in" on their record;
    a staff account's event is on nobody's record, so it names whose it was."""
    return "two-factor sign-in" if user.is_patient else f"two-factor sign-in of {user.username}"
