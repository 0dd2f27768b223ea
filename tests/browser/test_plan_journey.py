"""A physiotherapist clears, plans and activates; the patient sees the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import physio_and_patient, sign_in, sign_out, wait_for_htmx
from tests.factories import (
    PlanTemplateFactory,
    TemplatePrescriptionFactory,
    activity,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [360, 1280])
def test_physio_clears_plans_and_activates_and_patient_sees_it(page: Page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    # The editor swaps its regions with htmx, under the strict Content Security Policy: not
    # one inline style may be refused on the way (htmx settles a swapped element's attributes).
    refused = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    physio_and_patient()
    template = PlanTemplateFactory(name="Return to running")
    TemplatePrescriptionFactory(template=template, activity=activity("Walking"), start_minutes=20)
    TemplatePrescriptionFactory(template=template, activity=activity("Jogging"), start_minutes=10)
    today = timezone.localdate()

    sign_in(page, live_server.url, "physio")
    page.get_by_role("link", name="Anna Novak").click()
    page.get_by_role("button", name="Record a clearance").click()
    page.get_by_label("Physician name").fill("Dr Ines Duarte")
    page.get_by_label("Registration number").fill("GMC 7012345")
    page.get_by_label("Date cleared").fill(today.isoformat())
    page.get_by_label("Valid until").fill((today + dt.timedelta(days=90)).isoformat())
    page.get_by_label("Walking", exact=True).check()
    page.get_by_label("Swimming", exact=True).check()
    page.get_by_label("Jogging", exact=True).check()
    page.get_by_label("Longest session (minutes)").fill("40")
    page.get_by_role("button", name="Save clearance").click()
    # Jogging without high impact allowed is refused, with everything typed kept.
    expect(page.get_by_text("Jogging is high-impact: tick")).to_be_visible()
    expect(page.get_by_label("Physician name")).to_have_value("Dr Ines Duarte")
    page.get_by_label("Jogging", exact=True).uncheck()
    page.get_by_role("button", name="Save clearance").click()
    expect(page.get_by_text("Clearance by Dr Ines Duarte recorded.")).to_be_visible()

    page.get_by_role("button", name="New plan").click()
    page.get_by_label("Start from a template").select_option(label="Return to running")
    page.get_by_role("button", name="Create draft plan").click()
    expect(
        page.get_by_text("Jogging was left out: Jogging is not among the activities")
    ).to_be_visible()

    # Trying jogging by hand is refused at the field, in place.
    add = page.locator("form[action$='/prescriptions/']")
    add.get_by_label("Activity:", exact=True).select_option(label="Jogging")
    add.get_by_label("Sessions per week").fill("2")
    add.get_by_label("Minutes per session at the start").fill("10")
    add.get_by_label("Most minutes per session").fill("30")
    add.get_by_role("button", name="Add activity").click()
    expect(page.locator("#prescriptions .errorlist")).to_have_text(
        "Jogging is not among the activities Dr Ines Duarte cleared. "
        "Choose a cleared activity, or record a new clearance that includes it."
    )
    expect(add.get_by_label("Minutes per session at the start")).to_have_value("10")
    wait_for_htmx(page)

    # Fixed: swimming instead.
    add.get_by_label("Activity:", exact=True).select_option(label="Swimming")
    add.get_by_role("button", name="Add activity").click()
    expect(
        page.locator("#prescriptions").get_by_text("Swimming: 2 sessions a week")
    ).to_be_visible()
    page.get_by_role("button", name="Activate plan").click()
    expect(page.get_by_text("Plan active.")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server.url, "patient")
    page.get_by_role("link", name="Your whole plan and your physician's limits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Back to strength")
    expect(page.get_by_role("heading", name="Walking")).to_be_visible()
    expect(page.get_by_role("heading", name="Swimming")).to_be_visible()
    expect(page.get_by_text("valid until")).to_be_visible()
    assert refused == []
