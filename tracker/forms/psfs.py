"""The Patient-Specific Functional Scale's forms: the patient's round (rate each activity
kept, drop one, name new ones while under five) and the plan's interval, set by the care team.
Messages are written for the patient: what is missing, and how to put it right."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from tracker.domain.once import RequestKeyField
from tracker.forms.sessions import TileSelect
from tracker.models import Plan, PsfsActivity
from tracker.models.psfs import PSFS_MOST_ACTIVITIES, PSFS_SCORE_MAX
from tracker.rules.psfs import SCORE_WORDS

NAME_LENGTH = PsfsActivity._meta.get_field("name").max_length


SCORE_LABEL = "How well can you do it now?"


def score_field(name: str, *, required: bool) -> forms.TypedChoiceField:
    """A score from 0 to 10 as tiles; `name` is the activity's, for the message."""
    message = f"Choose a score for “{name}”, from 0 (unable) to 10 (as before)."
    return forms.TypedChoiceField(
        label=SCORE_LABEL,
        coerce=int,
        required=required,
        empty_value=None,
        choices=[(n, str(n)) for n in range(PSFS_SCORE_MAX + 1)],
        widget=TileSelect(words=SCORE_WORDS),
        error_messages={"required": message, "invalid_choice": message},
    )


class PsfsForm(forms.Form):
    """Fields per activity kept: `score_<id>` and `drop_<id>`; per empty place (five at the
    first round, one later while under five): `name_<n>` and `new_score_<n>`."""

    request_key = RequestKeyField()

    def __init__(self, *args, activities: Sequence[PsfsActivity], **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = list(activities)
        self.first = not self.activities
        for activity in self.activities:
            self.fields[f"score_{activity.pk}"] = score_field(activity.name, required=False)
            self.fields[f"drop_{activity.pk}"] = forms.BooleanField(
                label="I no longer want to rate this one", required=False
            )
        places = PSFS_MOST_ACTIVITIES - len(self.activities)
        self.places = list(range(1, (places if self.first else min(places, 1)) + 1))
        for n in self.places:
            self.fields[f"name_{n}"] = forms.CharField(
                label="In your own words",
                required=False,
                max_length=NAME_LENGTH,
                error_messages={
                    "max_length": f"Keep it to {NAME_LENGTH} characters: a few words are enough."
                },
            )
            self.fields[f"new_score_{n}"] = score_field(f"activity {n}", required=False)

    def kept(self):
        """(activity, score field, drop field) for the template."""
        return [(a, self[f"score_{a.pk}"], self[f"drop_{a.pk}"]) for a in self.activities]

    def new_places(self):
        return [(n, self[f"name_{n}"], self[f"new_score_{n}"]) for n in self.places]

    # At the first round, the first two places show and the rest open on request.
    SHOWN = 2

    def more_open(self) -> bool:
        """Whether the further places start open: something was typed or refused there."""
        return any(
            self[f"{field}_{n}"].value() or f"{field}_{n}" in self.errors
            for n in self.places[self.SHOWN :]
            for field in ("name", "new_score")
        )

    def clean(self):
        data = super().clean()
        scores, dropped, named = {}, [], []
        for activity in self.activities:
            score = data.get(f"score_{activity.pk}")
            if data.get(f"drop_{activity.pk}"):
                dropped.append(activity.pk)
            elif score is None:
                if f"score_{activity.pk}" not in self.errors:
                    self.add_error(
                        f"score_{activity.pk}",
                        f"Choose a score for “{activity.name}”, from 0 to 10, or tick "
                        "“I no longer want to rate this one”.",
                    )
            else:
                scores[activity.pk] = score
        seen = {a.name.casefold() for a in self.activities}
        for n in self.places:
            name = " ".join((data.get(f"name_{n}") or "").split())
            score = data.get(f"new_score_{n}")
            if f"name_{n}" in self.errors or f"new_score_{n}" in self.errors:
                continue
            if not name and score is None:
                continue
            if not name:
                self.add_error(f"name_{n}", "Write the activity this score is for.")
            elif score is None:
                self.add_error(
                    f"new_score_{n}",
                    f"Choose a score for “{name}”, from 0 (unable) to 10 (as before).",
                )
            elif name.casefold() in seen:
                self.add_error(f"name_{n}", f"You have named “{name}” already.")
            else:
                seen.add(name.casefold())
                named.append((name, score))
        if not self.errors:
            if self.first and not named:
                self.add_error(
                    "name_1", "Name at least one activity you find hard, and give it a score."
                )
            elif not scores and not named:
                self.add_error(
                    None,
                    "Keep at least one activity to rate, or name a new one: the scale "
                    "needs one at least.",
                )
        self.scores, self.dropped, self.named = scores, dropped, named
        return data


class PsfsIntervalForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["psfs_every_weeks"]
        labels = {"psfs_every_weeks": "Ask the functional scale again every"}
        help_texts = {
            "psfs_every_weeks": "The patient rates the activities they find hard at the "
            "plan's start, then again after this many weeks."
        }
        error_messages = {
            "psfs_every_weeks": {
                "invalid_choice": "Choose 2, 4, 6 or 8 weeks.",
                "required": "Choose 2, 4, 6 or 8 weeks.",
            }
        }
