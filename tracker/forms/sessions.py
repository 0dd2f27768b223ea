"""The patient's session log and danger-sign report, and the clinician's acknowledgement.

Messages are written for a patient: what is wrong, and what to do about it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from tracker.domain.logbook import SessionInput
from tracker.domain.once import RequestKeyField
from tracker.forms.limits import show_limits
from tracker.forms.plans import DateInput
from tracker.models import (
    Activity,
    Alert,
    AlertKind,
    DangerSign,
    DistanceUnit,
    Plan,
    SessionLog,
    Symptom,
)
from tracker.models.sessions import (
    HEART_RATE_MAX,
    HEART_RATE_MIN,
    LONGEST_DISTANCE_M,
    LONGEST_LOGGED_MINUTES,
    METRES_PER_MILE,
)
from tracker.rules.backdating import DAYS_BACK, earliest_day
from tracker.rules.plans import Limits, activity_problem, clearance_problem, in_force
from tracker.rules.scales import BORG_WORDS

METRES_PER = {"km": Decimal(1000), "m": Decimal(1), "mi": Decimal(str(METRES_PER_MILE))}
PAIN_WORDS = {0: "none", 3: "mild", 5: "moderate", 7: "severe", 10: "worst"}


class TileSelect(forms.RadioSelect):
    """Radio buttons drawn as large tiles, each number with its word: easy to hit with a weak
    or shaky hand."""

    template_name = "tracker/widgets/tiles.html"
    option_template_name = "tracker/widgets/tile_option.html"

    def __init__(self, *args, words: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.words = words or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["word"] = self.words.get(value, "")
        return option


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, activity: Activity) -> str:
        return activity.name


def heart_rate_field(label: str, which: str) -> forms.IntegerField:
    """Optional, in beats per minute, from a watch or a pulse count."""
    out_of_range = (
        f"Enter your {which} heart rate in beats per minute, between {HEART_RATE_MIN} and "
        f"{HEART_RATE_MAX}, or leave it empty."
    )
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=HEART_RATE_MIN,
        max_value=HEART_RATE_MAX,
        help_text="Beats per minute.",
        error_messages={
            "invalid": f"Enter your {which} heart rate as a whole number, such as 110, or "
            "leave it empty.",
            "min_value": out_of_range,
            "max_value": out_of_range,
        },
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "min": HEART_RATE_MIN, "max": HEART_RATE_MAX}
        ),
    )


def scale_field(low: int, high: int, words: dict[int, str], label: str, message: str):
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[(n, str(n)) for n in range(low, high + 1)],
        widget=TileSelect(words=words),
        error_messages={"required": message, "invalid_choice": message},
    )


class SessionLogForm(forms.Form):
    request_key = RequestKeyField()
    activity = ActivityChoiceField(
        queryset=Activity.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the activity you did.",
            "invalid_choice": "That activity is not in the list; choose one of yours.",
        },
    )
    date = forms.DateField(
        widget=DateInput(),
        error_messages={
            "required": "Enter the day you exercised.",
            "invalid": "Enter a date, for example 21/11/2026.",
        },
    )
    start_time = forms.TimeField(
        label="Start time (optional)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": "Enter a time such as 09:30, or leave it empty."},
    )
    minutes = forms.IntegerField(
        min_value=1,
        max_value=LONGEST_LOGGED_MINUTES,
        error_messages={
            "required": "Enter how many minutes you exercised.",
            "invalid": "Enter the minutes as a whole number, such as 20.",
            "min_value": "Minutes must be at least 1.",
            "max_value": f"Minutes can be at most {LONGEST_LOGGED_MINUTES}. "
            "Split a longer day into separate sessions.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 300}),
    )
    distance = forms.DecimalField(
        label="Distance (optional)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the distance as a number, such as 2.5, or leave it empty.",
            "min_value": "Enter a distance above 0, or leave it empty.",
            "max_digits": "That distance is too long to be right; check it.",
            "max_decimal_places": "Use at most two decimals, such as 2.45.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": 0}),
    )
    distance_unit = forms.ChoiceField(
        label="Unit",
        choices=[("km", "km"), ("m", "m"), ("mi", "miles")],
        initial="km",
        error_messages={"invalid_choice": "Choose km, m or miles."},
    )
    average_heart_rate = heart_rate_field("Average heart rate (optional)", "average")
    highest_heart_rate = heart_rate_field("Highest heart rate (optional)", "highest")
    effort = scale_field(
        6, 20, BORG_WORDS, "How hard did it feel?", "Choose how hard it felt, from 6 to 20."
    )
    pain_before = scale_field(
        0, 10, PAIN_WORDS, "Pain before", "Choose your pain before, from 0 (none) to 10 (worst)."
    )
    pain_after = scale_field(
        0, 10, PAIN_WORDS, "Pain after", "Choose your pain after, from 0 (none) to 10 (worst)."
    )
    symptoms = forms.MultipleChoiceField(
        label="Did you notice any of these today?",
        required=False,
        choices=Symptom.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose symptoms from the list."},
    )
    danger_signs = forms.MultipleChoiceField(
        label="Right now, do you have any of these?",
        required=False,
        choices=DangerSign.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the list."},
    )
    no_danger_signs = forms.BooleanField(label="No, none of these", required=False)
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args, plan: Plan, today: dt.date, editing: SessionLog | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        show_limits(self, {"notes": "note"})
        self.plan = plan
        self.today = today
        self.editing = editing
        self.limits = Limits.of(plan.clearance)
        prescribed = [p.activity_id for p in in_force(plan.prescriptions.all(), today)]
        # The plan's activities first, then what else the clinic offers.
        activities = sorted(
            Activity.objects.filter(is_active=True),
            key=lambda a: (
                prescribed.index(a.pk) if a.pk in prescribed else len(prescribed),
                a.name,
            ),
        )
        self.fields["activity"].queryset = Activity.objects.all()
        self.fields["activity"].choices = [(a.pk, a.name) for a in activities]
        if self.heart_rate_hint:
            # Read with each field: its help, its error region, and the hint shown below both.
            for name in ("average_heart_rate", "highest_heart_rate"):
                auto_id = self[name].auto_id
                self.fields[name].widget.attrs["aria-describedby"] = (
                    f"{auto_id}_helptext {auto_id}_error heart-rate-hint"
                )
        if editing is not None:
            # The danger question belongs to the moment of logging; an edit does not ask it.
            del (
                self.fields["danger_signs"],
                self.fields["no_danger_signs"],
                self.fields["request_key"],
            )

    def check_as_you_go(self, url: str) -> None:
        """Each field is checked on the server as the patient moves on from it (htmx);
        the errors appear in the field's own region."""
        for name in (
            "activity",
            "date",
            "start_time",
            "minutes",
            "distance",
            "average_heart_rate",
            "highest_heart_rate",
        ):
            field = self[name]
            field.field.widget.attrs.update(
                {
                    "hx-post": url,
                    "hx-trigger": "change",
                    "hx-target": f"#{field.auto_id}_error",
                    "hx-swap": "innerHTML",
                }
            )

    @property
    def heart_rate_hint(self) -> str:
        """Beside the heart-rate fields: the clearance's limit, or, for a patient whose
        medicine holds the heart rate down, that effort guides instead (the clinical brief)."""
        profile = getattr(self.plan.patient, "profile", None)
        if profile is not None and profile.heart_rate_blunted:
            return "Your medicine keeps your heart rate down, so go by how hard it feels."
        if limit := self.plan.clearance.max_heart_rate:
            return f"Your doctor's clearance allows a heart rate of at most {limit}."
        return ""

    def suggest_minutes(self, suggested: dict[int, int]) -> None:
        """Each planned activity's minutes this week: shown beside the minutes, and read by
        log_form.js so that choosing another activity brings its own minutes."""
        if not suggested:
            return
        names = dict(self.fields["activity"].choices)
        field = self.fields["minutes"]
        field.widget.attrs["data-suggested-minutes"] = json.dumps(
            {str(pk): minutes for pk, minutes in suggested.items()}
        )
        planned = [f"{names[pk]} {minutes} min" for pk, minutes in suggested.items() if pk in names]
        field.help_text = f"Planned this week: {', '.join(planned)}."

    @property
    def care_team(self) -> str:
        return care_team_names(self.plan.patient)

    def clean_activity(self) -> Activity:
        activity = self.cleaned_data["activity"]
        if not activity.is_active:
            raise ValidationError(
                f"{activity.name} is no longer offered. Choose another activity, or ask "
                f"{self.care_team}."
            )
        if activity.pk not in self.limits.allowed_activity_ids or activity_problem(
            activity, self.limits
        ):
            raise ValidationError(
                f"Your physician's clearance does not include {activity.name.lower()}, so it "
                f"cannot be logged. Please do not try it before you have asked {self.care_team}."
            )
        return activity

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if day > self.today:
            raise ValidationError("The date cannot be in the future.")
        if day < self.plan.starts_on:
            raise ValidationError(
                f"Your plan started on {self.plan.starts_on:%-d %B}; "
                "sessions before then cannot be logged here."
            )
        earliest = earliest_day(self.today)
        unchanged = self.editing is not None and day == self.editing.date
        if day < earliest and not unchanged:
            raise ValidationError(
                f"Sessions can be logged up to {DAYS_BACK} days back. "
                f"For older ones, tell {self.care_team}."
            )
        return day

    def clean(self):
        data = super().clean()
        if problem := clearance_problem(self.limits, self.today):
            raise ValidationError(f"{problem} Ask {self.care_team} before you exercise.")
        if "danger_signs" in self.fields:
            signs, none = data.get("danger_signs") or [], data.get("no_danger_signs")
            if signs and none:
                self.add_error(
                    "danger_signs",
                    "You ticked a danger sign and “No, none of these”. Untick the one that "
                    "is wrong.",
                )
            elif not signs and not none:
                self.add_error(
                    "danger_signs",
                    "Answer this question: tick what you have right now, or “No, none of these”.",
                )
        average, highest = data.get("average_heart_rate"), data.get("highest_heart_rate")
        if average is not None and highest is not None and highest < average:
            self.add_error(
                "highest_heart_rate",
                f"The highest heart rate cannot be below the average ({average}). Check both.",
            )
        distance, unit = data.get("distance"), data.get("distance_unit")
        if distance is not None and unit in METRES_PER:
            metres = round(distance * METRES_PER[unit])
            if metres > LONGEST_DISTANCE_M:
                self.add_error("distance", "That distance is too long to be right; check it.")
            else:
                data["distance_m"] = metres
                data["saved_unit"] = DistanceUnit(unit)
        return data

    def entry(self) -> SessionInput:
        data = self.cleaned_data
        return SessionInput(
            activity_id=data["activity"].pk,
            date=data["date"],
            start_time=data.get("start_time"),
            minutes=data["minutes"],
            distance_m=data.get("distance_m"),
            distance_unit=data.get("saved_unit", DistanceUnit.METRES),
            average_heart_rate=data.get("average_heart_rate"),
            highest_heart_rate=data.get("highest_heart_rate"),
            effort=data["effort"],
            pain_before=data["pain_before"],
            pain_after=data["pain_after"],
            symptoms=list(data.get("symptoms") or []),
            notes=data.get("notes", ""),
        )


def care_team_names(patient) -> str:
    """'Maya Lindqvist' or 'your physiotherapist': who a patient should ask."""
    profile = getattr(patient, "profile", None)
    names = [str(physio) for physio in profile.care_team.all()] if profile else []
    return " or ".join(names) or "your physiotherapist"


def danger_signs_in(post) -> list[str]:
    """The danger signs ticked in a submitted form, read on their own: they escalate even
    when the rest of the form has mistakes."""
    return [
        code for code in dict.fromkeys(post.getlist("danger_signs")) if code in DangerSign.values
    ]


class DangerReportForm(forms.Form):
    request_key = RequestKeyField()
    danger_signs = forms.MultipleChoiceField(
        label="Which of these do you have right now?",
        choices=DangerSign.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Tick at least one sign. If you are unsure, call for help anyway.",
            "invalid_choice": "Choose from the list.",
        },
    )
    notes = forms.CharField(
        label="Anything else (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self, {"notes": "note"})


class AcknowledgeForm(forms.Form):
    """Close an alert, or keep it open with a call that found nobody. A danger-sign alert is
    closed only with a note of what was done or advised."""

    DONE = "done"
    NO_ANSWER = "no_answer"

    outcome = forms.ChoiceField(
        choices=[(DONE, "Acknowledge"), (NO_ANSWER, "Tried to call, no answer")],
        required=False,
        error_messages={"invalid_choice": "Choose to acknowledge, or that nobody answered."},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, alert: Alert | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self, {"note": "note"})
        self.alert = alert

    def clean(self):
        data = super().clean()
        data["outcome"] = data.get("outcome") or self.DONE
        danger = self.alert is not None and self.alert.kind == AlertKind.DANGER_SIGN
        if data["outcome"] == self.DONE and danger and not data.get("note", "").strip():
            self.add_error(
                "note",
                "Write what you did or advised before you close a danger-sign alert, for "
                "example “Called her; advised 112, ambulance on its way”. If nobody answered, "
                "press “Tried to call, no answer”.",
            )
        return data

    @property
    def gave_up_calling(self) -> bool:
        return self.cleaned_data["outcome"] == self.NO_ANSWER
