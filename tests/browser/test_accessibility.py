"""axe-core on every page of every role, at phone and desktop width.

The axe-core script ships inside axe-playwright-python and is injected from the installed
package: no network. A page fails on any serious or critical violation of WCAG 2.1 A and AA,
and, on a phone, on any sideways scroll.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.pages import OVERFLOWING, PAGES, World, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
PHONE = 360
WIDTHS = {"phone": {"width": PHONE, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {', '.join(node['target'])}" for node in v["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violations(
    page: Page, live_server, world: World, name: str, width: str
):
    page.set_viewport_size(WIDTHS[width])
    open_page(page, live_server.url, world, name)
    results = AXE.run(page, options=AXE_OPTIONS)

    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], f"{page.url}\n{describe(blocking)}"
    if width == "phone":
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        overflowing = page.evaluate(OVERFLOWING, PHONE) if scroll_width > PHONE else []
        assert scroll_width <= PHONE, f"{page.url} is {scroll_width} px wide: {overflowing}"
