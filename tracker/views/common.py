from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from tracker.models import Role

HOME_BY_ROLE = {
    Role.PATIENT: "patient_home",
    Role.PHYSIOTHERAPIST: "caseload",
    Role.ADMIN: "admin_home",
}


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(HOME_BY_ROLE[request.user.role])
