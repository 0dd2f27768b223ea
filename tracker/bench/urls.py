"""The project's URLs plus a bare view, mounted only while `manage.py bench` runs (through
override_settings), so the pages are timed against a view that does nothing but pass through
the same middleware. The project's own URLs are not changed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

BARE_PATH = "/bench/bare/"


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(BARE_PATH.strip("/") + "/", bare, name="bench_bare"),
    path("", include("rehab.urls")),
]
