"""The code typed at two-factor sign-in: from the authenticator app, or a recovery code."""

from __future__ import annotations

from django import forms
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.accounts import two_factor
from tracker.models import User


class CodeForm(forms.Form):
    """Valid when the code is accepted; `device` is then the device that accepted it. Setting
    up checks only the app being set up (`setting_up`) and takes no recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        strip=True,
        error_messages={"required": "Type the code your authenticator app shows."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, user: User, setting_up: TOTPDevice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.setting_up = setting_up
        self.device = None
        code = self.fields["code"]
        if setting_up is not None:
            code.widget.attrs["inputmode"] = "numeric"
            code.help_text = "The 6 digits your app shows for this account."
        else:
            code.help_text = "The 6 digits your app shows now, or one of your recovery codes."

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        result = two_factor.check_code(user=self.user, code=code, device=self.setting_up)
        if isinstance(result, two_factor.Refusal):
            # The page opens on the box with its message, the typed code kept in it.
            self.fields["code"].widget.attrs["autofocus"] = True
            raise forms.ValidationError(result.message)
        self.device = result
        return code
