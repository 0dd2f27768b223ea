"""The private calendar address: the token is the only key, so no sign-in (a phone's calendar
fetches it on its own), and no shared cache may keep a copy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from tracker.access import calendar_feed_for
from tracker.integrations.calendar.feed import build
from tracker.models import Reminder


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = calendar_feed_for(token)
    reminder = Reminder.objects.filter(patient=feed.patient).first()
    response = HttpResponse(
        build(feed.patient, reminder=reminder), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="rehab-plan.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response
