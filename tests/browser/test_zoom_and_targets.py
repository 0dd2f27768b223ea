"""Every page for weak hands and blurred eyes: on a 360 px phone every bit of text is 16 px or
more and every control a 44 px target; at 200% zoom, and with the phone's text made twice as
large, nothing makes the page scroll sideways and the targets stay 44 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.pages import APP_PAGES, OVERFLOWING, World, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# A 1280 px wide window at 200% zoom lays out as 640 CSS pixels.
DESKTOP_AT_200 = {"width": 640, "height": 450}
MIN_TEXT_PX = 16
MIN_TARGET_PX = 44

# Text a person can see (not the visually hidden words for screen readers, nor chart
# drawings, which tests/browser/test_chart_legibility.py measures) below the size.
SMALL_TEXT = """(least) => {
  const hidden = (el) => el.closest('.visually-hidden, .skip-link, svg, script, style, noscript');
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || hidden(el) || !el.checkVisibility()) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < least - 0.05) found.push(`${size}px: ${node.textContent.trim().slice(0, 40)}`);
  }
  return [...new Set(found)];
}"""

# Controls smaller than the target size. A check box or radio button counts by its label,
# which is what a finger hits; a link inside a sentence is exempt, as in WCAG 2.5.5.
SMALL_TARGETS = """(least) => {
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const inSentence = (el) => el.tagName === 'A' && getComputedStyle(el).display === 'inline'
    && [...el.parentElement.childNodes].some((c) => c !== el && c.textContent.trim());
  const found = [];
  for (const el of document.querySelectorAll(controls)) {
    const box = el.matches('[type=checkbox], [type=radio]') ? (el.closest('label') || el) : el;
    if (el.closest('.visually-hidden') || !box.checkVisibility() || inSentence(el)) continue;
    if (el.matches('.skip-link')) continue;  // off screen until focused, then 44 px high
    const r = box.getBoundingClientRect();
    if (r.width < least - 0.5 || r.height < least - 0.5) {
      const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
      found.push(`${el.tagName.toLowerCase()} ${size}: ${(el.textContent || el.name).trim()}`);
    }
  }
  return found;
}"""


def sideways(page: Page, width: int) -> list[str]:
    if page.evaluate("document.documentElement.scrollWidth") <= width:
        return []
    return page.evaluate(OVERFLOWING, width) or ["the page itself"]


@pytest.mark.parametrize("name", APP_PAGES)
def test_page_is_legible_and_easy_to_hit_on_a_phone_and_zoomed(
    page: Page, live_server, world: World, name: str
):
    page.set_viewport_size(PHONE)
    open_page(page, live_server.url, world, name)

    assert page.evaluate(SMALL_TEXT, MIN_TEXT_PX) == [], "text under 16 px at 360 px"
    assert page.evaluate(SMALL_TARGETS, MIN_TARGET_PX) == [], "targets under 44 px at 360 px"

    # The phone's text made twice as large (the browser's text-size setting).
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert sideways(page, PHONE["width"]) == [], "sideways scroll at 360 px with 200% text"
    page.evaluate("document.documentElement.style.fontSize = ''")

    # A desktop window at 200% zoom.
    page.set_viewport_size(DESKTOP_AT_200)
    assert sideways(page, DESKTOP_AT_200["width"]) == [], "sideways scroll at 200% zoom"
    assert page.evaluate(SMALL_TARGETS, MIN_TARGET_PX) == [], "targets under 44 px zoomed"
