"""Signing in: the form (a username or an invited person's e-mail address), and the name
django-axes counts failed attempts against."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest

from tracker.models import User


def sign_in_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The username django-axes counts failed sign-ins against, cut to the longest a username
    can be: an overlong one typed at the sign-in page must not break the count."""
    source = credentials if credentials else getattr(request, "POST", {})
    limit = User._meta.get_field("username").max_length
    return str(source.get("username", "") or "")[:limit]


class SignInForm(AuthenticationForm):
    """Django's sign-in form. An invited person's username is their e-mail address, so the
    field says both, and an address typed in another case still finds its account (only an
    account whose username it is: an address never opens someone else's)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username or e-mail address"

    def clean_username(self) -> str:
        typed = self.cleaned_data["username"]
        if "@" in typed:
            found = list(User.objects.filter(username__iexact=typed).values_list("username")[:2])
            if len(found) == 1:
                return found[0][0]
        return typed
