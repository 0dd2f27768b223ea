"""Forms: all validation of what people type. Clinical rules come from rules/plans.py."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tracker.domain.once import RequestKeyField
from tracker.forms.limits import NOTE_LIMIT, show_limits
from tracker.models import Activity, Clearance, PlanStatus, PlanTemplate, Prescription
from tracker.rules.plans import Limits, prescription_problems

LETTER_MAX_BYTES = 5 * 1024 * 1024
# The first bytes of each file type we accept: the content decides, not the name.
LETTER_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff_letter(upload) -> str | None:
    """The content type of an uploaded letter, judged by its first bytes; None if not allowed."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return next((kind for magic, kind in LETTER_SIGNATURES.items() if head.startswith(magic)), None)


def check_letter(letter) -> str:
    """The content type of a newly uploaded clearance letter, or ValidationError in words.
    Returns "" when nothing new was uploaded."""
    if not letter or not hasattr(letter, "content_type"):
        return ""
    if letter.size > LETTER_MAX_BYTES:
        raise ValidationError(
            f"The file is {letter.size / 1024 / 1024:.1f} MB; the limit is 5 MB. "
            "Scan at a lower resolution or save as PDF."
        )
    kind = sniff_letter(letter)
    if kind is None:
        raise ValidationError("Upload the letter as a PDF, PNG or JPEG file.")
    return kind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActivityChoices(forms.ModelMultipleChoiceField):
    """Ticked activities by id; an id no database integer can hold is refused like any
    unknown one (SQLite would otherwise fail on it in the `id__in` check)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent class refuses it in words
            if not -(2**63) <= number < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class RulesInWordsMixin:
    """The database's check constraints mirror rules that clean() states at the field they
    concern, in plain words; Django's own constraint messages would repeat them as jargon."""

    def validate_constraints(self) -> None:
        return None


class ClearanceRules:
    """What any form that records a clearance checks, the app's and the admin's alike."""

    def clean_letter(self):
        letter = self.cleaned_data.get("letter")
        self.letter_content_type = check_letter(letter)
        return letter

    def check_dates(self, data: dict) -> bool:
        """The clearance cannot end before it begins. True when the dates are in order."""
        cleared_on, valid_until = data.get("cleared_on"), data.get("valid_until")
        if cleared_on and valid_until and valid_until < cleared_on:
            self.add_error("valid_until", "Valid until must be on or after the date cleared.")
            return False
        return True


class ClearanceForm(RulesInWordsMixin, ClearanceRules, forms.ModelForm):
    request_key = RequestKeyField()

    class Meta:
        model = Clearance
        fields = [
            "physician_name",
            "physician_registration",
            "cleared_on",
            "valid_until",
            "activities",
            "max_session_minutes",
            "max_heart_rate",
            "high_impact_allowed",
            "weight_bearing_allowed",
            "restrictions",
            "letter",
        ]
        field_classes = {"activities": ActivityChoices}
        widgets = {
            "cleared_on": DateInput(),
            "valid_until": DateInput(),
            "activities": forms.CheckboxSelectMultiple(),
            "restrictions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "high_impact_allowed": "High-impact exercise allowed (jogging, jumping)",
            "weight_bearing_allowed": "Weight-bearing exercise allowed (walking, jogging)",
            "letter": "Clearance letter (PDF, PNG or JPEG, up to 5 MB)",
        }
        help_texts = {
            "max_heart_rate": "Leave empty if the physician set no heart-rate limit.",
            "restrictions": "Anything else the physician said, in their words.",
        }
        error_messages = {
            "activities": {"required": "Tick at least one activity the physician cleared."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(
            self,
            {"physician_name": "name", "physician_registration": "number", "restrictions": "text"},
            limits={"restrictions": NOTE_LIMIT},
        )
        self.fields["activities"].queryset = Activity.objects.available()
        self.fields["max_session_minutes"].widget.attrs.update(min=5, max=240)
        self.fields["max_heart_rate"].widget.attrs.update(min=60, max=220)
        self.fields["letter"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg"

    def clean_cleared_on(self) -> dt.date:
        cleared_on = self.cleaned_data["cleared_on"]
        if cleared_on > timezone.localdate():
            raise ValidationError("The date cleared cannot be in the future.")
        return cleared_on

    def clean(self):
        data = super().clean()
        valid_until = data.get("valid_until")
        if self.check_dates(data) and valid_until and valid_until < timezone.localdate():
            self.add_error(
                "valid_until", "This clearance has already run out; record a current one."
            )
        activities = data.get("activities") or []
        if not data.get("high_impact_allowed"):
            for activity in activities:
                if activity.is_high_impact:
                    self.add_error(
                        "activities",
                        f"{activity.name} is high-impact: tick “High-impact exercise allowed” "
                        f"or leave {activity.name} out.",
                    )
        if not data.get("weight_bearing_allowed"):
            for activity in activities:
                if activity.weight_bearing:
                    self.add_error(
                        "activities",
                        f"{activity.name} is weight-bearing: tick “Weight-bearing exercise "
                        f"allowed” or leave {activity.name} out.",
                    )
        return data


class PlanCreateForm(forms.Form):
    request_key = RequestKeyField()
    title = forms.CharField(max_length=120, initial="Back to strength")
    clearance = forms.ModelChoiceField(
        queryset=Clearance.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of this patient's current clearances."},
    )
    template = forms.ModelChoiceField(
        queryset=PlanTemplate.objects.filter(is_active=True),
        required=False,
        empty_label="Start from scratch",
        label="Start from a template",
    )
    starts_on = forms.DateField(widget=DateInput(), initial=timezone.localdate)
    notes = forms.CharField(
        label="Notes for the patient", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self, {"title": "title", "notes": "note"}, limits={"notes": NOTE_LIMIT})
        self.fields["clearance"].queryset = Clearance.objects.filter(patient=patient).current_on(
            timezone.localdate()
        )
        self.fields["clearance"].label_from_instance = lambda c: (
            f"{c.physician_name}, valid until {c.valid_until:%-d %b %Y}"
        )

    def clean(self):
        data = super().clean()
        clearance, starts_on = data.get("clearance"), data.get("starts_on")
        if clearance and starts_on:
            if starts_on < clearance.cleared_on:
                self.add_error("starts_on", "The plan cannot start before the clearance was given.")
            elif starts_on > clearance.valid_until:
                self.add_error("starts_on", "The plan cannot start after the clearance runs out.")
        return data


class PrescriptionForm(RulesInWordsMixin, forms.ModelForm):
    class Meta:
        model = Prescription
        fields = [
            "activity",
            "sessions_per_week",
            "start_minutes",
            "max_minutes",
            "weekly_progression_percent",
            "effort_min",
            "effort_max",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self, {"note": "note"})
        self.plan = plan
        self.instance.plan = plan
        self.limits = Limits.of(plan.clearance)
        self.fields["activity"].queryset = Activity.objects.available()
        self.fields["activity"].empty_label = "Choose an activity"
        self.fields["activity"].error_messages["invalid_choice"] = (
            "That activity is no longer offered; choose another."
        )
        for name, low, high in [
            ("sessions_per_week", 1, 14),
            ("start_minutes", 1, self.limits.max_session_minutes),
            ("max_minutes", 1, self.limits.max_session_minutes),
            ("weekly_progression_percent", 0, 25),
            ("effort_min", 6, 20),
            ("effort_max", 6, 20),
        ]:
            self.fields[name].widget.attrs.update(min=low, max=high, inputmode="numeric")

    def clean(self):
        data = super().clean()
        activity = data.get("activity")
        start, most = data.get("start_minutes"), data.get("max_minutes")
        if start is not None and most is not None and most < start:
            self.add_error("max_minutes", "The most minutes cannot be fewer than the start.")
        low, high = data.get("effort_min"), data.get("effort_max")
        if low is not None and high is not None and high < low:
            self.add_error("effort_max", "The highest effort cannot be below the lowest.")
        if activity is not None:
            if (
                self.plan.prescriptions.filter(activity=activity)
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error(
                    "activity", f"This plan already has {activity.name}; change that one."
                )
            problems = prescription_problems(
                activity=activity, start_minutes=start, max_minutes=most, limits=self.limits
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return data


class PlanStatusForm(forms.Form):
    """Pausing or completing a plan: the reason is what the patient reads."""

    reason = forms.CharField(
        label="Reason, for the patient",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The patient reads this on Today and My plan, with your name and today's date. "
        "Up to 300 characters.",
        error_messages={
            "required": "Write the reason the patient will read, for example “Knee swollen: "
            "rest until we see you on Friday”.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self, {"reason": "reason"})

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].replace("\x00", "").strip()
        if not reason:
            raise ValidationError(self.fields["reason"].error_messages["required"])
        return reason


class HoldForm(forms.Form):
    """Holding a plan's progression by hand, with an optional reason kept beside the hold."""

    reason = forms.CharField(label="Reason (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self, {"reason": "reason"})

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].replace("\x00", "")


# The plan editor's status buttons, by the status each moves the plan to.
STATUS_ACTIONS = {
    PlanStatus.ACTIVE: "Activate",
    PlanStatus.PAUSED: "Pause",
    PlanStatus.COMPLETED: "Complete",
}


class PlanMoveForm(forms.Form):
    """A status button on the plan editor: the status to move the plan to. Whether the move
    is allowed from where the plan is now is the domain's to say."""

    to = forms.ChoiceField(choices=list(STATUS_ACTIONS.items()))


class ProgressionForm(forms.Form):
    """The plan editor's progression buttons: hold the targets where they are, or let them
    grow again. A hold's reason is HoldForm's."""

    action = forms.ChoiceField(choices=[("hold", "Hold progression"), ("resume", "Resume")])
