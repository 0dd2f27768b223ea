"""{% chart_svg %}: one variant of a server-drawn chart, built once in tracker/charts/svg.py."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from tracker.charts.draw import Chart
from tracker.charts.svg import chart_svg as build

register = template.Library()


@register.simple_tag
def chart_svg(chart: Chart, chart_id: str, title: str) -> SafeString:
    return build(chart, chart_id=chart_id, title=title)
