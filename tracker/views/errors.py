"""Error pages in the app's own style. The 500 page renders without the request (and so
without the database), so a failing database still gets a readable page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from tracker.views.danger import stale_form


def _render(request: HttpRequest | None, template: str, status: int) -> HttpResponse:
    context = {"emergency_number": settings.EMERGENCY_NUMBER}
    return HttpResponse(render_to_string(template, context, request=request), status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(None, "500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale form: the danger path decides what comes first on it."""
    return stale_form(request, reason)
