"""Two-factor sign-in in a real browser on a phone: a physiotherapist's first sign-in sets up the
authenticator app from the QR code's secret and keeps the recovery codes; the next sign-in asks
for the code; no script and no Content Security Policy violation on the way."""

from __future__ import annotations

import base64
import os
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.accounts.devices import fresh_code
from tests.browser.helpers import sign_out
from tests.factories import PASSWORD, PhysiotherapistFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS_DIR")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png", full_page=True)


def password_step(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/caseload/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", [360, 1280])
def test_staff_set_up_at_first_sign_in_and_are_asked_for_the_code_next_time(
    page: Page, live_server, width
):
    PhysiotherapistFactory(username="physio", first_name="Maya", last_name="Lindqvist")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_viewport_size({"width": width, "height": 740})
    url = live_server.url

    password_step(page, url, "physio")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    shot(page, "two-factor-setup")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    secret = page.locator("#secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".errorlist")).to_contain_text("That code is not right")
    page.wait_for_timeout(1100)  # django-otp's throttle: a second after one wrong code
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirm and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    shot(page, "two-factor-recovery-codes")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{url}/caseload/")
    sign_out(page)

    password_step(page, url, "physio")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the 6-digit code")
    shot(page, "two-factor-code")
    page.get_by_label("Code").fill(fresh_code(TOTPDevice.objects.get(user__username="physio")))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{url}/caseload/")
    assert violations == []
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
