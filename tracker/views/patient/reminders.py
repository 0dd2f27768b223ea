"""Reminders and calendar: the patient's reminder e-mails (days and a time), the one-click
stop link in them (signed out), and the private calendar address of their plan."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tracker.access import patient_required, reminder_stop_patient
from tracker.domain.reminders import (
    new_calendar_feed,
    revoke_calendar_feed,
    save_reminder,
    stop_reminders,
)
from tracker.forms.reminders import ReminderForm
from tracker.integrations.calendar.views import calendar_feed
from tracker.models import CalendarFeed, Reminder
from tracker.rules.reminders import calendar_weekdays

PAGE = "tracker/patient/reminders.html"


def _addresses(feed: CalendarFeed | None) -> dict:
    if feed is None:
        return {}
    https = f"{settings.SITE_URL}{reverse('calendar_feed', args=[feed.token])}"
    return {"feed_url": https, "webcal_url": "webcal://" + https.split("://", 1)[1]}


@require_http_methods(["GET", "POST"])
@patient_required
def reminders(request: HttpRequest) -> HttpResponse:
    reminder = Reminder.objects.filter(patient=request.user).first()
    form = ReminderForm.for_reminder(reminder, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        save_reminder(by=request.user, is_on=data["is_on"], weekdays=form.bits, at=data["at"])
        messages.success(request, "Reminders saved." if data["is_on"] else "Reminders are off.")
        return redirect("reminders")
    feed = CalendarFeed.objects.filter(patient=request.user).first()
    # The calendar's wording follows the feed: reminder days only while reminders are on.
    on_days = reminder is not None and bool(
        calendar_weekdays(is_on=reminder.is_on, bits=reminder.weekdays)
    )
    return render(
        request, PAGE, {"form": form, "feed": feed, "on_days": on_days, **_addresses(feed)}
    )


@require_POST
@patient_required
def calendar_new(request: HttpRequest) -> HttpResponse:
    had_one = CalendarFeed.objects.filter(patient=request.user).exists()
    new_calendar_feed(by=request.user)
    messages.success(
        request,
        "Your new calendar address is below. The old one no longer works."
        if had_one
        else "Your calendar address is ready. Add it to your phone's calendar as shown below.",
    )
    # Not scrolled to #calendar: on a phone the confirmation at the top would be off screen.
    return redirect("reminders")


@require_http_methods(["GET", "POST"])
@patient_required
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    """A confirm page first (GET), then the address stops (POST)."""
    if request.method == "GET":
        if not CalendarFeed.objects.filter(patient=request.user).exists():
            return redirect("reminders")
        return render(request, "tracker/patient/reminders_calendar_stop.html")
    if revoke_calendar_feed(by=request.user):
        messages.success(request, "The calendar address no longer works. Nobody can open it now.")
    return redirect("reminders")


# A mail client's one-click unsubscribe (RFC 8058) is a POST with no CSRF token and no sign-in;
# the signed link is the only key, and all it can do is turn reminders off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, patient_id: int, token: str) -> HttpResponse:
    patient = reminder_stop_patient(patient_id, token)
    if patient is None:
        return render(request, "tracker/patient/reminders_stop.html", {"refused": True}, status=400)
    if request.method == "POST":
        stop_reminders(patient=patient)
        return render(request, "tracker/patient/reminders_stop.html", {"stopped": True})
    already_off = not Reminder.objects.filter(patient=patient, is_on=True).exists()
    return render(request, "tracker/patient/reminders_stop.html", {"already_off": already_off})


urlpatterns = [
    path("reminders/", reminders, name="reminders"),
    path("reminders/calendar/new/", calendar_new, name="calendar_new"),
    path("reminders/calendar/revoke/", calendar_revoke, name="calendar_revoke"),
    path("reminders/stop/<int:patient_id>/<str:token>/", stop, name="reminders_stop"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
