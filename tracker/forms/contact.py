"""The numbers the care team calls after a danger sign: the patient's own and an emergency
contact's. Set by the patient under their details, or by the care team."""

from __future__ import annotations

from django import forms

from tracker.forms.limits import show_limits
from tracker.models import PatientProfile


class ContactDetailsForm(forms.ModelForm):
    class Meta:
        model = PatientProfile
        fields = [
            "phone",
            "emergency_contact_name",
            "emergency_contact_relationship",
            "emergency_contact_phone",
        ]
        labels = {
            "phone": "Phone number",
            "emergency_contact_name": "Emergency contact's name",
            "emergency_contact_relationship": "Their relationship to the patient",
            "emergency_contact_phone": "Emergency contact's phone number",
        }
        help_texts = {
            "phone": "The number the care team calls you back on.",
            "emergency_contact_relationship": "For example partner, daughter, neighbour.",
        }
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "emergency_contact_phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(
            self,
            {
                "phone": "phone number",
                "emergency_contact_name": "name",
                "emergency_contact_relationship": "text",
                "emergency_contact_phone": "phone number",
            },
        )

    def clean(self):
        data = super().clean()
        for name in self.Meta.fields:
            if isinstance(data.get(name), str):
                data[name] = " ".join(data[name].split())
        has_name = bool(data.get("emergency_contact_name"))
        has_phone = bool(data.get("emergency_contact_phone"))
        if has_phone and not has_name and "emergency_contact_name" not in self.errors:
            self.add_error("emergency_contact_name", "Add the name of the person at this number.")
        if has_name and not has_phone and "emergency_contact_phone" not in self.errors:
            self.add_error(
                "emergency_contact_phone", "Add a phone number for the emergency contact."
            )
        return data
