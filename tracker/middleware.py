"""Headers on every response: the Permissions-Policy, and Cache-Control: private, no-store
on everything sent to a signed-in person."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from tracker.accounts.middleware import on_sign_in_page
from tracker.domain import audit


class PermissionsPolicyMiddleware:
    """Nothing in the app needs a camera, microphone, location or payments: tell the browser to
    refuse them to every page, so injected content cannot ask a patient for them either."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response


class NoStoreMiddleware:
    """Whatever a signed-in person is sent may hold health data (pages, htmx fragments,
    exports, the clearance letter): no shared cache may keep it, nor the browser, so Back on a
    shared computer after signing out shows nothing and asks the server again. The sign-in
    page is included: after an expiry it can show the danger signs waiting to be sent. Static
    files are served before this middleware is reached and keep their long cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated  # before the view: signing out counts too
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated or on_sign_in_page(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


class AuditContextMiddleware:
    """Audit rows written while answering a request name its page and where it came from."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.from_request(request):
            return self.get_response(request)
