"""The one place that decides whether a request gets a page region or the whole page.

An htmx request that swaps a region (not boosted, not a history restore) gets the region; every
other request, a plain form's included, gets the whole page, or after a save a redirect with the
message. Every response that may be a region says so to caches with `Vary: HX-Request`. Views
and templates never read `request.htmx` themselves: templates read `swaps_region` instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers


def sent_by_htmx(request: HttpRequest) -> bool:
    """Any request htmx sent, whatever it will do with the answer."""
    return bool(getattr(request, "htmx", None))


def swaps_region(request: HttpRequest) -> bool:
    """An htmx request that swaps a region: not boosted, not a history restore."""
    return sent_by_htmx(request) and not (
        request.htmx.boosted or request.htmx.history_restore_request
    )


def context(request: HttpRequest) -> dict:
    """Context processor: whether this response is a region swapped into a page already shown
    (so a template announces what changed, and does not grab the focus)."""
    return {"swaps_region": swaps_region(request)}


def _varies(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


def render_region(
    request: HttpRequest, template: str, region: str, context: dict, status: int = 200
) -> HttpResponse:
    """Render `template` whole, or only its `{% partialdef region %}` for a region swap."""
    name = f"{template}#{region}" if swaps_region(request) else template
    return _varies(render(request, name, context, status=status))


def saved(
    request: HttpRequest,
    *,
    message: str,
    redirect_to: str,
    region: str,
    context: dict | Callable[[], dict],
    level: int = messages.SUCCESS,
) -> HttpResponse:
    """After a POST that did its work (or found it already done): a region swap gets `region`
    (a template, or `template#partial`) with the message announced; any other request the
    message and a redirect to `redirect_to`, so reloading the page sends nothing twice.
    `context` may be a function, so a redirect does not run the queries only a region needs."""
    if not swaps_region(request):
        messages.add_message(request, level, message)
        return _varies(redirect(redirect_to))
    shown = context() if callable(context) else context
    return _varies(render(request, region, {**shown, "announce": message}))


def refused(
    request: HttpRequest,
    form: BaseForm,
    *,
    announce: str,
    region: str,
    context: dict,
    page: str,
    page_context: Callable[[], dict],
) -> HttpResponse:
    """A form that was refused, sent back with what was typed and the messages at the fields:
    a region swap gets `region` with the cursor in the first field to correct and `announce`
    spoken; any other request the whole `page` from `page_context()`."""
    if not swaps_region(request):
        return _varies(render(request, page, page_context()))
    focus_first_error(form)
    return _varies(render(request, region, {**context, "announce": announce}))


def focus_first_error(form: BaseForm) -> None:
    """Put the cursor in the first field to correct, in the order shown, when htmx swaps
    the form back in (htmx focuses an element marked `autofocus` in what it swaps)."""
    for name, field in form.fields.items():
        if name in form.errors:
            field.widget.attrs["autofocus"] = True
            return
