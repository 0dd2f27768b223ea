"""Recording a measurement, with limits that catch a slip of the finger."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tracker.domain.once import RequestKeyField
from tracker.forms.limits import show_limits
from tracker.forms.plans import DateInput
from tracker.models import Measurement, MeasurementKind, User
from tracker.models.measurements import PLAUSIBLE, UNITS

EARLIEST_DAY = dt.date(1900, 1, 1)


class MeasurementForm(forms.ModelForm):
    request_key = RequestKeyField()

    class Meta:
        model = Measurement
        fields = ["kind", "measured_on", "site", "affected_cm", "unaffected_cm", "value", "notes"]
        widgets = {"measured_on": DateInput()}
        labels = {
            "kind": "What was measured",
            "measured_on": "Date",
            "site": "Where (circumference only)",
            "affected_cm": "Affected side (cm)",
            "unaffected_cm": "Healthy side (cm)",
            "value": "Result (other tests)",
        }
        help_texts = {
            "value": "Metres for the 6-minute walk, repetitions for the chair stand, seconds "
            "for Timed Up and Go, kilograms for grip.",
        }

    def __init__(self, *args, patient: User | None = None, self_measured: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self, {"notes": "note"})
        self.self_measured = self_measured
        # The patient is given when a measurement is checked; the empty form does not need it.
        profile = getattr(patient, "profile", None) if patient else None
        self.born_on = profile.date_of_birth if profile else None
        if self_measured:
            # Patients measure their own limbs; the functional tests need a clinician.
            self.fields["kind"].choices = [
                (MeasurementKind.CIRCUMFERENCE.value, MeasurementKind.CIRCUMFERENCE.label)
            ]
            self.fields["kind"].initial = MeasurementKind.CIRCUMFERENCE
            del self.fields["value"]
        self.fields["measured_on"].initial = timezone.localdate
        earliest = max(EARLIEST_DAY, self.born_on or EARLIEST_DAY)
        self.fields["measured_on"].widget.attrs.update(
            min=earliest.isoformat(), max=timezone.localdate().isoformat()
        )

    def clean_measured_on(self):
        day = self.cleaned_data["measured_on"]
        if day > timezone.localdate():
            raise ValidationError("The date cannot be in the future.")
        if day < EARLIEST_DAY:
            raise ValidationError(f"The date cannot be before {EARLIEST_DAY.year}.")
        if self.born_on and day < self.born_on:
            whose = "your" if self.self_measured else "the"
            raise ValidationError(
                f"The date cannot be before {whose} date of birth, {self.born_on:%-d %B %Y}."
            )
        return day

    def validate_constraints(self, exclude=None):
        # clean() below states the database's rule for each kind at the right field.
        return None

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        low, high = PLAUSIBLE[MeasurementKind(kind)]
        unit = UNITS[MeasurementKind(kind)]
        if kind == MeasurementKind.CIRCUMFERENCE:
            if not data.get("site"):
                self.add_error("site", "Choose where the limb was measured.")
            for field in ("affected_cm", "unaffected_cm"):
                value = data.get(field)
                if value is None:
                    if field not in self.errors:
                        self.add_error(field, "Enter the circumference of both sides, in cm.")
                elif not low <= value <= high:
                    self.add_error(
                        field,
                        f"A limb circumference is between {low} and {high} cm; check the number.",
                    )
            data["value"] = None
        else:
            value = data.get("value")
            if value is None:
                if "value" not in self.errors:
                    self.add_error("value", f"Enter the result in {unit}.")
            elif not low <= value <= high:
                self.add_error(
                    "value",
                    f"For this test a result is between {low} and {high} {unit}; check the number.",
                )
            data["affected_cm"] = data["unaffected_cm"] = None
            data["site"] = ""
        return data

    def measurement(self) -> dict:
        """What `add_measurement` saves, from the checked form: the fields of its kind only."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "measured_on": data["measured_on"],
            "site": data.get("site", ""),
            "affected_cm": data.get("affected_cm"),
            "unaffected_cm": data.get("unaffected_cm"),
            "value": data.get("value"),
            "notes": data.get("notes", ""),
            "self_measured": self.self_measured,
            "request_key": data.get("request_key"),
        }
