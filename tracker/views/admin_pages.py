"""The admin's overview: counts, and the way into Django's admin where the work happens."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.access import admin_required
from tracker.models import AccountClosure, Role, User


@require_GET
@admin_required
def overview(request: HttpRequest) -> HttpResponse:
    counts = User.objects.filter(is_active=True).aggregate(
        patients=Count("pk", distinct=True, filter=Q(role=Role.PATIENT)),
        physiotherapists=Count("pk", distinct=True, filter=Q(role=Role.PHYSIOTHERAPIST)),
        admins=Count("pk", distinct=True, filter=Q(role=Role.ADMIN)),
        patients_without_team=Count(
            "pk", distinct=True, filter=Q(role=Role.PATIENT, profile__care_team__isnull=True)
        ),
    )
    closures_waiting = AccountClosure.objects.filter(completed_at__isnull=True).count()
    return render(
        request,
        "tracker/admin/overview.html",
        {"counts": counts, "closures_waiting": closures_waiting},
    )
