"""An invitation: staff add a person, who chooses their own password through a one-time
link. Nobody types another person's password."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class InvitationQuerySet(models.QuerySet):
    def waiting(self) -> InvitationQuerySet:
        """Sent, not yet accepted, not revoked (expired ones included: they can be resent)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    # The account made for the invited person, with no usable password until they accept.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Random, renewed on every resend: a link carries it signed, so an older link stops working.
    nonce = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["user", "accepted_at"])]

    def __str__(self) -> str:
        return f"Invitation for {self.user}"
