"""A paused plan is not this week's to-do: Today and My plan show what it prescribes only as
"When the plan resumes", and say who or what paused it, as does the log page."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine

from tests.factories import ClearanceFactory, activity, make_active_plan
from tracker.domain.clearances import apply_new_clearance
from tracker.domain.plans import change_status
from tracker.models import PlanStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # a Wednesday
TODAY = NOW.date()


def text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def main_of(page: str) -> str:
    """The page's own content, without the site's header and footer."""
    return text(page[page.index("<main") : page.index("</main>")])


@time_machine.travel(NOW, tick=False)
def test_a_plan_paused_by_the_physio_is_not_this_weeks_to_do(patient_client, patient, physio):
    plan = make_active_plan(patient)
    change_status(
        plan=plan, to=PlanStatus.PAUSED, today=TODAY, by=physio, reason="Knee to be seen."
    )

    for url in ("/today/", "/plan/"):
        page = main_of(patient_client.get(url).text)
        assert "Rest until your physiotherapist resumes it" in page
        assert "this week" not in page.lower()
        assert "When the plan resumes: Walking, 3 sessions a week, 10 minutes each." in page

    log = text(patient_client.get("/log/").text)
    assert f"{physio.display_name} paused your plan on 2 December" in log


@time_machine.travel(NOW, tick=False)
def test_a_plan_paused_by_a_new_clearance_says_so_and_shows_no_empty_heading(
    patient_client, patient, physio
):
    make_active_plan(patient)
    clearance = ClearanceFactory(
        patient=patient, cleared_on=TODAY, recorded_by=physio, activities=[activity("Swimming")]
    )
    apply_new_clearance(clearance=clearance, by=physio)

    plan_page = patient_client.get("/plan/").text
    assert 'id="this-week"' not in plan_page
    assert "When the plan resumes" not in plan_page  # nothing it allows is left to resume

    log = text(patient_client.get("/log/").text)
    assert "paused by your physiotherapist" not in log
    assert "Your plan was paused on 2 December" in log
    assert "allows none of this plan's activities" in log
