"""Pages for patients: their own record only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.access import patient_required
from tracker.models import PatientProfile


@require_GET
@patient_required
def home(request: HttpRequest) -> HttpResponse:
    profile = PatientProfile.objects.filter(user=request.user).prefetch_related("care_team").first()
    return render(request, "tracker/patient/home.html", {"profile": profile})
