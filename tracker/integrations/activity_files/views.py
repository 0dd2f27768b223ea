"""Addresses of this integration: the patient uploads files, answers each one's questions (or
discards it), and anyone who may see the record downloads the original of an imported session."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.access import (
    disclosed,
    imported_original_for,
    own_import_for,
    patient_required,
)
from tracker.domain.imports import answer_file, discard_file, stage_files
from tracker.domain.logbook import report_danger
from tracker.forms import care_team_names
from tracker.forms.imports import ImportAnswerForm, ImportUploadForm
from tracker.integrations.activity_files.uploads import FileSizeCap, cap_file_sizes
from tracker.models import AuditAction, DangerReport, ImportedFile, PlanStatus
from tracker.queries.week import current_plan
from tracker.rules.safety import over_clearance_note, told_team_note
from tracker.views.danger import sent_signs, signed_out_keeps_signs
from tracker.views.patient.log import urgent

CONTENT_TYPES = {
    "gpx": "application/gpx+xml",
    "tcx": "application/vnd.garmin.tcx+xml",
    "fit": "application/vnd.ant.fit",
}


def _waiting(patient) -> list[ImportedFile]:
    """The patient's files waiting for answers, oldest recording first: one query."""
    return list(
        ImportedFile.objects.filter(patient=patient, session__isnull=True).select_related(
            "activity"
        )
    )


def _active_plan(request: HttpRequest):
    plan = current_plan(request.user)
    return plan if plan is not None and plan.status == PlanStatus.ACTIVE else None


@csrf_exempt  # checked below, once the size cap is in place: the check reads the body
@require_http_methods(["GET", "POST"])
def import_files(request: HttpRequest) -> HttpResponse:
    """Choose files; each is read and checked on its own. Good ones wait for their answers,
    refused ones are listed with the reason. A file too large is not even kept whole."""
    cap = cap_file_sizes(request)
    return _import_files(request, cap)


@csrf_protect
@patient_required
def _import_files(request: HttpRequest, cap: FileSizeCap) -> HttpResponse:
    plan = _active_plan(request)
    context = {"plan": plan, "care_team": care_team_names(request.user), "refused": []}
    if plan is None:
        return render(request, "tracker/imports/upload.html", {**context, "form": None})
    today = timezone.localdate()
    form = ImportUploadForm(plan=plan, today=today)
    if request.method == "POST":
        sent = ImportUploadForm(
            request.POST, request.FILES, plan=plan, today=today, too_large=cap.too_large
        )
        if sent.is_valid():
            staged = stage_files(patient=request.user, accepted=sent.accepted)
            refused = sent.refused + staged.refused
            if not refused:
                count = len(staged.waiting)
                messages.success(
                    request,
                    f"{count} file{'s' if count != 1 else ''} read. Answer a few questions "
                    "to save each session.",
                )
                return redirect("import_review", pk=staged.waiting[0].pk)
            context["refused"] = refused
        else:
            form = sent
    return render(
        request,
        "tracker/imports/upload.html",
        {**context, "form": form, "waiting": _waiting(request.user)},
    )


@require_http_methods(["GET", "POST"])
@signed_out_keeps_signs
@patient_required
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The session one waiting file proposes: the patient answers effort, pain and the danger
    question; saving logs it as the log form does."""
    imported = own_import_for(request.user, pk)
    plan = _active_plan(request)
    today = timezone.localdate()
    if sent := sent_signs(request):
        # The danger path first, as on the log form: filed whatever else holds (the file
        # answered already, the plan paused meanwhile), and the session saved too if the
        # file still waits, the plan is active and the rest of the answers allow it.
        key = uuid.UUID(sent["request_key"])
        already_sent = DangerReport.objects.filter(request_key=key).exists()
        report = report_danger(
            patient=request.user, signs=sent["signs"], notes=sent["notes"], request_key=key
        )
        session = imported.session
        if session is None and plan is not None:
            form = ImportAnswerForm(request.POST, imported=imported, plan=plan, today=today)
            if form.is_valid():
                session = _answer(request, imported, plan, form, key, sent["signs"]).session
        return urgent(request, report, session, from_log_form=True, already_sent=already_sent)
    if imported.session_id is not None:
        return _saved_already(request, imported.session)
    if plan is None:
        messages.error(request, "Sessions can be saved only while your plan is active.")
        return redirect("import_files")
    data = request.POST if request.method == "POST" else None
    form = ImportAnswerForm(data, imported=imported, plan=plan, today=today)
    if request.method == "POST" and form.is_valid():
        result = _answer(request, imported, plan, form, form.cleaned_data["request_key"], [])
        if not result.created:
            return _saved_already(request, result.session)
        if note := over_clearance_note(result.beyond_clearance):
            messages.warning(request, f"Saved. {note}")
        elif note := told_team_note(result.alerted):
            messages.info(request, note)
        else:
            messages.success(request, "Session saved. Well done.")
        following = _waiting(request.user)
        if following:
            return redirect("import_review", pk=following[0].pk)
        return redirect(f"{reverse('history')}#session-{result.session.pk}")
    waiting = _waiting(request.user)
    return render(
        request,
        "tracker/imports/review.html",
        {
            "imported": imported,
            "form": form,
            "waiting": waiting,
            "position": next((n for n, f in enumerate(waiting, 1) if f.pk == imported.pk), 1),
            "care_team": care_team_names(request.user),
        },
    )


def _saved_already(request: HttpRequest, session) -> HttpResponse:
    """The file is a session already: the same answers sent again (Back, then Save) show it;
    another tab's answers say they were not saved, and where to change the session."""
    if (
        request.method == "POST"
        and str(session.request_key) == request.POST.get("request_key", "").strip()
    ):
        messages.info(request, "This session was already saved. Here it is.")
    elif request.method == "POST":
        messages.warning(
            request,
            "The answers on this page were not saved: this session had already been saved "
            "from another page. To change it, choose Change beside it in your history.",
        )
    else:
        messages.info(request, "This session was already saved. Here it is.")
    return redirect(f"{reverse('history')}#session-{session.pk}")


def _answer(request, imported, plan, form, key, signs):
    return answer_file(
        patient=request.user,
        imported=imported,
        plan=plan,
        entry=form.entry(),
        danger_signs=signs,
        request_key=key,
    )


@require_POST
@patient_required
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Throw a waiting file away; a second press finds nothing and says so calmly."""
    try:
        imported = own_import_for(request.user, pk)
    except Http404:
        messages.info(request, "That file was already discarded.")
        return redirect("import_files")
    if imported.session_id is not None:
        messages.info(request, "That file is a session now, so it stays with it.")
        return redirect("import_files")
    discard_file(patient=request.user, imported=imported)
    messages.success(request, f"“{imported.original_name}” discarded. Nothing was saved from it.")
    following = _waiting(request.user)
    if following:
        return redirect("import_review", pk=following[0].pk)
    return redirect("import_files")


def download_name(imported: ImportedFile, session_pk: int) -> str:
    """The patient's own file name, made safe, with the suffix of the format it really is."""
    stem = PurePath(imported.original_name.replace("\\", "/")).stem
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:
        stem = f"session-{session_pk}"  # nothing usable was left of the name
    return f"{stem}.{imported.format}"


@require_GET
@login_required
def imported_original(request: HttpRequest, session_pk: int) -> HttpResponse:
    """The file a session was imported from, as it arrived: a download, never shown inline."""
    imported = imported_original_for(request.user, session_pk)
    disclosed(request.user, imported.patient, what="imported file", action=AuditAction.DOWNLOAD)
    response = FileResponse(
        imported.file.open("rb"),
        content_type=CONTENT_TYPES[imported.format],
        as_attachment=True,
        filename=download_name(imported, session_pk),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


urlpatterns: list = [
    path("import/", import_files, name="import_files"),
    path("import/<int:pk>/", import_review, name="import_review"),
    path("import/<int:pk>/discard/", import_discard, name="import_discard"),
    path("sessions/<int:session_pk>/original/", imported_original, name="imported_original"),
]
