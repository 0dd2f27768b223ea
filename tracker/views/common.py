from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from tracker.access import role_setup
from tracker.accounts.sign_in import SignInForm
from tracker.views.danger import pending_for_sign_in


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(role_setup(request.user).home)


class SignInView(LoginView):
    """Django's sign-in page, which first shows danger signs sent while signed out: the call
    button, and that they go to the care team once the patient has signed in."""

    redirect_authenticated_user = True
    authentication_form = SignInForm

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "pending": pending_for_sign_in(self.request)}
