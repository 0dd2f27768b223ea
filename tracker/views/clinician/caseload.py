"""Pages for physiotherapists (and admins, who may open every record)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.access import clinician_required, patients_visible_to


@require_GET
@clinician_required
def caseload(request: HttpRequest) -> HttpResponse:
    patients = (
        patients_visible_to(request.user)
        .select_related("profile")
        .order_by("last_name", "first_name")
    )
    return render(request, "tracker/clinician/caseload.html", {"patients": patients})
