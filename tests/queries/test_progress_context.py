"""The progress builder takes who is looking and the range it shows (no request): the
report's 12 weeks by default, another range when the page asks for it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_active_plan
from tracker.queries.progress import progress_context
from tracker.rules.progress import monday

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("range_key", "weeks"), [("4", 4), ("12", 12), ("nonsense", 12)])
def test_progress_context_shows_the_weeks_of_the_range(physio, patient, range_key, weeks):
    make_active_plan(patient)

    context = progress_context(patient, viewer=physio, range_key=range_key)

    assert len(context["progress"].weeks) == weeks
    assert context["page_url"] == f"/patients/{patient.pk}/progress/"


def test_progress_context_for_the_patient_names_their_own_page(patient):
    context = progress_context(patient, viewer=patient)

    assert (context["page_url"], context["progress"].range_key) == ("/progress/", "12")


@pytest.mark.parametrize(("query", "weeks"), [("", 12), ("?range=4", 4)])
def test_report_covers_12_weeks_unless_asked_for_another_range(
    physio_client, patient, query, weeks
):
    make_active_plan(patient)

    response = physio_client.get(f"/patients/{patient.pk}/report/{query}")

    this_monday = monday(timezone.localdate())
    assert response.context["period_start"] == this_monday - dt.timedelta(weeks=weeks - 1)
    assert response.wsgi_request.GET.get("range") == ("4" if query else None)  # left as sent
