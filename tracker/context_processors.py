from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from tracker.models import Role

# (label, url name) per role: the header's navigation.
NAVIGATION: dict[str, list[tuple[str, str]]] = {
    Role.PATIENT: [
        ("Today", "patient_home"),
        ("Log", "log_session"),
        ("History", "history"),
        ("Progress", "progress"),
        ("Report a danger sign", "report_danger"),
    ],
    Role.PHYSIOTHERAPIST: [("Caseload", "caseload"), ("Alerts", "alert_queue")],
    Role.ADMIN: [("Overview", "admin_home"), ("Caseload", "caseload"), ("Alerts", "alert_queue")],
}


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        current = request.resolver_match.url_name if request.resolver_match else None
        items = [
            {
                "label": label,
                "url": reverse(name),
                "current": name == current,
                "danger": name == "report_danger",
            }
            for label, name in NAVIGATION.get(user.role, [])
        ]
    return {"emergency_number": settings.EMERGENCY_NUMBER, "navigation": items}
