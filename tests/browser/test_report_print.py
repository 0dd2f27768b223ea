"""The printed report: its headings keep their order, the title largest."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import physio_and_patient, sign_in
from tests.factories import make_active_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADING_SIZES = """() => Object.fromEntries(['h1', 'h2', 'h3'].map((tag) => [tag,
  [...document.querySelectorAll(`.report ${tag}`)]
    .filter((h) => h.getBoundingClientRect().height > 0)
    .map((h) => parseFloat(getComputedStyle(h).fontSize))]))"""


@pytest.mark.parametrize("width", [360, 1280])
def test_printed_report_title_is_larger_than_its_section_headings(page: Page, live_server, width):
    _, patient = physio_and_patient()
    make_active_plan(patient)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, "physio")
    page.goto(f"{live_server.url}/patients/{patient.pk}/report/")

    page.emulate_media(media="print")
    sizes = page.evaluate(HEADING_SIZES)

    assert len(sizes["h1"]) == 1
    assert sizes["h2"], "the report has section headings"
    assert sizes["h1"][0] > max(sizes["h2"])
    assert min(sizes["h2"]) > max(sizes["h3"] or [0])
