"""A patient's own data: who has looked at it, and all of it to download."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker import audit
from tracker.access import patient_required
from tracker.export import TABLES, patient_data
from tracker.models import AuditAction, AuditEvent


@require_GET
@patient_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Who has read, changed or downloaded my record, newest first; and my downloads."""
    events = (
        AuditEvent.objects.filter(patient=request.user)
        .exclude(actor=request.user)
        .order_by("-at", "-pk")
    )
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(request, "tracker/patient/my_data.html", {"page": page, "tables": TABLES})


@require_GET
@patient_required
def export(request: HttpRequest, fmt: str, table: str = "") -> HttpResponse:
    data = patient_data(request.user)
    stamp = timezone.localdate().isoformat()
    if fmt == "json" and not table:
        audit.record(
            request, patient=request.user, action=AuditAction.EXPORT, what="all data, JSON"
        )
        response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
        response["Content-Disposition"] = f'attachment; filename="my-rehab-data-{stamp}.json"'
        return response
    if fmt != "csv" or table not in TABLES:
        raise Http404("No such download.")
    audit.record(request, patient=request.user, action=AuditAction.EXPORT, what=f"{table}, CSV")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-{table}-{stamp}.csv"'
    rows = data[table]
    writer = csv.writer(response)
    if rows:
        writer.writerow(rows[0].keys())
        for row in rows:
            # A leading = + - @ would be run as a formula by spreadsheets: quote it as text.
            writer.writerow(
                "'" + value if isinstance(value, str) and value[:1] in "=+-@" else value
                for value in row.values()
            )
    return response
