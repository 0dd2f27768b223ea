"""The headers htmx sends, for tests that ask for a region, a boosted page or a history
restore, and whether an answer tells caches it depends on them."""

from __future__ import annotations

from django.utils.cache import has_vary_header

HTMX = {"HX-Request": "true"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def varies_on_htmx(response) -> bool:
    return has_vary_header(response, "HX-Request")
