"""The danger path at the edges: a report sent after the sign-in expired, or from a page whose
token went stale, still reaches the care team. Nothing is filed without a signed-in patient
and a valid token; until then the signs wait in the visitor's own session, and the emergency
number is the first thing on the screen."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from tracker.domain.logbook import report_danger
from tracker.forms import danger_signs_in
from tracker.models import DangerReport, DangerSign, User

PENDING = "pending_danger_report"  # signs sent while signed out, waiting for the sign-in
FILED = "filed_danger_report"  # a report just filed at sign-in, for the urgent screen


def request_key(post) -> uuid.UUID:
    """The form's key for saving once; a new one if it is missing or garbled, so the danger
    report and the session are saved under one key either way."""
    try:
        return uuid.UUID(post.get("request_key", "").strip())
    except ValueError:
        return uuid.uuid4()


def text(post, name: str) -> str:
    """Free text read straight from the request (the danger path cannot wait for the form):
    without NUL characters, which no database text column takes. Kept whole, however long:
    what a patient in danger wrote reaches the care team uncut."""
    return post.get(name, "").replace("\x00", "")


def sent_signs(request: HttpRequest) -> dict | None:
    """What a POST carried on the danger path: signs, notes and its key; None without signs."""
    if request.method != "POST":
        return None
    signs = danger_signs_in(request.POST)
    if not signs:
        return None
    return {
        "signs": signs,
        "notes": text(request.POST, "notes"),
        "request_key": str(request_key(request.POST)),
    }


def sign_labels(signs: list[str]) -> list[str]:
    return [DangerSign(code).label for code in signs if code in DangerSign.values]


def signed_out_keeps_signs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Before the sign-in check: a signed-out POST with danger signs keeps them in the
    visitor's session and goes to sign in, where the urgent box comes first."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated and (pending := sent_signs(request)):
            request.session[PENDING] = pending
            return redirect_to_login(
                reverse("report_danger"), redirect_field_name=REDIRECT_FIELD_NAME
            )
        return view(request, *args, **kwargs)

    return wrapped


def pending_for_sign_in(request: HttpRequest) -> dict | None:
    """The signs waiting for this visitor to sign in, as the sign-in page shows them."""
    pending = request.session.get(PENDING) if hasattr(request, "session") else None
    if not pending:
        return None
    return {**pending, "labels": sign_labels(pending["signs"])}


def file_pending_report(request: HttpRequest | None, user: User) -> None:
    """At sign-in: a patient's waiting signs are filed now, and the next page they see is the
    urgent screen. Someone who is not a patient files nothing; the signs are dropped."""
    if request is None or not hasattr(request, "session"):
        return
    pending = request.session.pop(PENDING, None)
    if not pending or not user.is_patient:
        return
    report = report_danger(
        patient=user,
        signs=[code for code in pending.get("signs", []) if code in DangerSign.values],
        notes=str(pending.get("notes", "")),
        request_key=request_key(pending),
    )
    request.session[FILED] = report.pk


def just_filed(request: HttpRequest) -> DangerReport | None:
    """The report filed at this sign-in, once: the urgent screen shows it."""
    pk = request.session.pop(FILED, None)
    if pk is None:
        return None
    return DangerReport.objects.filter(pk=pk, patient=request.user).first()


DANGER_PAGES = ("log_session", "report_danger", "import_review")


def _page_sent_from(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


def stale_form(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The token in the form no longer matches (signed in again elsewhere, or the page was
    open for long). The app's own page, and on the danger path the urgent box first with one
    button that sends the same signs again with a fresh token."""
    match = getattr(request, "resolver_match", None)
    on_danger_page = match is not None and match.url_name in DANGER_PAGES
    pending = sent_signs(request) if on_danger_page else None
    return render(
        request,
        "stale_form.html",
        {
            "pending": pending,
            "labels": sign_labels(pending["signs"]) if pending else [],
            "back": _page_sent_from(request),
        },
        status=403,
    )
