"""Contact details: the patient's own under "Your details", and the care team's copy of them,
which also holds the sex, height and weight the functional tests' norms need. One template;
who may open whose is the access module's answer."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tracker.access import clinician_required, patient_for, patient_required
from tracker.domain.contact import save_contact_details
from tracker.domain.norms import save_profile_details
from tracker.forms import ContactDetailsForm
from tracker.forms.contact import CareTeamDetailsForm
from tracker.models import PatientProfile, User


def _edit(request: HttpRequest, patient: User, *, done: str, own: bool) -> HttpResponse:
    profile, _ = PatientProfile.objects.get_or_create(user=patient)
    # The care team also keeps what the functional tests' norms need.
    form_class = ContactDetailsForm if own else CareTeamDetailsForm
    form = form_class(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        if own:
            save_contact_details(by=request.user, profile=profile, details=form.cleaned_data)
            messages.success(request, "Contact details saved.")
        else:
            save_profile_details(by=request.user, profile=profile, details=form.cleaned_data)
            messages.success(request, "Details saved.")
        return redirect(done)
    return render(
        request, "tracker/contact_details.html", {"form": form, "patient": patient, "own": own}
    )


@require_http_methods(["GET", "POST"])
@patient_required
def my_details(request: HttpRequest) -> HttpResponse:
    return _edit(request, request.user, done="my_details", own=True)


@require_http_methods(["GET", "POST"])
@clinician_required
def patient_contact(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    return _edit(request, patient, done=reverse("patient_record", args=[patient.pk]), own=False)
