"""Context every page's template gets: the emergency number, and the menus of the signed-in
person's role (tracker.access.ROLES)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from tracker.access import role_setup
from tracker.accounts import two_factor


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    items = []
    account_links = []
    # Before the two-factor code is given every menu item would lead back to the code page.
    # (A template rendered outside a request's middleware, as a test may, has nothing to owe.)
    pending = (
        user is not None
        and hasattr(user, "is_verified")
        and two_factor.still_to_give(request) is not None
    )
    if user is not None and user.is_authenticated and not pending:
        role = role_setup(user)
        current = request.resolver_match.url_name if request.resolver_match else None
        items = [
            {
                "label": label,
                "url": reverse(name),
                "current": name == current,
                "danger": name == "report_danger",
            }
            for label, name in role.navigation
        ]
        account_links = [
            {"label": label, "url": reverse(name)} for label, name in role.account_links
        ]
    return {
        "emergency_number": settings.EMERGENCY_NUMBER,
        "navigation": items,
        "account_links": account_links,
        "two_factor_pending": pending,
    }
