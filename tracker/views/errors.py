"""Error pages Django's defaults do not cover. 403.html and 404.html are rendered by Django's
own handlers, with the request, so the site context processor gives them the emergency number.
The 500 page renders without the request (and so without the database), so a failing database
still gets a readable page; a stale form goes down the danger path."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from tracker.views.danger import stale_form


def server_error(request: HttpRequest) -> HttpResponse:
    context = {"emergency_number": settings.EMERGENCY_NUMBER}
    return HttpResponse(render_to_string("500.html", context), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale form: the danger path decides what comes first on it."""
    return stale_form(request, reason)
