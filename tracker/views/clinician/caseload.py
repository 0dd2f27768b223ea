"""The caseload: who needs the physiotherapist today."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker.access import clinician_required, patients_visible_to
from tracker.forms.filters import CaseloadFilter
from tracker.queries.caseload import build_rows, filter_caseload, sorted_caseload
from tracker.rules.thresholds import SILENCE_DAYS
from tracker.views.htmx import render_region

PAGE_SIZE = 25


@require_GET
@clinician_required
def caseload(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = CaseloadFilter(request.GET or None)
    patients = sorted_caseload(patients_visible_to(request.user), today=today)
    if filters.is_valid():
        activity = filters.cleaned_data["activity"]
        patients = filter_caseload(
            patients,
            search=filters.cleaned_data["q"],
            show=filters.cleaned_data["show"],
            activity_id=activity.pk if activity else None,
        )
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_region(
        request,
        "tracker/clinician/caseload.html",
        "results",
        {
            "page": page,
            "rows": build_rows(list(page.object_list), today=today),
            "filters": filters,
            "announce": f"{page.paginator.count} patient{pluralize(page.paginator.count)} shown.",
            "silent_days": SILENCE_DAYS,
        },
    )
