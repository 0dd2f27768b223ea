"""The patient's reminder: on or off, the weekdays, and a time in the clinic's time zone."""

from __future__ import annotations

from django import forms

from tracker.models import Reminder
from tracker.rules.reminders import WEEKDAY_NAMES, bits_of, weekdays_of


class ReminderForm(forms.Form):
    is_on = forms.BooleanField(label="Send me reminders", required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label="On these days",
        choices=[(str(day), name) for day, name in enumerate(WEEKDAY_NAMES)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose days from the list."},
    )
    at = forms.TimeField(
        label="At what time",
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        help_text="As on the clinic's clock. The e-mail comes only if you have not logged a "
        "session that day yet.",
        error_messages={
            "required": "Enter a time, such as 08:30.",
            "invalid": "Enter a time as hours and minutes, such as 08:30.",
        },
    )

    @classmethod
    def for_reminder(cls, reminder: Reminder | None, data=None) -> ReminderForm:
        if reminder is None:
            # Nothing chosen yet: off, so Save with no days is no mistake (not the model's
            # default of on).
            initial = {"is_on": False, "weekdays": [], "at": "08:00"}
        else:
            initial = {
                "is_on": reminder.is_on,
                "weekdays": [str(day) for day in weekdays_of(reminder.weekdays)],
                "at": reminder.at,
            }
        return cls(data, initial=initial)

    def clean(self):
        data = super().clean()
        if data.get("is_on") and not data.get("weekdays") and "weekdays" not in self.errors:
            self.add_error("weekdays", "Choose at least one day, or turn reminders off.")
        return data

    @property
    def bits(self) -> int:
        return bits_of(self.cleaned_data["weekdays"])
