"""The invitations staff see waiting: who has not chosen a password yet, with their care team
and what became of the latest e-mail, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import (
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat

from tracker.access import invitations_visible_to
from tracker.domain.invitations import EMAIL_KEY_PREFIX
from tracker.models import Invitation, OutgoingEmail, User


def waiting_for(user: User) -> QuerySet[Invitation]:
    """The invitations `user` may act on that nobody has accepted, revoked or deactivated,
    newest first; each with `email_status`, its latest e-mail's (None before it is written)."""
    # The e-mail of the invitation as it now is: its key names the current nonce.
    key = Concat(
        Value(EMAIL_KEY_PREFIX),
        Cast(OuterRef("pk"), CharField()),
        Value(":"),
        OuterRef("nonce"),
        output_field=CharField(),
    )
    care_teams = Prefetch(
        "user__profile__care_team",
        queryset=User.objects.order_by("last_name", "first_name", "pk"),
    )
    return (
        invitations_visible_to(user)
        .waiting()
        .filter(user__is_active=True)
        .select_related("user__profile", "invited_by")
        .prefetch_related(care_teams)
        .annotate(email_status=Subquery(OutgoingEmail.objects.filter(key=key).values("status")[:1]))
    )


def withdrawn_for(user: User) -> QuerySet[Invitation]:
    """The withdrawn invitations `user` may act on whose person never joined and was not
    invited since (each person's latest invitation, withdrawn), newest first: the ones to
    invite again."""
    later = Invitation.objects.filter(user=OuterRef("user_id"), pk__gt=OuterRef("pk"))
    joined = Invitation.objects.filter(user=OuterRef("user_id"), accepted_at__isnull=False)
    return (
        invitations_visible_to(user)
        .filter(revoked_at__isnull=False, user__is_active=True)
        .exclude(Exists(later))
        .exclude(Exists(joined))
        .select_related("user", "revoked_by")
        .order_by("-revoked_at", "-pk")
    )
