"""Steps that many browser journeys share."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.factories import PASSWORD, PhysiotherapistFactory, make_patient
from tracker.models import User


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


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
