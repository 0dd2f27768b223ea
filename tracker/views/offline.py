"""The installable app: its manifest, the service worker at the root scope, and what the
offline queue asks the server (a fresh CSRF token)."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.templatetags.static import static
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tracker.offline import OFFLINE_PAGES

THEME = "#0f5e5a"  # --pico-primary in app.css: the header's colour
BACKGROUND = "#ffffff"

WORKER = Path(__file__).resolve().parent.parent / "static" / "tracker" / "sw.js"

# Kept for offline use on install; other static files are kept as they are first fetched.
ASSETS = (
    "vendor/pico/pico.min.css",
    "tracker/app.css",
    "tracker/offline.css",
    "tracker/icon.svg",
    "tracker/keys.js",
    "tracker/once.js",
    "tracker/limits.js",
    "tracker/log_form.js",
    "tracker/queue_store.js",
    "tracker/queue.js",
    "tracker/offline.js",
    "tracker/icons/icon-192.png",
)


def _htmx_url() -> str:
    """Where {% htmx_script %} loads htmx from, so the worker keeps the same file."""
    tag = Template("{% load django_htmx %}{% htmx_script %}").render(Context())
    return re.search(r'src="([^"]+)"', tag).group(1)


def _contents(names) -> str:
    """What the kept static files hold, so that a changed file (unhashed while DEBUG) gives
    a new version too."""
    digest = hashlib.sha256()
    for name in names:
        if found := finders.find(name):
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()


@cache
def _worker_source(emergency: str) -> str:
    """The worker's script with the addresses it needs. Its version changes with any of them,
    so a new release replaces the worker and its kept static files."""
    assets = [static(name) for name in ASSETS] + [_htmx_url()]
    config = {
        "assets": assets,
        "pages": [str(page) for page in OFFLINE_PAGES.values()],
        "emergency": emergency,
    }
    body = WORKER.read_text(encoding="utf-8")
    seen = json.dumps(config) + body + _contents(ASSETS)
    version = hashlib.sha256(seen.encode()).hexdigest()[:12]
    return f"const CONFIG = {json.dumps({**config, 'version': version})};\n{body}"


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    source = (_worker_source.__wrapped__ if settings.DEBUG else _worker_source)(
        settings.EMERGENCY_NUMBER
    )
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on each visit rather than trusting a kept copy.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    icons = [
        {"src": static("tracker/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("tracker/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("tracker/icons/icon-maskable-192.png"),
            "sizes": "192x192",
            "type": "image/png",
            "purpose": "maskable",
        },
        {
            "src": static("tracker/icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "name": "Rehab tracker",
        "short_name": "Rehab",
        "description": "Log your exercise sessions and follow your recovery plan.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "lang": "en-GB",
        "icons": icons,
    }
    return HttpResponse(json.dumps(body, indent=1), content_type="application/manifest+json")


@require_GET
@login_required
@never_cache
def token(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token for sending what was kept offline. Signed-in only: after an expired
    sign-in the queue hears "sign in" (the sign-in page) and keeps its entries."""
    return JsonResponse({"csrf_token": get_token(request)})


urlpatterns = [
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("offline/token/", token, name="offline_token"),
]
