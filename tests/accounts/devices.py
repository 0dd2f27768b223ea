"""Two-factor devices for tests: a confirmed authenticator app, and the code it shows now,
computed from its key as the phone's app would (django_otp.oath.totp)."""

from __future__ import annotations

import time

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.models import User


def authenticator(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def time_step(device: TOTPDevice) -> int:
    return int((time.time() - device.t0) // device.step)


def code_at(device: TOTPDevice, step: int) -> str:
    """The code the app shows in time step `step`."""
    token = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=step - time_step(device),
    )
    return f"{token:0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet: this time step's, or the next one's (within the
    one step of tolerance) if this one's was used, as when one test signs in twice quickly."""
    device.refresh_from_db()
    step = max(time_step(device), device.last_t + 1)
    while step > time_step(device) + device.tolerance:
        time.sleep(0.2)
    return code_at(device, step)
