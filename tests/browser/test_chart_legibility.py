"""Chart text a patient with blurred vision can read, on a phone and on a desktop.

Chromium measures the text as drawn: every label at 16 CSS px or more (and not oversized on a
desktop), none on top of another, none cut off at the chart's edge, and no sideways scroll.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in
from tests.factories import (
    ClearanceFactory,
    PhysiotherapistFactory,
    PlanFactory,
    PrescriptionFactory,
    SessionLogFactory,
    make_patient,
)
from tracker.models import Measurement, MeasurementKind, PlanStatus, Site, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {360: "narrow", 1280: "wide"}
SMALLEST, LARGEST = 16, 22  # CSS px

# Each shown chart with the box of every text in it, in CSS px, and its font size in CSS px:
# the font size in user units times the scale the SVG is drawn at.
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .map((svg) => {
    const box = svg.getBoundingClientRect();
    const view = svg.viewBox.baseVal;
    const scale = Math.min(box.width / view.width, box.height / view.height);
    const rect = (r) => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
    return {
      title: svg.querySelector('title').id,
      labelledBy: svg.getAttribute('aria-labelledby').split(' ')
        .map((id) => [id, document.getElementById(id) !== null]),
      box: rect(box),
      texts: [...svg.querySelectorAll('text')].map((t) => ({
        text: t.textContent,
        px: parseFloat(getComputedStyle(t).fontSize) * scale,
        height: t.getBoundingClientRect().height,
        ...rect(t.getBoundingClientRect()),
      })),
    };
  })"""


@pytest.fixture
def patient() -> User:
    """A patient twelve weeks into a plan, some weeks past the 150-minute goal, with limb
    measurements: every chart of the progress page drawn, with labels near the goal line."""
    today = timezone.localdate()
    physio = PhysiotherapistFactory(username="physio")
    patient = make_patient(care_team=[physio], user__username="patient")
    clearance = ClearanceFactory(
        patient=patient, recorded_by=physio, cleared_on=today - dt.timedelta(weeks=13)
    )
    plan = PlanFactory(
        clearance=clearance,
        status=PlanStatus.ACTIVE,
        starts_on=today - dt.timedelta(weeks=12),
        created_by=physio,
    )
    PrescriptionFactory(plan=plan, start_minutes=20, max_minutes=45)
    for weeks_ago, (sessions, minutes, pain) in enumerate(
        [(3, 55, 1), (4, 40, 2), (2, 30, 3), (3, 25, 1), (0, 0, 0), (3, 20, 4)] * 2
    ):
        for day in range(sessions):
            SessionLogFactory(
                plan=plan,
                date=today - dt.timedelta(weeks=weeks_ago, days=day),
                minutes=minutes,
                pain_after=pain,
            )
    for weeks_ago, affected in [(12, "31.0"), (8, "32.0"), (4, "33.1"), (0, "34.2")]:
        Measurement.objects.create(
            patient=patient,
            kind=MeasurementKind.CIRCUMFERENCE,
            measured_on=today - dt.timedelta(weeks=weeks_ago),
            site=Site.CALF,
            affected_cm=Decimal(affected),
            unaffected_cm=Decimal("35.0"),
            recorded_by=physio,
        )
    return patient


def overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    )


def inside(text: dict, box: dict) -> bool:
    return (
        text["left"] >= box["left"] - 0.5
        and text["top"] >= box["top"] - 0.5
        and text["right"] <= box["right"] + 0.5
        and text["bottom"] <= box["bottom"] + 0.5
    )


# Page id: (who signs in, the path, the ids of the charts on it).
PAGES = {
    "patient-progress": (
        "patient",
        lambda p: "/progress/",
        ["minutes", "adherence", "effort", "gap"],
    ),
    "physio-report": ("physio", lambda p: f"/patients/{p.pk}/report/", ["minutes"]),
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_chart_text_is_legible_apart_and_inside_its_chart(
    page: Page, live_server, patient: User, name: str, width: int
):
    who, path, chart_ids = PAGES[name]
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, who)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(f"{live_server.url}{path(patient)}")
    charts = page.evaluate(CHART_TEXT)

    # One variant of each chart shows, the one drawn for this width.
    assert [c["title"] for c in charts] == [f"{i}-{WIDTHS[width]}-title" for i in chart_ids]
    for chart in charts:
        assert all(found for _, found in chart["labelledBy"]), chart["labelledBy"]
        texts = chart["texts"]
        assert len(texts) >= 4
        small = [(t["text"], t["height"], t["px"]) for t in texts if t["height"] < SMALLEST]
        assert small == [], f"{chart['title']}: drawn under {SMALLEST} px"
        sizes = [round(t["px"], 1) for t in texts]
        assert min(sizes) >= SMALLEST and max(sizes) <= LARGEST, f"{chart['title']}: {sizes}"
        pairs = itertools.combinations(texts, 2)
        overlapping = [(a["text"], b["text"]) for a, b in pairs if overlap(a, b)]
        assert overlapping == [], chart["title"]
        cut_off = [t["text"] for t in texts if not inside(t, chart["box"])]
        assert cut_off == [], chart["title"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
