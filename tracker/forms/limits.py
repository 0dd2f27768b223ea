"""Free text has a limit that people can see, and nothing is ever cut to fit it.

A `maxlength` attribute made the browser drop whatever went past it (Chromium counts a line
break as two, so a long pasted note lost more than expected), without a word. Here the limit
is stated beside the field, the browser is not told to cut, and the server refuses a text that
is too long with a message at the field, the text kept for shortening."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

NOTE_LIMIT = 2000


def characters(text: str) -> int:
    """The length a person sees: a line break is one character, however the browser sent it."""
    return len(text.replace("\r\n", "\n"))


class TextLimit:
    """A validator stating the limit in words: "This note is 3,800 characters; the most is
    2,000. Shorten it and save again." """

    def __init__(self, limit: int, noun: str):
        self.limit, self.noun = limit, noun

    def __call__(self, value: str) -> None:
        length = characters(value or "")
        if length > self.limit:
            raise ValidationError(
                f"This {self.noun} is {length:,} characters; the most is {self.limit:,}. "
                "Shorten it and save again.",
                code="too_long",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, TextLimit) and (other.limit, other.noun) == (self.limit, self.noun)


def limit_help(limit: int) -> str:
    return f"Up to {limit:,} characters."


def show_limits(form: forms.BaseForm, nouns: dict[str, str], limits: dict[str, int] | None = None):
    """Give each named text field of `form` its visible limit: `nouns` names what the field
    holds ("note", "comment"), `limits` sets one where the model has none (a TextField)."""
    limits = limits or {}
    for name, noun in nouns.items():
        field = form.fields.get(name)
        if field is None:
            continue
        limit = limits.get(name) or field.max_length
        field.max_length = limit
        field.validators = [
            v for v in field.validators if not isinstance(v, MaxLengthValidator | TextLimit)
        ] + [TextLimit(limit, noun)]
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs["data-limit"] = str(limit)
        said = limit_help(limit)
        if said not in str(field.help_text):
            field.help_text = f"{field.help_text} {said}".strip()
