"""A physiotherapist adds a patient from the caseload; the patient opens the e-mail's link in
their own browser, chooses a password and lands on their Today page, signed in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import sign_in
from tests.factories import PhysiotherapistFactory
from tracker.models import OutgoingEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_physio_invites_a_patient_who_chooses_a_password(
    page: Page, browser: Browser, live_server
):
    PhysiotherapistFactory(username="physio", first_name="Maya", last_name="Lindqvist")
    page.set_viewport_size({"width": 360, "height": 800})

    sign_in(page, live_server.url, "physio")
    page.get_by_role("button", name="Add a patient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a patient")
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Quinn")
    page.get_by_label("E-mail address").fill("nora.quinn@example.org")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label("Kind of atrophy").select_option(label="Disuse atrophy")
    page.get_by_label("Affected region").select_option(label="Thigh")
    page.get_by_label("Affected side").select_option(label="Left")
    page.get_by_role("button", name="Send the invitation").click()

    expect(page.get_by_role("status", name="Messages")).to_contain_text(
        "Invitation sent to Nora Quinn at nora.quinn@example.org."
    )
    expect(page.locator(".case-name")).to_have_text(["Nora Quinn"])

    (link,) = re.findall(r"http://testserver(/invitation/\S+/)", OutgoingEmail.objects.get().text)
    patient = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    patient.goto(f"{live_server.url}{link}")
    expect(patient.get_by_role("heading", level=1)).to_have_text("Choose your password")
    patient.get_by_label("Choose a password").fill("walking-again-2026")
    patient.get_by_label("Type it again").fill("walking-again-2026")
    patient.get_by_role("button", name="Save my password").click()

    expect(patient).to_have_url(f"{live_server.url}/today/")
    expect(patient.get_by_role("status", name="Messages")).to_contain_text("Welcome, Nora.")
    expect(patient.locator(".who-name")).to_have_text("Nora Quinn")

    # The link works once.
    stranger = browser.new_context().new_page()
    stranger.goto(f"{live_server.url}{link}")
    expect(stranger.get_by_role("heading", level=1)).to_have_text(
        "You have already chosen your password"
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_resend_and_revoke_on_the_list_are_the_same_size(page: Page, live_server, width):
    from tracker.domain.invitations import invite_patient

    physio = PhysiotherapistFactory(username="physio", first_name="Maya", last_name="Lindqvist")
    invite_patient(
        by=physio,
        first_name="Nora",
        last_name="Quinn",
        email="nora@example.org",
        profile={},
        care_team=[physio],
    )
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server.url, "physio")
    page.goto(f"{live_server.url}/invitations/")

    def box(name: str) -> tuple[float, str]:
        control = page.get_by_role("button", name=re.compile(f"^{name}"))
        height = control.bounding_box()["height"]
        size = control.evaluate("e => getComputedStyle(e).fontSize")
        return round(height), size

    assert box("Resend") == box("Revoke")
