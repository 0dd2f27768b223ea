"""Addresses of this integration."""

from __future__ import annotations

urlpatterns: list = []
