"""What the service worker may keep for offline use, and for whom. Only a signed-in patient's
own Today, My plan, log form and danger-sign page are kept, in a cache named for the account
(an opaque key, not the account's id), so that no page of another account is ever served."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.utils.crypto import salted_hmac

OFFLINE_PAGES = {
    name: reverse_lazy(name) for name in ("patient_home", "my_plan", "log_session", "report_danger")
}


def account_key(user) -> str:
    """The name of this account's offline cache and queue; meaningless to anyone else."""
    return salted_hmac("tracker.offline.account", str(user.pk), algorithm="sha256").hexdigest()[:24]


def may_keep_copy(request: HttpRequest, response: HttpResponse) -> bool:
    """A whole page of the patient's own, shown as it is to them today."""
    match = getattr(request, "resolver_match", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and match is not None
        and match.url_name in OFFLINE_PAGES
        and request.user.is_authenticated
        and request.user.is_patient
        and not request.headers.get("HX-Request")
        and response.get("Content-Type", "").startswith("text/html")
    )
