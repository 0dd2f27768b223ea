"""The admin's accounts: users of every role and patients' profiles."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.accounts import two_factor
from tracker.admin.audit import AuditedAdmin
from tracker.domain.invitations import invite
from tracker.forms.contact import NORM_ERRORS
from tracker.forms.invitations import AdminInviteForm
from tracker.models import (
    PatientProfile,
    Role,
    User,
)


class PatientProfileForm(forms.ModelForm):
    """The profile as the admin edits it: the norms' ranges refused in words."""

    class Meta:
        model = PatientProfile
        fields = "__all__"  # noqa: DJ007 (the admin chooses the fields it shows)
        error_messages = NORM_ERRORS


class PatientProfileInline(admin.StackedInline):
    model = PatientProfile
    form = PatientProfileForm
    fk_name = "user"
    can_delete = False
    filter_horizontal = ("care_team",)
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    audit_what = "account"
    list_display = (
        "username",
        "first_name",
        "last_name",
        "role",
        "email",
        "is_active",
        "two_factor_column",
    )
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("last_name", "first_name")
    fieldsets = (
        (None, {"fields": ("username", "password", "role")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email")}),
        ("Status", {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    # Adding an account invites the person, who chooses their own password from the e-mail.
    add_form = AdminInviteForm
    add_form_template = "admin/change_form.html"
    add_fieldsets = (
        (
            None,
            {
                "fields": ("request_key", "role", "first_name", "last_name", "email"),
                "description": "They get an e-mail with a link to choose their own password. "
                "A patient's profile and care team are set on the next page.",
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ("reset_two_factor",)

    def get_queryset(self, request):
        # Whether each account has an authenticator app, for the list: in the page's one query.
        apps = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(two_factor=Exists(apps))

    @admin.display(description="Two-factor", ordering="two_factor")
    def two_factor_column(self, user: User) -> str:
        if user.two_factor:
            return "Set up"
        return "Not set up" if two_factor.required_for(user) else "—"

    @admin.action(description="Reset two-factor sign-in (a lost phone)")
    def reset_two_factor(self, request, queryset):
        users = list(queryset.order_by("last_name", "first_name", "pk"))
        if request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Reset two-factor sign-in?",
                "opts": self.model._meta,
                "users": users,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/tracker/user/reset_two_factor_confirmation.html", context
            )
        reset = [user for user in users if two_factor.reset(actor=request.user, user=user)]
        self.message_user(
            request,
            f"Two-factor sign-in reset for {len(reset)} account{pluralize(len(reset))}: they "
            "set up an authenticator app again at their next page or sign-in.",
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.by = request.user
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        invitation, _ = invite(by=request.user, **form.invitation())
        # The admin goes on with the account the invitation made: its log entry, its page.
        vars(obj).update(vars(invitation.user))
        return None

    def log_addition(self, request, obj, message):
        # The invitation recorded the new account in the audit trail already.
        return super(AuditedAdmin, self).log_addition(request, obj, message)

    def get_inlines(self, request, obj):
        return [PatientProfileInline] if obj is not None and obj.is_patient else []

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The `patient` pickers on clearances and plans (autocomplete) offer patients only.
        if request.GET.get("app_label") == "tracker" and request.GET.get("field_name") == "patient":
            queryset = queryset.filter(role=Role.PATIENT)
        return queryset, may_have_duplicates


@admin.register(PatientProfile)
class PatientProfileAdmin(AuditedAdmin, admin.ModelAdmin):
    audit_what = "profile"
    form = PatientProfileForm
    list_display = ("user", "atrophy_kind", "affected_region", "affected_side", "care_team_names")
    list_filter = ("atrophy_kind", "affected_region", "heart_rate_blunted", "care_team")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    filter_horizontal = ("care_team",)
    autocomplete_fields = ("user",)
    list_select_related = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("care_team")

    @admin.display(description="Care team")
    def care_team_names(self, profile: PatientProfile) -> str:
        return ", ".join(str(physio) for physio in profile.care_team.all()) or "—"


# django-otp's own pages show every device's secret (the key, its QR code, the recovery codes):
# an admin who read a colleague's could sign in as them. Devices are set up by their owner and
# reset by the action above, so those pages are not offered at all.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
