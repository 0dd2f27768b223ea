"""Steps that many browser journeys share."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.accounts.devices import authenticator, fresh_code
from tests.factories import PASSWORD, PhysiotherapistFactory, make_patient
from tracker.accounts import two_factor
from tracker.models import User


def sign_in(page: Page, base_url: str, username: str) -> None:
    """The whole sign-in: the password, then for staff (and a patient who set it up) the code
    their authenticator app shows, computed from the device's key."""
    page.goto(f"{base_url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    user = User.objects.get(username=username)
    if two_factor.required_for(user) or two_factor.has_device(user):
        device = authenticator(user)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Enter the 6-digit code")).to_be_visible()
        page.get_by_label("Code").fill(fresh_code(device))
        page.get_by_role("button", name="Continue").click()
    else:
        page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    """Sign out and wait for the sign-in page: the offline app first lets the page finish
    sending what it holds, so the sign-out is not instant."""
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/account/login/**")


def wait_for_htmx(page: Page) -> None:
    """Wait until htmx has finished swapping and settling: a person does not type into a
    region in the 20 ms that htmx is still putting it in place, but a test would."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def physio_and_patient(first_name: str = "Anna", last_name: str = "Novak") -> tuple[User, User]:
    """The physiotherapist Maya Lindqvist, who signs in as `physio`, and her patient, who
    signs in as `patient`."""
    physio = PhysiotherapistFactory(username="physio", first_name="Maya", last_name="Lindqvist")
    patient = make_patient(
        care_team=[physio],
        user__username="patient",
        user__first_name=first_name,
        user__last_name=last_name,
    )
    return physio, patient
