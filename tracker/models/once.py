"""What a record saved once carries: the random key of the form that created it."""

from __future__ import annotations

from django.db import models


class SavedOnce(models.Model):
    """A record that a form creates, which a second submission of the same form (a double tap,
    a retry, the back button) must find instead of creating again: see domain/once.py."""

    request_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        abstract = True
