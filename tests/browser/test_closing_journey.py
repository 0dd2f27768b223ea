"""Closing an account, as the people do it: the patient asks under "Your data" and changes
their mind, asks again; the admin sees the waiting request on the overview and closes it in
the admin after its confirm page; the patient's open page then sends them to sign in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in
from tests.factories import AdminFactory, make_patient
from tracker.models import AccountClosure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_asks_to_close_and_the_admin_closes_it(page: Page, browser, live_server):
    make_patient(user__username="patient", user__first_name="Anna", user__last_name="Novak")
    AdminFactory(username="admin")
    url = live_server.url

    sign_in(page, url, "patient")
    page.goto(f"{url}/my-data/")
    page.get_by_role("button", name="Close your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close your account")
    page.get_by_label("Why are you leaving? (optional)").fill("Moving abroad")
    page.get_by_role("button", name="Ask to close my account").click()
    expect(page.get_by_text("the clinic will close it.")).to_be_visible()

    page.get_by_role("button", name="Keep my account (withdraw the request)").click()
    expect(page.get_by_text("Your request is withdrawn. Your account stays open.")).to_be_visible()
    assert AccountClosure.objects.count() == 0
    page.get_by_role("button", name="Close your account").click()
    page.get_by_role("button", name="Ask to close my account").click()
    expect(page.get_by_text("the clinic will close it.")).to_be_visible()

    staff = browser.new_page()
    sign_in(staff, url, "admin")
    staff.get_by_role("link", name="request to close an account").click()
    staff.get_by_role(
        "checkbox", name="Select this object for an action - Closing the account of Anna Novak"
    ).check()
    staff.get_by_label("Action:").select_option(label="Close these accounts")
    staff.get_by_role("button", name="Run").click()
    expect(staff.get_by_role("heading", name="Close these accounts?")).to_be_visible()
    staff.get_by_role("button", name="Yes, close these accounts").click()
    expect(staff.get_by_text("1 account closed; its record kept.")).to_be_visible()

    page.goto(f"{url}/today/")
    expect(page).to_have_url(f"{url}/account/login/?next=/today/")
