"""Expired and idle sign-ins: a form sent after the sign-in ran out signs in back to the page
it was sent from (as a whole page for htmx), and each request restarts the idle spell set at
sign-in."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from tracker.accounts.signals import IDLE_SPELL, LAST_SEEN
from tracker.views.danger import PENDING
from tracker.views.htmx import sent_by_htmx


class ExpiredSignInMiddleware:
    """A form sent after the sign-in expired is sent to sign in, and from there back to the
    page the person was on: the address the form went to may answer only POST (a "mark as
    read" button), where signing in would end on an empty error page. An htmx request would
    swap the sign-in page into a region, so the browser goes there as a whole page instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        login_url = resolve_url(settings.LOGIN_URL)
        if response.status_code != 302 or not response["Location"].startswith(login_url):
            return response
        # Only a page's sign-in check names where to go next; signing out does not.
        asked = REDIRECT_FIELD_NAME + "=" in response["Location"]
        # Danger signs sent signed out go on to the danger page, which says they were filed.
        kept_signs = PENDING in request.session
        back_to = (
            _page_sent_from(request)
            if asked and request.method != "GET" and not kept_signs
            else None
        )
        if back_to is not None:
            query = urlencode({REDIRECT_FIELD_NAME: back_to}, safe="/")
            response["Location"] = f"{login_url}?{query}"
        if sent_by_htmx(request):
            return HttpResponseClientRedirect(response["Location"])
        return response


def _page_sent_from(request: HttpRequest) -> str | None:
    """The path of the page a form was sent from, if it is one of ours (browsers send it to
    the same site); None when there is none to go back to."""
    referer = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    path = urlsplit(referer).path
    return path if path and path != resolve_url(settings.LOGIN_URL) else None


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


class TwoFactorMiddleware:
    """A signed-in person who must give a second factor (staff always, a patient who set one
    up) and has not yet in this sign-in is sent to type the code, or to set up the app if they
    have none, and from there back to where they were going (`next`). Every page is covered,
    Django's admin included, except those needed to get there: signing in and out, the
    two-factor pages, password reset, an invitation's pages and static files. An htmx request
    goes there as a whole page. After OTPMiddleware, which tells whether the sign-in is
    verified."""

    EXEMPT_NAMES = frozenset(
        {
            "login",
            "logout",
            "password_reset",
            "password_reset_done",
            "password_reset_confirm",
            "password_reset_complete",
            "two_factor_setup",
            "two_factor_verify",
            "two_factor_recovery_codes",
        }
    )
    EXEMPT_PREFIXES = ("/invitation/",)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        from tracker.accounts import two_factor

        if not request.user.is_authenticated or self._exempt(request):
            return None
        target = two_factor.still_to_give(request)
        if target is None:
            return None
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()}, safe="/")
        location = f"{resolve_url(target)}?{query}"
        if sent_by_htmx(request):
            return HttpResponseClientRedirect(location)
        return HttpResponseRedirect(location)

    def _exempt(self, request: HttpRequest) -> bool:
        match = request.resolver_match
        if match is not None and match.url_name in self.EXEMPT_NAMES and not match.namespace:
            return True
        return request.path.startswith((*self.EXEMPT_PREFIXES, settings.STATIC_URL))
