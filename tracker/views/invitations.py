"""Invitations: staff add a patient (a physiotherapist to their own caseload, an admin to any
care team) or, admins, a member of staff; see who has not accepted yet, resend or revoke. The
invited person opens the link, signed out, and chooses their own password."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracker.access import admin_required, clinician_required, invitation_for, role_setup
from tracker.domain.invitations import (
    AddressTaken,
    LinkRefused,
    Refusal,
    accept_invitation,
    invite,
    invite_again,
    read_link,
    resend_invitation,
    revoke_invitation,
)
from tracker.forms import care_team_names
from tracker.forms.invitations import (
    ADDRESS_TAKEN,
    ChoosePasswordForm,
    PatientInviteForm,
    PersonFields,
    StaffInviteForm,
)
from tracker.models import Invitation
from tracker.queries.invitations import waiting_for, withdrawn_for

SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _sent(request: HttpRequest, invitation: Invitation, *, created: bool) -> HttpResponse:
    user = invitation.user
    if created:
        messages.success(
            request,
            f"Invitation sent to {user.display_name} at {user.email}. The link works until "
            f"{timezone.localtime(invitation.expires_at):%A %-d %B}.",
        )
    return redirect("invitations")


def _invite_page(request: HttpRequest, form: PersonFields, *, staff: bool) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            invitation, created = invite(by=request.user, **form.invitation())
        except AddressTaken:  # taken between the form's check and the insert
            form.add_error("email", ADDRESS_TAKEN)
        else:
            return _sent(request, invitation, created=created)
    return render(
        request,
        "tracker/invitations/invite.html",
        {"form": form, "staff": staff, "days": settings.INVITATION_DAYS},
    )


@require_http_methods(["GET", "POST"])
@clinician_required
def invite_patient_view(request: HttpRequest) -> HttpResponse:
    form = PatientInviteForm(request.POST or None, by=request.user)
    return _invite_page(request, form, staff=False)


@require_http_methods(["GET", "POST"])
@admin_required
def invite_staff_view(request: HttpRequest) -> HttpResponse:
    form = StaffInviteForm(request.POST or None, by=request.user)
    return _invite_page(request, form, staff=True)


@require_GET
@clinician_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    waiting = list(waiting_for(request.user))
    return render(
        request,
        "tracker/invitations/list.html",
        {
            "invitations": waiting,
            "withdrawn": list(withdrawn_for(request.user)),
            "now": timezone.now(),
            "days": settings.INVITATION_DAYS,
        },
    )


@require_POST
@clinician_required
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_for(request.user, pk)
    # The time the page showed it sent: a second tap on Resend finds it sent since, and
    # sends nothing more.
    shown = parse_datetime(request.POST.get("sent_at", "") or "")
    if resend_invitation(by=request.user, invitation=invitation, shown_sent_at=shown):
        messages.success(
            request,
            f"A new invitation is on its way to {invitation.user.display_name}. The link in "
            "the earlier e-mail no longer works.",
        )
    elif invitation.accepted_at or invitation.revoked_at:
        messages.info(request, _settled(invitation))
    return redirect("invitations")


@require_POST
@clinician_required
def invitation_invite_again(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_for(request.user, pk)
    again = invite_again(by=request.user, invitation=invitation)
    person = invitation.user
    if again is not None:
        messages.success(
            request, f"A new invitation is on its way to {person.display_name} at {person.email}."
        )
    elif invitation.accepted_at:
        messages.info(request, _settled(invitation))
    elif invitation.revoked_at:
        messages.info(request, f"{person.display_name} has a newer invitation already.")
    else:
        messages.info(request, f"The invitation for {person.display_name} is still waiting.")
    return redirect("invitations")


def _settled(invitation: Invitation) -> str:
    name = invitation.user.display_name
    if invitation.accepted_at:
        return f"{name} has already accepted the invitation."
    return f"The invitation for {name} was withdrawn."


@require_http_methods(["GET", "POST"])
@clinician_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_for(request.user, pk)
    if invitation.accepted_at or invitation.revoked_at:
        messages.info(request, _settled(invitation))
        return redirect("invitations")
    if request.method == "POST":
        revoke_invitation(by=request.user, invitation=invitation)
        messages.success(
            request,
            f"Invitation for {invitation.user.display_name} withdrawn. The link no longer works.",
        )
        return redirect("invitations")
    return render(request, "tracker/invitations/revoke.html", {"invitation": invitation})


def _who_to_ask(invitation: Invitation | None) -> str:
    """Who an invited person asks for a new link: a patient's care team, or whoever invited
    them."""
    if invitation is None:
        return "the person who invited you"
    profile = getattr(invitation.user, "profile", None) if invitation.user.is_patient else None
    if profile is not None and profile.care_team.exists():
        return care_team_names(invitation.user)
    return invitation.invited_by.display_name if invitation.invited_by else "the clinic"


REFUSED_STATUS = {Refusal.TAMPERED: 404}


def _refused(request: HttpRequest, refused: LinkRefused) -> HttpResponse:
    return render(
        request,
        "tracker/invitations/refused.html",
        {
            "reason": refused.reason,
            "invitation": refused.invitation,
            "ask": _who_to_ask(refused.invitation),
        },
        status=REFUSED_STATUS.get(refused.reason, 410),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = read_link(token)
    except LinkRefused as refused:
        mine = refused.invitation is not None and refused.invitation.user_id == request.user.pk
        if mine:  # the second tap of "Save", after the first signed them in
            return redirect(role_setup(request.user).home)
        if request.user.is_authenticated:
            return _signed_in(request)
        return _refused(request, refused)
    if request.user.is_authenticated:
        # Someone else's link opened in a signed-in browser: accepting it would sign this
        # person out and the invited person in. Ask them to sign out first; nothing changes.
        return _signed_in(request)
    form = ChoosePasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except LinkRefused as refused:
            return _refused(request, refused)
        login(request, user, backend=SIGN_IN_BACKEND)
        messages.success(
            request,
            f"Welcome, {user.first_name or user.display_name}. Your password is saved and you "
            f"are signed in. Next time, sign in with {user.username} and this password.",
        )
        return redirect(role_setup(user).home)
    return render(
        request,
        "tracker/invitations/accept.html",
        {"form": form, "invitation": invitation, "invited": invitation.user},
    )


def _signed_in(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracker/invitations/signed_in.html",
        {"link": request.get_full_path()},
        status=403,
    )


urlpatterns = [
    path("invitations/", invitation_list, name="invitations"),
    path("invitations/patient/", invite_patient_view, name="invite_patient"),
    path("invitations/staff/", invite_staff_view, name="invite_staff"),
    path("invitations/<int:pk>/resend/", invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", invitation_revoke, name="invitation_revoke"),
    path("invitations/<int:pk>/again/", invitation_invite_again, name="invitation_invite_again"),
    path("invitation/<str:token>/", invitation_accept, name="invitation_accept"),
]
