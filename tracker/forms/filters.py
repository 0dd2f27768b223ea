"""Forms that read a list page's filters from its query string (GET), checked like any other
form, so no view parses request.GET by hand."""

from __future__ import annotations

from django import forms

from tracker.models import Activity


class CaseloadFilter(forms.Form):
    """The caseload's search, what to show, and the activity patients are doing."""

    q = forms.CharField(label="Search by name", required=False, max_length=100)
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "Everyone"),
            ("alerts", "Open alerts only"),
            ("slipping", "Falling behind or silent"),
        ],
    )
    activity = forms.ModelChoiceField(
        label="Doing", queryset=Activity.objects.all(), required=False, empty_label="Any activity"
    )
