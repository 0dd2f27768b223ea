"""The Patient-Specific Functional Scale: the patient names and rates what they find hard."""

from __future__ import annotations

urlpatterns: list = []
