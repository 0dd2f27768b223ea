from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tracker.urls")),
]

# 403 and 404 are Django's own handlers, rendering 403.html and 404.html with the request.
handler500 = "tracker.views.errors.server_error"
