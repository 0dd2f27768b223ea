from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from tracker.views import admin_pages, clinician, common, patient

urlpatterns = [
    path("", common.home, name="home"),
    path("today/", patient.home, name="patient_home"),
    path("caseload/", clinician.caseload, name="caseload"),
    path("overview/", admin_pages.overview, name="admin_home"),
    path(
        "account/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("account/", include("django.contrib.auth.urls")),
]
