"""The FHIR Bundle as a download: the patient's own from Your data, a patient's from their
record for the care team. Who may have it is the access module's answer; each download is an
export in the audit trail."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from tracker.access import clinician_required, disclosed, patient_for, patient_required
from tracker.integrations.fhir.bundle import build_bundle, bundle_json
from tracker.integrations.fhir.records import patient_record
from tracker.models import AuditAction, User

WHAT = "record, FHIR"
CONTENT_TYPE = "application/fhir+json; charset=utf-8"


def _download(patient: User, *, filename: str) -> HttpResponse:
    now = timezone.now()
    bundle = build_bundle(patient_record(patient, today=timezone.localdate()), now=now)
    response = HttpResponse(bundle_json(bundle), content_type=CONTENT_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.fhir.json"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@patient_required
def my_fhir(request: HttpRequest) -> HttpResponse:
    patient = patient_for(request.user, request.user.pk)
    disclosed(request.user, patient, what=WHAT, action=AuditAction.EXPORT)
    return _download(patient, filename="my-rehab-record")


@require_GET
@clinician_required
def patient_fhir(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    disclosed(request.user, patient, what=WHAT, action=AuditAction.EXPORT)
    return _download(
        patient, filename=f"rehab-record-{slugify(patient.display_name) or patient.pk}"
    )


urlpatterns = [
    path("my-data/record.fhir.json", my_fhir, name="export_fhir"),
    path("patients/<int:patient_id>/record.fhir.json", patient_fhir, name="patient_fhir"),
]
