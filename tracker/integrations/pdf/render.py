"""HTML to PDF with WeasyPrint, fetching nothing from the network.

WeasyPrint would otherwise open any address the HTML names (http, file, ftp): a patient's
text in the report must never make the server fetch something. Its fetcher here serves only
the app's own static files, found where `collectstatic` finds them, under one made-up origin;
everything else is refused (WeasyPrint leaves it out and logs a warning). Fonts come from the
system's fontconfig (DejaVu, installed with WeasyPrint's libraries), never fetched.

Inline SVG is drawn by WeasyPrint's own SVG renderer, which styles it from `<style>` inside the
`<svg>` only, not from the page's style sheets. So each chart gets the app's own chart rules
(the `.chart` rules of app.css, one source for the colours and dashes) and the PDF's few
overrides (pdf-charts.css), as a `<style>` in its `<svg>`.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
import re
from functools import cache
from pathlib import Path

import tinycss2
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative addresses in the report resolve here; no such host exists (.invalid, RFC 2606).
BASE_URL = "https://report.invalid/static/"

STYLESHEET = "tracker/pdf.css"
CHART_OVERRIDES = "tracker/pdf-charts.css"
APP_STYLESHEET = "tracker/app.css"

# WeasyPrint logs each of its seven steps at INFO, for every report: not worth a log line.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_CHART_OPENING = re.compile(r'(<svg class="chart\b[^>]*>)')


class StaticFilesOnly(URLFetcher):
    """A fetcher that answers only `BASE_URL` + the name of one of the app's static files."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = static_path(url)
        if path is None:
            raise ValueError(f"The report fetches only the app's own static files, not {url!r}.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def static_path(url: str) -> Path | None:
    """The file of one of the app's static files named by `url`, or None for any other
    address (another origin, another scheme, a name climbing out of the static folders)."""
    if not url.startswith(BASE_URL):
        return None
    name = url.removeprefix(BASE_URL).split("?", 1)[0].split("#", 1)[0]
    if not name or posixpath.normpath(name) != name or name.startswith(("/", "..")):
        return None
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    return Path(found) if isinstance(found, str) else None


def pdf_of(html: str) -> bytes:
    """The PDF of a report page (templates/tracker/pdf/), with its print style sheet."""
    fetcher = StaticFilesOnly()
    stylesheets = [
        CSS(string=_app_rules((".legend", ".key")), url_fetcher=fetcher),
        CSS(url=BASE_URL + STYLESHEET, url_fetcher=fetcher),
    ]
    document = HTML(string=with_chart_style(html), base_url=BASE_URL, url_fetcher=fetcher)
    # Tagged, so that a screen reader reads the headings, lists and tables as such.
    return document.write_pdf(stylesheets=stylesheets, pdf_tags=True)


def with_chart_style(html: str) -> str:
    """`html` with the chart rules inside each chart's `<svg>`, where WeasyPrint reads them."""
    style = f"<style>{_chart_style()}</style>"
    return _CHART_OPENING.sub(lambda match: match[1] + style, html)


@cache
def _chart_style() -> str:
    # Rules only, without comments: inside an <svg> the HTML parser would read a "<" in a
    # comment as a tag.
    return _rules(APP_STYLESHEET, (".chart ",)) + "\n" + _rules(CHART_OVERRIDES)


@cache
def _app_rules(prefixes: tuple[str, ...]) -> str:
    return _rules(APP_STYLESHEET, prefixes)


def _rules(name: str, prefixes: tuple[str, ...] = ("",)) -> str:
    """The top-level rules of a static style sheet whose selectors begin with one of
    `prefixes` (all of them by default)."""
    rules = tinycss2.parse_stylesheet(_read(name), skip_comments=True, skip_whitespace=True)
    return "\n".join(
        tinycss2.serialize([rule])
        for rule in rules
        if rule.type == "qualified-rule"
        and tinycss2.serialize(rule.prelude).strip().startswith(prefixes)
    )


def _read(name: str) -> str:
    path = static_path(BASE_URL + name)
    if path is None:
        raise FileNotFoundError(name)
    return path.read_text(encoding="utf-8")
