from __future__ import annotations

from django.urls import include, path

from tracker.integrations.activity_files import views as activity_files
from tracker.integrations.fhir import views as fhir
from tracker.integrations.pdf import views as pdf
from tracker.views import admin_pages, common, contact, invitations, offline, replies, two_factor
from tracker.views.clinician import alerts, caseload, notices, plans, records
from tracker.views.clinician import feedback as clinician_feedback
from tracker.views.clinician import progress as clinician_progress
from tracker.views.clinician import psfs as clinician_psfs
from tracker.views.patient import closing, data, history, home, log, morning, psfs, reminders
from tracker.views.patient import feedback as patient_feedback
from tracker.views.patient import progress as patient_progress

urlpatterns = [
    path("", common.home, name="home"),
    # Patients
    path("today/", home.home, name="patient_home"),
    path("plan/", home.my_plan, name="my_plan"),
    path("log/", log.log_session_view, name="log_session"),
    path("log/check/", log.validate_field, name="log_validate"),
    path("report-danger/", log.report_danger_view, name="report_danger"),
    path("history/", history.history, name="history"),
    path("progress/", patient_progress.progress, name="progress"),
    path("my-data/", data.my_data, name="my_data"),
    path("my-details/", contact.my_details, name="my_details"),
    path("my-data/all.json", data.export, {"fmt": "json"}, name="export_json"),
    path("my-data/<slug:table>.csv", data.export, {"fmt": "csv"}, name="export_csv"),
    path("progress/measurements/", patient_progress.measure, name="progress_measure"),
    path("sessions/<int:pk>/edit/", history.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", history.session_delete, name="session_delete"),
    path("sessions/<int:pk>/next-morning/", morning.next_morning, name="session_next_morning"),
    path("comments/<int:pk>/read/", patient_feedback.comment_read, name="comment_read"),
    # Care team
    path("caseload/", caseload.caseload, name="caseload"),
    path("patients/<int:patient_id>/", records.record, name="patient_record"),
    path("patients/<int:patient_id>/contact/", contact.patient_contact, name="patient_contact"),
    path(
        "patients/<int:patient_id>/clearances/new/",
        records.clearance_new,
        name="clearance_new",
    ),
    path(
        "patients/<int:patient_id>/progress/",
        clinician_progress.progress,
        name="patient_progress",
    ),
    path(
        "patients/<int:patient_id>/measurements/",
        clinician_progress.measure,
        name="patient_measure",
    ),
    path("patients/<int:patient_id>/report/", clinician_progress.report, name="patient_report"),
    path("clearances/<int:pk>/letter/", records.clearance_letter, name="clearance_letter"),
    path("patients/<int:patient_id>/plans/new/", plans.plan_new, name="plan_new"),
    path("plans/<int:pk>/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/prescriptions/", plans.prescription_add, name="prescription_add"),
    path(
        "plans/<int:pk>/prescriptions/<int:prescription_id>/remove/",
        plans.prescription_remove,
        name="prescription_remove",
    ),
    path(
        "plans/<int:pk>/prescriptions/<int:prescription_id>/",
        plans.prescription_change,
        name="prescription_change",
    ),
    path("plans/<int:pk>/progression/", plans.plan_progression, name="plan_progression"),
    path("plans/<int:pk>/status/", plans.plan_status, name="plan_status"),
    path(
        "plans/<int:pk>/pause/",
        plans.plan_confirm_status,
        {"to": "paused"},
        name="plan_pause",
    ),
    path(
        "plans/<int:pk>/complete/",
        plans.plan_confirm_status,
        {"to": "completed"},
        name="plan_complete",
    ),
    path("alerts/", alerts.queue, name="alert_queue"),
    path("alerts/<int:pk>/acknowledge/", alerts.acknowledge, name="alert_acknowledge"),
    path(
        "patients/<int:patient_id>/comments/",
        clinician_feedback.comment_new,
        name="comment_new",
    ),
    # Admins
    path("overview/", admin_pages.overview, name="admin_home"),
    # Running a clinic: each feature's own addresses, in its own module
    path("", include(invitations)),
    path("", include(two_factor)),
    path("", include(reminders)),
    path("", include(notices)),
    path("", include(replies)),
    path("", include(closing)),
    # Records that travel (issue 17)
    path("", include(fhir)),
    path("", include(activity_files)),
    path("", include(pdf)),
    path("", include(psfs)),
    path("", include(clinician_psfs)),
    # The installable app and its offline queue (issue 18)
    path("", include(offline)),
    # Accounts
    path("account/login/", common.SignInView.as_view(), name="login"),
    path("account/", include("django.contrib.auth.urls")),
]
