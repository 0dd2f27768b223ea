from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in, sign_out
from tests.factories import AdminFactory, PhysiotherapistFactory, make_patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_role_signs_in_and_lands_on_its_home(page: Page, live_server):
    physio = PhysiotherapistFactory(username="physio", first_name="Maya", last_name="Lindqvist")
    make_patient(care_team=[physio], user__username="patient", user__first_name="Anna")
    AdminFactory(username="admin")
    expected = {
        "patient": ("/today/", "Hello, Anna"),
        "physio": ("/caseload/", "My patients"),
        "admin": ("/overview/", "Overview"),
    }

    for username, (path, heading) in expected.items():
        sign_in(page, live_server.url, username)

        expect(page).to_have_url(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        sign_out(page)
        expect(page).to_have_url(f"{live_server.url}/account/login/")
