"""The one place that decides whether a request gets a page region or the whole page."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request that swaps a region: not boosted, not a history restore."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_region(
    request: HttpRequest, template: str, region: str, context: dict, status: int = 200
) -> HttpResponse:
    """Render `template` whole, or only its `{% partialdef region %}` for htmx."""
    name = f"{template}#{region}" if wants_partial(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def focus_first_error(form: Form) -> None:
    """Put the cursor in the first field to correct, in the order shown, when htmx swaps
    the form back in (htmx focuses an element marked `autofocus` in what it swaps)."""
    for name, field in form.fields.items():
        if name in form.errors:
            field.widget.attrs["autofocus"] = True
            return
