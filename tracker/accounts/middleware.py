"""Expired and idle sign-ins: an htmx request whose sign-in has run out is sent to the
sign-in page as a whole page, and each request restarts the idle spell set at sign-in."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

from tracker.accounts.signals import IDLE_SPELL, LAST_SEEN
from tracker.views.danger import PENDING
from tracker.views.htmx import sent_by_htmx


class HtmxSignInRedirectMiddleware:
    """A session that expired mid-page: an htmx request would swap the sign-in page into a
    region. Send the browser to sign in as a whole page instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            sent_by_htmx(request)
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response


class IdleSessionMiddleware:
    """Keep an active session alive: when a quarter of its idle spell has passed since the
    session was last saved, save it again, which restarts the spell. A session left alone for
    the whole spell expires. Reads only the session, so it costs no query of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        spell = session.get(IDLE_SPELL) if session is not None else None
        if spell:
            now = int(time.time())
            if now - session.get(LAST_SEEN, 0) > spell // 4:
                session[LAST_SEEN] = now  # modified: the session middleware saves it
        return response


def on_sign_in_page(request: HttpRequest) -> bool:
    """The sign-in page, or any page while danger signs sent signed out wait to be filed."""
    return request.path == resolve_url(settings.LOGIN_URL) or PENDING in request.session
