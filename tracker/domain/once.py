"""Double submission saves once.

Each create form carries a fresh random key (`request_key`). The key is unique in the
database, so a second submission of the same form (a double tap, a retry after a dropped
connection, the back button) finds the record the first one saved instead of saving another.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django import forms
from django.db import IntegrityError, models, transaction


class RequestKeyField(forms.UUIDField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


def save_once[M: models.Model](
    model: type[M], key: uuid.UUID | None, create: Callable[[], M]
) -> tuple[M, bool]:
    """Run `create` (which saves a `model` with `request_key=key`) unless a record with this
    key exists. Returns the record and whether this call created it."""
    if key is not None:
        existing = model._default_manager.filter(request_key=key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        # The twin submission may have won the race between our check and our insert;
        # any other broken rule is a real error.
        if key is None:
            raise
        try:
            return model._default_manager.get(request_key=key), False
        except model.DoesNotExist:
            raise IntegrityError(
                f"{model.__name__} not saved: a database rule refused it"
            ) from None
