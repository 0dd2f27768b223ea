"""What the functional scale adds to pages whose views belong to other features: Today's
prompt and the plan editor's interval form."""

from __future__ import annotations

from django import template
from django.utils import timezone

from tracker.forms.psfs import PsfsIntervalForm
from tracker.queries.psfs import Asking, asking

register = template.Library()


@register.simple_tag(takes_context=True)
def psfs_asking(context) -> Asking | None:
    """Today's question, under the plan Today shows (one query); None without a plan."""
    plan = context.get("plan")
    if plan is None:
        return None
    return asking(context["user"], plan, today=timezone.localdate())


@register.simple_tag(takes_context=True)
def psfs_interval_form(context, plan) -> PsfsIntervalForm:
    """The refused form sent back, or the plan's own."""
    return context.get("psfs_form") or PsfsIntervalForm(instance=plan)
