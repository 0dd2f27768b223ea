"""Addresses of this integration: the progress report as a PDF, for the care team to send to
the referring physician."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from tracker.access import clinician_required, disclosed, patient_for
from tracker.integrations.pdf.document import file_name
from tracker.integrations.pdf.render import pdf_of
from tracker.models import AuditAction
from tracker.queries.report import report_context

# What the audit trail says was handed out, and the patient's "Your data" page shows.
WHAT = "progress report, PDF"


@require_GET
@clinician_required
def report_pdf(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The report page (clinician/report.html) as an A4 PDF, over the same weeks (`range`)."""
    patient = patient_for(request.user, patient_id)
    context = report_context(patient, viewer=request.user, range_key=request.GET.get("range", "12"))
    pdf = pdf_of(render_to_string("tracker/pdf/report.html", context))
    disclosed(request.user, patient, what=WHAT, action=AuditAction.EXPORT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=file_name(patient, on=context["today"])
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


urlpatterns = [
    path("patients/<int:patient_id>/report.pdf", report_pdf, name="patient_report_pdf"),
]
