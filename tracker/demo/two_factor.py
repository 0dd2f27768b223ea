"""The demo's staff sign in with two-factor sign-in already set up: each has an authenticator
app (TOTP) whose secret `manage.py demo` prints, for a tester to add to an app on their phone or
to compute the codes from."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.accounts import two_factor
from tracker.models import User


def give_staff_authenticators(users: list[User]) -> None:
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name=two_factor.APP_NAME, confirmed=True)
        for user in users
        if two_factor.required_for(user)
    )


def authenticator_secrets() -> dict[str, str]:
    """Each demo staff account's authenticator secret (base32), by username."""
    devices = TOTPDevice.objects.filter(confirmed=True).select_related("user").order_by("pk")
    return {device.user.username: two_factor.secret_in_text(device) for device in devices}
