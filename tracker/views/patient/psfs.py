"""The Patient-Specific Functional Scale: the patient names and rates what they find hard
(at the plan's start, then as often as the plan says). This is the patient side's URL module,
included from tracker/urls.py; the care team's side (how often) is in
tracker/views/clinician/psfs.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tracker.access import patient_required
from tracker.domain.psfs import PsfsRefused, rate_activities
from tracker.forms.psfs import PsfsForm
from tracker.models import PsfsRound
from tracker.queries.psfs import asking, current_activities
from tracker.queries.week import current_plan

PAGE = "tracker/psfs/rate.html"
THANKS = "Thank you: your ratings are saved. You can follow them under Progress."


def _sent_before(request: HttpRequest) -> bool:
    """This very form was saved already (a double tap, the back button and send again)."""
    key = request.POST.get("request_key")
    try:
        return bool(key) and PsfsRound.objects.filter(request_key=key).exists()
    except ValueError:  # not a key at all: the form refuses it
        return False


@require_http_methods(["GET", "POST"])
@patient_required
def rate(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and _sent_before(request):
        messages.success(request, THANKS)
        return redirect("patient_home")
    today = timezone.localdate()
    plan = current_plan(request.user)
    standing = asking(request.user, plan, today=today)
    if not standing.due:
        if request.method == "POST":
            messages.info(request, "Nothing to rate today: your ratings are up to date.")
            return redirect("patient_home")
        return render(request, PAGE, {"asking": standing, "plan": plan})
    form = PsfsForm(
        request.POST if request.method == "POST" else None,
        activities=current_activities(request.user),
    )
    if form.is_bound and form.is_valid():
        try:
            rate_activities(
                patient=request.user,
                by=request.user,
                rated_on=today,
                scores=form.scores,
                dropped=form.dropped,
                named=form.named,
                request_key=form.cleaned_data["request_key"],
            )
        except PsfsRefused as refusal:  # changed in another tab meanwhile
            messages.error(request, f"{refusal} Nothing has been saved yet.")
            return redirect("psfs")
        messages.success(request, THANKS)
        return redirect("patient_home")
    return render(request, PAGE, {"asking": standing, "plan": plan, "form": form})


urlpatterns = [
    path("functional-scale/", rate, name="psfs"),
]
