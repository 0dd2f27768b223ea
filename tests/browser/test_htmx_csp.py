"""htmx swaps regions under the strict Content Security Policy without one refused style."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import physio_and_patient, sign_in, wait_for_htmx
from tests.factories import ClearanceFactory, PlanFactory, PrescriptionFactory, activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_plan_editors_swaps_break_no_content_security_rule(page: Page, live_server):
    physio, patient = physio_and_patient()
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient, recorded_by=physio))
    PrescriptionFactory(plan=plan, activity=activity("Walking"))
    PrescriptionFactory(plan=plan, activity=activity("Swimming"))
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )

    sign_in(page, live_server.url, "physio")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("button", name="Remove Swimming").click()
    expect(page.locator("#prescriptions").get_by_text("Swimming:")).to_have_count(0)
    wait_for_htmx(page)

    assert refused == []
