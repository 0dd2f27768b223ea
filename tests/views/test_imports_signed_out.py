"""The review page's danger question when the sign-in was lost before Save: the signs still
reach the care team, and after signing in the patient is told so, as on the log form."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, make_active_plan
from tests.views.test_imports import send, walk
from tracker.models import DangerReport, ImportedFile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(patient):
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(days=10)
    plan.save()
    return plan


def fresh_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_danger_sent_from_the_review_after_cookies_were_deleted_is_confirmed_after_sign_in(
    patient_client,
    plan,
    patient,
):
    send(patient_client, walk())
    imported = ImportedFile.objects.get()
    review = f"/import/{imported.pk}/"
    gone = Client(enforce_csrf_checks=True)  # the cookies were deleted: no session, no token
    answers = {
        "csrfmiddlewaretoken": "old" * 16,
        "request_key": str(uuid.uuid4()),
        "activity": str(imported.activity_id),
        "effort": "12",
        "pain_before": "1",
        "pain_after": "2",
        "danger_signs": ["slurred_speech"],
        "notes": "Tight chest on the hill",
    }

    refused = gone.post(review, answers, HTTP_REFERER=f"http://testserver{review}")
    assert refused.status_code == 403
    assert "nothing was recorded" in refused.text
    resend = {
        "csrfmiddlewaretoken": fresh_token(refused.text),
        "request_key": answers["request_key"],
        "danger_signs": ["slurred_speech"],
        "notes": answers["notes"],
    }
    to_sign_in = gone.post("/report-danger/", resend, HTTP_REFERER=f"http://testserver{review}")
    assert to_sign_in.status_code == 302
    sign_in_page = gone.get(to_sign_in["Location"])
    form = {
        "csrfmiddlewaretoken": fresh_token(sign_in_page.text),
        "username": patient.username,
        "password": PASSWORD,
    }
    next_field = re.search(r'name="next" value="([^"]*)"', sign_in_page.text)
    if next_field:
        form["next"] = next_field.group(1)
    landed = gone.post(to_sign_in["Location"], form, follow=True)

    assert DangerReport.objects.count() == 1
    assert "Your care team has been alerted" in landed.text
    assert landed.templates[0].name == "tracker/patient/urgent.html"
    # Shown once, and the file still waits for its answers.
    assert gone.get(review).templates[0].name == "tracker/imports/review.html"
    assert ImportedFile.objects.filter(session__isnull=True).count() == 1
