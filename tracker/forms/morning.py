"""The next-morning pain question on Today: one number, 0 to 10, sent by one tap."""

from __future__ import annotations

from django import forms

PAIN_MESSAGE = "Choose a number from 0 to 10."


class MorningPainForm(forms.Form):
    pain = forms.TypedChoiceField(
        label="How is the pain this morning?",
        coerce=int,
        choices=[(n, str(n)) for n in range(11)],
        error_messages={"required": PAIN_MESSAGE, "invalid_choice": PAIN_MESSAGE},
    )
