"""Two-factor sign-in: setting up the authenticator app, the code at each sign-in, and the
recovery codes shown once. TwoFactorMiddleware sends people here, with `next`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from tracker.accounts import two_factor
from tracker.forms.two_factor import CodeForm


def _next(request: HttpRequest) -> str:
    """Where the person was going, if it is one of our pages; else their home."""
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url("home")


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), then type a code from the app to confirm it.
    Only for someone with no device yet: with one, a new app could be added by whoever knew
    only the password, so they are sent to type their code instead."""
    user = request.user
    if two_factor.has_device(user):
        # Sent twice (a double tap): the codes made by the first are still to be shown.
        shown_next = two_factor.NEW_RECOVERY_CODES in request.session and user.is_verified()
        target = "two_factor_recovery_codes" if shown_next else "two_factor_verify"
        return redirect(_with_next(target, request))
    device = two_factor.pending_app(user)
    form = CodeForm(request.POST or None, user=user, setting_up=device)
    if request.method == "POST" and form.is_valid():
        request.session[two_factor.NEW_RECOVERY_CODES] = two_factor.confirm_app(
            request=request, device=device
        )
        return redirect(_with_next("two_factor_recovery_codes", request))
    return render(
        request,
        "tracker/two_factor/setup.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device),
            "app_link": device.config_url,
            "secret": two_factor.secret_in_text(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": _next(request),
            "required": two_factor.required_for(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The code page: the 6 digits from the app, or a recovery code instead."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not two_factor.has_device(user):
        return redirect(_with_next("two_factor_setup", request))
    form = CodeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        two_factor.verified(request, form.device)
        if two_factor.is_recovery(form.device):
            left = two_factor.recovery_codes_left(user)
            messages.warning(
                request,
                f"Recovery code used: {left or 'none'} left. If you have lost your phone, ask "
                "an admin to reset your two-factor sign-in, so that you can set up your new phone.",
            )
        return redirect(_next(request))
    return render(
        request,
        "tracker/two_factor/verify.html",
        {"form": form, "next": _next(request)},
    )


@login_required
@require_GET
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, once: read from the session and gone from it."""
    codes = request.session.pop(two_factor.NEW_RECOVERY_CODES, None)
    return render(
        request,
        "tracker/two_factor/recovery_codes.html",
        {
            "codes": codes,
            "left": None if codes else two_factor.recovery_codes_left(request.user),
            "next": _next(request),
        },
    )


def _with_next(name: str, request: HttpRequest) -> str:
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    url = resolve_url(name)
    if not wanted:
        return url
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: wanted}, safe='/')}"


urlpatterns = [
    path("account/two-factor/", verify, name="two_factor_verify"),
    path("account/two-factor/setup/", setup, name="two_factor_setup"),
    path("account/two-factor/recovery-codes/", recovery_codes, name="two_factor_recovery_codes"),
]
