"""A clinician's notification choices: for every alert kind but danger signs, how they hear
of it; and the weekly caseload digest on or off."""

from __future__ import annotations

from django import forms

from tracker.models import AlertKind, Delivery
from tracker.notifications.notices import CHOSEN_KINDS

DANGER_NOT_A_CHOICE = (
    "Danger signs are always e-mailed at once to the whole care team; that cannot be changed."
)


class NoticeChoicesForm(forms.Form):
    weekly = forms.BooleanField(
        label="Send me the weekly caseload digest on Monday morning",
        required=False,
        help_text="Who needs attention, adherence over the last two weeks, who has gone silent.",
    )

    def __init__(self, *args, initial_delivery: dict[str, str], weekly: bool, **kwargs) -> None:
        super().__init__(*args, initial={**initial_delivery, "weekly": weekly}, **kwargs)
        kinds = {
            kind.value: forms.ChoiceField(
                label=f"{kind.label} alerts",
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose how you hear of these alerts.",
                    "invalid_choice": "Choose one of the three ways shown.",
                },
            )
            for kind in CHOSEN_KINDS
        }
        # The kinds first, in the triage order, then the weekly digest.
        self.fields = {**kinds, "weekly": self.fields["weekly"]}

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[kind.value] for kind in CHOSEN_KINDS]

    def clean(self) -> dict:
        cleaned = super().clean()
        if AlertKind.DANGER_SIGN.value in self.data:
            raise forms.ValidationError(DANGER_NOT_A_CHOICE, code="danger_sign")
        return cleaned

    def delivery(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[kind.value] for kind in CHOSEN_KINDS}
