"""The physiotherapist downloads the PDF report from the report page, in Chromium, on a phone
and on a desktop: the link is there, the file comes with its name and opens as the report."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.browser.helpers import physio_and_patient, sign_in
from tests.factories import log_week, make_active_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots/c"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # As tests/browser/conftest.py launches it: Debian's Chromium, headless.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


@pytest.mark.parametrize("width", [360, 1280])
def test_the_report_page_downloads_the_pdf(page: Page, live_server, width):
    _, patient = physio_and_patient()
    plan = make_active_plan(patient)
    plan.starts_on -= dt.timedelta(weeks=3)
    plan.save()
    for week in range(3):
        log_week(plan, week, 3, minutes=12)
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server.url, "physio")
    page.goto(f"{live_server.url}/patients/{patient.pk}/report/?range=4")
    link = page.get_by_role("button", name="Download as PDF")
    expect(link).to_be_visible()
    page.screenshot(path=f"{SHOTS}/report-page-{width}.png")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value

    assert download.suggested_filename == "progress-report-anna-novak-2026-12-02.pdf"
    reader = PdfReader(download.path())
    first = reader.pages[0].extract_text()
    assert "Anna Novak, born 1 May 1970" in first
    assert (
        "Period: 9 Nov 2026 to 2 Dec 2026 (4 weeks: 3 finished weeks with sessions planned, "
        "and this week, under way)."
    ) in " ".join(first.split())
    assert f"Page 1 of {len(reader.pages)}" in first
