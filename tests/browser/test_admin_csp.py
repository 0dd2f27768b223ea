"""Django's admin works in a real browser under the Content Security Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.helpers import sign_in
from tests.factories import (
    AdminFactory,
    ClearanceFactory,
    PlanFactory,
    PrescriptionFactory,
    make_patient,
)

# Django's admin under the policy, in a browser -----------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_django_admin_pages_work_under_the_content_security_policy(page: Page, live_server):
    admin = AdminFactory(username="admin")
    patient = make_patient(user__username="patient")
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient))
    PrescriptionFactory(plan=plan)
    violations: list[str] = []

    def note_violation(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", note_violation)
    sign_in(page, live_server.url, "admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")

    for path in [
        "/admin/",
        f"/admin/tracker/user/{admin.pk}/change/",
        f"/admin/tracker/patientprofile/{patient.profile.pk}/change/",
        f"/admin/tracker/clearance/{plan.clearance.pk}/change/",
        f"/admin/tracker/plan/{plan.pk}/change/",
        "/admin/tracker/plan/",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#site-name")).to_be_visible()

    # The admin's own scripts run: the date widget's calendar opens, an inline row is added.
    page.goto(f"{live_server.url}/admin/tracker/clearance/{plan.clearance.pk}/change/")
    page.locator("#calendarlink0").click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    page.goto(f"{live_server.url}/admin/tracker/plan/{plan.pk}/change/")
    rows = page.locator(".dynamic-prescriptions, .inline-related.dynamic-form, tr.form-row")
    before = rows.count()
    page.locator(".add-row a").first.click()
    expect(rows).to_have_count(before + 1)
    assert violations == []
