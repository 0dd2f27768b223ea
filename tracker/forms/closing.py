"""A patient's request to close their account: an optional reason, with its visible limit."""

from __future__ import annotations

from django import forms

from tracker.forms.limits import show_limits
from tracker.models import AccountClosure


class ClosingForm(forms.Form):
    reason = forms.CharField(
        label="Why are you leaving? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the clinic's admins read this.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(
            self,
            {"reason": "reason"},
            {"reason": AccountClosure._meta.get_field("reason").max_length},
        )
