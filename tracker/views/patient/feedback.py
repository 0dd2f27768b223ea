"""The patient marks their physiotherapist's feedback as read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tracker.access import comment_for, patient_required
from tracker.domain.feedback import mark_read
from tracker.queries.feedback import unread_feedback
from tracker.views.htmx import render_region, swaps_region
from tracker.views.patient.home import TODAY


@require_POST
@patient_required
@vary_on_headers("HX-Request")  # the redirect too: one address, two answers
def comment_read(request: HttpRequest, pk: int) -> HttpResponse:
    comment = comment_for(request.user, pk)
    done = mark_read(comment=comment)
    if not swaps_region(request):
        if done:  # a second tap (or Back and send again) has nothing new to say
            messages.success(request, "Marked as read.")
        return redirect("patient_home")
    context = {"feedback": unread_feedback(request.user), "just_read": True}
    return render_region(request, TODAY, "feedback", context)
