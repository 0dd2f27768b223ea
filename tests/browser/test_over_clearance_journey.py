"""A walk longer than the clearance, with a heart rate above its limit: the patient on a phone
reads the limits, not praise; the physiotherapist finds the patient high in the caseload and the
alert on the record."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import physio_and_patient, sign_in, sign_out
from tests.factories import make_active_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_session_beyond_the_clearance_is_saved_with_the_limits_and_reaches_the_physio(
    page: Page, live_server
):
    _physio, patient = physio_and_patient()
    make_active_plan(patient, max_session_minutes=45, max_heart_rate=120)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "patient")

    page.goto(f"{live_server.url}/log/")
    expect(
        page.get_by_text("Your doctor's clearance allows a heart rate of at most 120.")
    ).to_be_visible()
    page.get_by_label("Minutes").fill("60")
    page.get_by_label("Average heart rate (optional)").fill("112")
    page.get_by_label("Highest heart rate (optional)").fill("130")
    page.locator("#id_effort").get_by_text("12", exact=True).click()
    page.locator("#id_pain_before").get_by_text("1", exact=True).click()
    page.locator("#id_pain_after").get_by_text("2", exact=True).click()
    page.get_by_label("No, none of these").check()
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_role("status", name="Messages")).to_have_text(
        "Saved. This session was 60 minutes, and your highest heart rate was 130 beats per "
        "minute; your doctor's clearance allows at most 45 minutes at a time and a heart rate "
        "of 120. Your care team has been told; keep within these limits until they say otherwise."
    )
    expect(page.get_by_text("Well done")).to_have_count(0)
    sign_out(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "physio")
    page.goto(f"{live_server.url}/caseload/")
    expect(page.locator(".case").first.locator(".badge")).to_have_text("Beyond the clearance")
    page.get_by_role("link", name="Anna Novak").click()
    expect(
        page.get_by_text(
            "Session of 60 minutes, above the clearance's longest session of 45 minutes. "
            "Highest heart rate of 130 beats per minute, above the clearance's limit of 120."
        )
    ).to_be_visible()
