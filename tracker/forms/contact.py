"""The numbers the care team calls after a danger sign: the patient's own and an emergency
contact's. Set by the patient under their details, or by the care team."""

from __future__ import annotations

from django import forms

from tracker.forms.limits import show_limits
from tracker.models import PatientProfile
from tracker.models.people import HEIGHT_CM_MAX, HEIGHT_CM_MIN, WEIGHT_KG_MAX, WEIGHT_KG_MIN

HEIGHT_MESSAGE = (
    f"Enter the height in whole centimetres, between {HEIGHT_CM_MIN} and {HEIGHT_CM_MAX}, "
    "such as 168, or leave it empty."
)
WEIGHT_MESSAGE = (
    f"Enter the weight in kilograms, between {WEIGHT_KG_MIN} and {WEIGHT_KG_MAX}, with one "
    "decimal place at most, such as 68.5, or leave it empty."
)


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


# The database's ranges for what the norms need, said in words at the field.
NORM_ERRORS = {
    "sex": {"invalid_choice": "Choose female or male, or leave it empty."},
    "height_cm": {key: HEIGHT_MESSAGE for key in ("invalid", "min_value", "max_value")},
    "weight_kg": {
        key: WEIGHT_MESSAGE
        for key in (
            "invalid",
            "min_value",
            "max_value",
            "max_digits",
            "max_decimal_places",
            "max_whole_digits",
        )
    },
}


class CareTeamDetailsForm(ContactDetailsForm):
    """The care team's copy of the details: the contact numbers, and the sex, height and
    weight that the functional tests' norms need (rules/norms.py)."""

    class Meta(ContactDetailsForm.Meta):
        fields = [*ContactDetailsForm.Meta.fields, "sex", "height_cm", "weight_kg"]
        labels = {
            **ContactDetailsForm.Meta.labels,
            "sex": "Sex",
            "height_cm": "Height (cm)",
            "weight_kg": "Weight (kg)",
        }
        help_texts = {
            **ContactDetailsForm.Meta.help_texts,
            "phone": "The number the care team calls the patient back on.",
            "sex": "The published norms of the functional tests are given for women and men.",
        }
        widgets = {
            **ContactDetailsForm.Meta.widgets,
            "height_cm": forms.NumberInput(
                attrs={"inputmode": "numeric", "min": HEIGHT_CM_MIN, "max": HEIGHT_CM_MAX}
            ),
            "weight_kg": forms.NumberInput(
                attrs={
                    "inputmode": "decimal",
                    "step": "0.1",
                    "min": WEIGHT_KG_MIN,
                    "max": WEIGHT_KG_MAX,
                }
            ),
        }
        error_messages = NORM_ERRORS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", "Not given"), *self.fields["sex"].choices[1:]]

    def validate_constraints(self, exclude=None):
        # The fields' own messages state the database's ranges, in words.
        return None

    @property
    def norm_fields(self):
        return [self["sex"], self["height_cm"], self["weight_kg"]]
