"""A patient's own data: who has looked at it, and all of it to download."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker.access import disclosed, patient_required
from tracker.models import AccountClosure, AuditAction, Measurement
from tracker.queries.export import (
    COLUMNS,
    TABLE_NAMES,
    TABLES,
    access_events,
    alerts,
    csv_cell,
    danger_reports,
    json_data,
    patient_data,
)


@require_GET
@patient_required
def my_data(request: HttpRequest) -> HttpResponse:
    """My danger reports, the alerts my care team saw and how they handled them, notes on my
    measurements, who has read, changed or downloaded my record (newest first); my downloads."""
    page = Paginator(access_events(request.user), 25).get_page(request.GET.get("page"))
    notes = (
        Measurement.objects.filter(patient=request.user)
        .exclude(notes="")
        .select_related("recorded_by")
        .order_by("-measured_on", "-pk")
    )
    context = {
        "page": page,
        "tables": [(table, TABLE_NAMES[table]) for table in TABLES],
        "danger_reports": list(danger_reports(request.user).order_by("-reported_at", "-pk")),
        "alerts": list(alerts(request.user).order_by("-opened_at", "-pk")),
        "measurement_notes": list(notes),
        "closure": AccountClosure.objects.filter(patient=request.user).first(),
    }
    return render(request, "tracker/patient/my_data.html", context)


@require_GET
@patient_required
def export(request: HttpRequest, fmt: str, table: str = "") -> HttpResponse:
    data = patient_data(request.user)
    stamp = timezone.localdate().isoformat()
    if fmt == "json" and not table:
        disclosed(request.user, request.user, what="all data, JSON", action=AuditAction.EXPORT)
        response = JsonResponse(
            json_data(data), json_dumps_params={"indent": 2, "ensure_ascii": False}
        )
        response["Content-Disposition"] = f'attachment; filename="my-rehab-data-{stamp}.json"'
        return response
    if fmt != "csv" or table not in TABLES:
        raise Http404("No such download.")
    disclosed(request.user, request.user, what=f"{table}, CSV", action=AuditAction.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-{table}-{stamp}.csv"'
    # The header even when there are no rows: a spreadsheet opens an empty table, not nothing.
    writer = csv.DictWriter(response, fieldnames=COLUMNS[table])
    writer.writeheader()
    for row in data[table]:
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
    return response
