"""Closing an account, under "Your data": the confirm step and the request, and withdrawing
it until the clinic has done it. The admin completes it in Django's admin
(tracker/admin/closing.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from tracker.access import patient_required
from tracker.domain.closing import request_closure, withdraw_closure
from tracker.forms.closing import ClosingForm
from tracker.models import AccountClosure


@require_http_methods(["GET", "POST"])
@patient_required
def close_account(request: HttpRequest) -> HttpResponse:
    closure = AccountClosure.objects.filter(patient=request.user).first()
    if closure is not None:
        # Asked already (this form sent twice, or a second tab): the request stands as it was.
        if request.method == "POST":
            return redirect("close_account")
        return render(request, "tracker/patient/closing.html", {"closure": closure})
    form = ClosingForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        request_closure(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "Your request is sent. The clinic will close your account.")
        return redirect("close_account")
    return render(request, "tracker/patient/closing.html", {"form": form})


@require_POST
@patient_required
def withdraw(request: HttpRequest) -> HttpResponse:
    if withdraw_closure(by=request.user):
        messages.success(request, "Your request is withdrawn. Your account stays open.")
    return redirect("my_data")


urlpatterns = [
    path("my-data/close/", close_account, name="close_account"),
    path("my-data/close/withdraw/", withdraw, name="close_account_withdraw"),
]
