"""A clinician's notification choices: how they hear of each alert kind but danger signs, and
the weekly caseload digest."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from tracker.access import clinician_required
from tracker.domain.notices import save_notice_choices
from tracker.forms.notices import NoticeChoicesForm
from tracker.notifications.notices import DEFAULT_DELIVERY, deliveries, weekly_digest_on


@require_http_methods(["GET", "POST"])
@clinician_required
def notices(request: HttpRequest) -> HttpResponse:
    form = NoticeChoicesForm(
        request.POST if request.method == "POST" else None,  # an empty POST is refused too
        initial_delivery=deliveries(request.user),
        weekly=weekly_digest_on(request.user),
    )
    if request.method == "POST" and form.is_valid():
        changed = save_notice_choices(
            by=request.user, delivery=form.delivery(), weekly=form.cleaned_data["weekly"]
        )
        messages.success(
            request,
            "Notification choices saved." if changed else "Nothing changed: kept as it was.",
        )
        return redirect("notices")
    return render(
        request,
        "tracker/clinician/notices.html",
        {"form": form, "default": DEFAULT_DELIVERY.label},
    )


urlpatterns = [
    path("notifications/", notices, name="notices"),
]
