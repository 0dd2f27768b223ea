"""Files from a watch or phone: the upload, each file's checks, and the answers that make one
a session. The answers are the log form's own fields and checks (forms/sessions.py); what the
file read comes from the file, never from what the browser sends back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from tracker.domain.imports import Accepted, Refusal
from tracker.forms.sessions import SessionLogForm
from tracker.integrations.activity_files.read import Reading, Unreadable, read_activity
from tracker.integrations.activity_files.sports import catalogue_name, session_noun
from tracker.models import Activity, ImportedFile, Plan
from tracker.models.sessions import LONGEST_LOGGED_MINUTES
from tracker.rules.plans import activity_problem

# What the file read, sent to the log form's checks as if typed: never shown as inputs.
READ_FIELDS = (
    "date",
    "start_time",
    "minutes",
    "distance",
    "distance_unit",
    "average_heart_rate",
    "highest_heart_rate",
)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def too_large_reason() -> str:
    return (
        f"This file is larger than {megabytes(settings.IMPORT_FILE_MAX_BYTES)}, more than any "
        "one session needs. Export only the activity itself."
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ActivityFilesField(forms.FileField):
    """One or more files, at most IMPORT_FILES_AT_ONCE."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".gpx,.tcx,.fit", "multiple": True})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and not self.required:
            return []  # every file sent was too large to keep: the form refuses each by name
        if not files:
            raise ValidationError(
                "Choose one or more files to import: GPX, TCX or FIT.", code="required"
            )
        most = settings.IMPORT_FILES_AT_ONCE
        if len(files) > most:
            raise ValidationError(
                f"You chose {len(files)} files; import at most {most} at a time. "
                "Nothing was imported: choose fewer and try again.",
                code="too_many",
            )
        return files


def session_values(reading_or_file: Reading | ImportedFile) -> dict:
    """What a recording says, as the log form's fields: the local day and time it started,
    whole minutes (at least one), the distance in km (in metres under 1 km)."""
    local = timezone.localtime(reading_or_file.started_at)
    metres = reading_or_file.distance_m
    values = {
        "date": local.date(),
        "start_time": local.time().replace(second=0, microsecond=0),
        "minutes": min(max(1, round(reading_or_file.moving_seconds / 60)), LONGEST_LOGGED_MINUTES),
        "distance": None,
        "distance_unit": "km",
        "average_heart_rate": reading_or_file.average_heart_rate,
        "highest_heart_rate": reading_or_file.highest_heart_rate,
    }
    if metres:
        if metres >= 1000:
            values["distance"] = round(Decimal(metres) / 1000, 2)
        else:
            values.update(distance=Decimal(metres), distance_unit="m")
    return values


class ImportUploadForm(forms.Form):
    files = ActivityFilesField(
        label="Files from your watch or phone",
        help_text="GPX, TCX or FIT files.",
    )

    def __init__(
        self, *args, plan: Plan, today: dt.date, too_large: list[str] = (), **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.today = today
        # Files the upload stopped reading (integrations/activity_files/uploads.py).
        self.too_large = list(too_large)
        if self.too_large:
            self.fields["files"].required = False
        most, size = settings.IMPORT_FILES_AT_ONCE, megabytes(settings.IMPORT_FILE_MAX_BYTES)
        self.fields[
            "files"
        ].help_text = f"GPX, TCX or FIT files, up to {size} each, at most {most} at a time."
        self.accepted: list[Accepted] = []
        self.refused: list[Refusal] = [
            Refusal(name=name, reason=too_large_reason()) for name in self.too_large
        ]

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data["files"]
        catalogue = {a.name: a for a in Activity.objects.filter(is_active=True)}
        log_form = SessionLogForm(plan=self.plan, today=self.today)
        for upload in files:
            try:
                self.accepted.append(self._check(upload, catalogue, log_form))
            except Unreadable as refusal:
                self.refused.append(Refusal(name=upload.name, reason=str(refusal)))
        return files

    def _check(
        self, upload: UploadedFile, catalogue: dict[str, Activity], log_form: SessionLogForm
    ) -> Accepted:
        if upload.size > settings.IMPORT_FILE_MAX_BYTES:
            raise Unreadable(too_large_reason())
        data = upload.read()
        reading = read_activity(data, upload.name)
        activity = catalogue.get(catalogue_name(reading.sport) or "")
        if problem := self._log_form_refuses(reading, activity, log_form):
            raise Unreadable(problem)
        return Accepted(name=upload.name, data=data, reading=reading, activity=activity)

    def _log_form_refuses(
        self, reading: Reading, activity: Activity | None, log_form: SessionLogForm
    ) -> str | None:
        """What the log form would say about this day and activity: its own checks, so an
        import accepts exactly what typing it in would. One log form serves the whole
        upload, so the plan's limits are read once however many files come."""
        # The day first: a file from the wrong day need not be judged on its activity too.
        checks = [("date", session_values(reading)["date"])]
        if activity is not None:
            checks.append(("activity", activity))
        for name, value in checks:
            log_form.cleaned_data = {name: value}
            try:
                getattr(log_form, f"clean_{name}")()
            except ValidationError as problem:
                if name == "activity":  # only active activities are in the catalogue
                    return beyond_clearance(value, log_form.care_team)
                return problem.messages[0]
        return None


def unknown_sport_help(sport: str, care_team: str) -> str:
    """What to do with a file whose sport is none of the catalogue's activities."""
    sport = sport.strip().lower().replace("_", " ")
    what = (
        f"Your file says {sport}, which is not an activity in your plan. If it was one of them"
        if sport and not sport.isdigit()
        else "Your file does not say which activity this was. If it was one of those in your plan"
    )
    return f"{what}, choose it; if not, discard the file and tell {care_team}."


def beyond_clearance(activity: Activity, care_team: str) -> str:
    """The log form's clearance rule, for a session a file shows was done already."""
    return (
        f"Your clearance does not include {activity.name.lower()}, so this "
        f"{session_noun(activity.name)} can't be saved here. Please tell {care_team} about it."
    )


class ImportAnswerForm(SessionLogForm):
    """The log form, for one waiting file: the patient answers effort, pain, symptoms and the
    danger question and may change the activity; the day, minutes, distance and heart rates
    are the file's."""

    def __init__(self, data=None, *, imported: ImportedFile, plan: Plan, today: dt.date, **kwargs):
        values = session_values(imported)
        if data is not None:
            data = data.copy()
            for name, value in values.items():
                data[name] = "" if value is None else str(value)
        initial = {**values, "activity": imported.activity_id}
        super().__init__(data, initial=initial, plan=plan, today=today, **kwargs)
        self.imported = imported
        self.read = values
        # Only what the clearance allows, in the log form's order.
        allowed = {
            a.pk
            for a in Activity.objects.filter(pk__in=self.limits.allowed_activity_ids)
            if not activity_problem(a, self.limits)
        }
        self.fields["activity"].choices = [
            (pk, name) for pk, name in self.fields["activity"].choices if pk in allowed
        ]
        if imported.activity_id is None:
            # Nothing is chosen for the patient: a ride must not be one tap from a walk.
            field = self.fields["activity"]
            field.choices = [("", "Choose…"), *field.choices]
            field.help_text = unknown_sport_help(imported.sport, self.care_team)

    def clean_activity(self) -> Activity:
        """The log form's check, in words for a session already done."""
        activity = self.cleaned_data["activity"]
        try:
            return super().clean_activity()
        except ValidationError:
            if not activity.is_active:
                raise
            raise ValidationError(beyond_clearance(activity, self.care_team)) from None

    @property
    def read_errors(self) -> list[str]:
        """Errors about what the file read, shown together: the patient cannot change them."""
        return [error for name in READ_FIELDS for error in self.errors.get(name, [])]
