"""Headers on every response: the Permissions-Policy, Cache-Control: private, no-store
on everything sent to a signed-in person, and what the offline app's worker is told."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from tracker.accounts.middleware import on_sign_in_page
from tracker.domain import audit
from tracker.offline import account_key, may_keep_copy


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


class OfflineAppMiddleware:
    """Tells the service worker what it may keep. Every answer to a signed-in person names the
    account (`Offline-Account`, an opaque key), so the worker wipes the pages another account
    left; a patient's own offline pages say `Offline-Copy: keep`. The page's script finds the
    same key on request.offline_account, for the queue. Signing out answers with
    Clear-Site-Data, so the browser drops the queue, the kept pages and the worker itself."""

    CLEAR = '"cache", "storage"'

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        key = account_key(user) if user.is_authenticated else ""
        request.offline_account = key if key and user.is_patient else ""
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "logout" and request.method == "POST":
            response["Clear-Site-Data"] = self.CLEAR
        elif key:
            response["Offline-Account"] = key
            if may_keep_copy(request, response):
                response["Offline-Copy"] = "keep"
        return response


class AuditContextMiddleware:
    """Audit rows written while answering a request name its page and where it came from."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.from_request(request):
            return self.get_response(request)
