"""The installable app: its manifest, the service worker at the root scope, and what the
offline queue asks the server (a fresh CSRF token)."""

from __future__ import annotations

urlpatterns: list = []
