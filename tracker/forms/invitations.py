"""Inviting people: a patient (with what the care team needs of their profile at the start,
and, for an admin, the care team), a member of staff, and the invited person choosing their
own password."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from tracker.domain.invitations import PROFILE_FIELDS, sent_before, taken
from tracker.domain.once import RequestKeyField
from tracker.forms.limits import show_limits
from tracker.models import PatientProfile, Role, User

# What every invitation form hands the domain: who, and the form's key.
PERSON = ("first_name", "last_name", "email", "request_key")

ADDRESS_TAKEN = (
    "An account already uses this e-mail address. Find the person in the caseload, or ask an "
    "admin if the account should be changed."
)


class AddressFree:
    """A form whose `email` no account uses yet, unless the account is the one this same form
    made when it was sent before (a double tap, a retry). Needs `by`, the person inviting."""

    by: User

    def clean(self):
        data = super().clean()
        email = data.get("email")
        key = data.get("request_key")
        if email and taken(email) and sent_before(by=self.by, request_key=key) is None:
            self.add_error("email", ADDRESS_TAKEN)
        return data


class PersonFields(AddressFree, forms.Form):
    """Who is invited: their name, and the address the invitation goes to, which is also the
    name they sign in with. Needs `by`, the person inviting."""

    request_key = RequestKeyField()
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name."}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter their last name."}
    )
    email = forms.EmailField(
        label="E-mail address",
        max_length=150,
        help_text="The invitation goes here. It is also the name they sign in with.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter the e-mail address the invitation goes to.",
            "invalid": "Enter the whole e-mail address, with the @ and the part after it.",
        },
    )

    def __init__(self, *args, by: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        show_limits(self, {"first_name": "name", "last_name": "name", "email": "address"})

    def clean(self):
        data = super().clean()
        for name in ("first_name", "last_name"):
            if isinstance(data.get(name), str):
                data[name] = " ".join(data[name].split())
        return data

    def invitation(self) -> dict:
        """What domain.invitations.invite takes, besides who invites."""
        return {name: self.cleaned_data[name] for name in PERSON}


class PatientInviteForm(PersonFields, forms.ModelForm):
    """A new patient. A physiotherapist adds them to their own caseload; an admin chooses the
    care team (`care_team` is then a field)."""

    care_team = forms.ModelMultipleChoiceField(
        label="Care team",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The physiotherapists who will see this patient's record.",
        error_messages={"required": "Choose at least one physiotherapist."},
    )

    class Meta:
        model = PatientProfile
        fields = list(PROFILE_FIELDS)
        labels = {
            "phone": "Phone number",
            "atrophy_kind": "Kind of atrophy",
            "cause": "Cause",
            "affected_region": "Affected region",
            "affected_side": "Affected side",
        }
        help_texts = {"phone": "The number the care team calls back after a danger sign."}
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def __init__(self, *args, by: User, **kwargs):
        super().__init__(*args, by=by, **kwargs)
        if by.role == Role.ADMIN:
            self.fields["care_team"].queryset = User.objects.filter(
                role=Role.PHYSIOTHERAPIST, is_active=True
            ).order_by("last_name", "first_name", "pk")
        else:
            del self.fields["care_team"]
        for name in ("cause", "affected_region", "affected_side"):
            self.fields[name].choices = [("", "Not yet known"), *self.fields[name].choices[1:]]
        show_limits(self, {"phone": "phone number"})

    def clean_phone(self) -> str:
        return " ".join(self.cleaned_data["phone"].split())

    def invitation(self) -> dict:
        # A physiotherapist adds the patient to their own caseload; an admin to the team chosen.
        team = self.cleaned_data["care_team"] if "care_team" in self.fields else [self.by]
        return {
            **super().invitation(),
            "role": Role.PATIENT,
            "profile": {name: self.cleaned_data[name] for name in PROFILE_FIELDS},
            "care_team": list(team),
        }


class StaffInviteForm(PersonFields):
    role = forms.ChoiceField(
        label="Role",
        choices=[(Role.PHYSIOTHERAPIST, "Physiotherapist"), (Role.ADMIN, "Admin")],
        widget=forms.RadioSelect,
        initial=Role.PHYSIOTHERAPIST,
        help_text="An admin sees every patient and works in the admin site.",
    )

    def invitation(self) -> dict:
        return {**super().invitation(), "role": Role(self.cleaned_data["role"])}


class ChoosePasswordForm(SetPasswordForm):
    """The password typed twice, checked by the site's password rules."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type it again"
        self.fields["new_password2"].help_text = ""

    def validate_password_for_user(self, user, password_field_name="new_password2"):
        """The rules' refusals at the password chosen, where the rules are shown, not at
        "Type it again" (Django's place); once both were typed the same."""
        if password_field_name in self.cleaned_data:
            super().validate_password_for_user(user, password_field_name="new_password1")


class AdminInviteForm(AddressFree, forms.ModelForm):
    """The Django admin's "Add user": name, e-mail and role, and the invitation instead of a
    password (nobody types another person's password)."""

    request_key = RequestKeyField()
    by: User  # set by the admin's get_form

    class Meta:
        model = User
        fields = ("role", "first_name", "last_name", "email")
        help_texts = {
            "email": "The invitation goes here, with a link to choose their own password. It "
            "is also the name they sign in with.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        # The address is the username, which holds 150 characters.
        show_limits(
            self, {"first_name": "name", "last_name": "name", "email": "address"}, {"email": 150}
        )

    def invitation(self) -> dict:
        return {
            **{name: self.cleaned_data.get(name) for name in PERSON},
            "role": Role(self.cleaned_data["role"]),
        }
