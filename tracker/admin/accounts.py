"""The admin's accounts: users of every role and patients' profiles."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from tracker.admin.audit import AuditedAdmin
from tracker.models import (
    PatientProfile,
    Role,
    User,
)


class PatientProfileInline(admin.StackedInline):
    model = PatientProfile
    fk_name = "user"
    can_delete = False
    filter_horizontal = ("care_team",)
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    audit_what = "account"
    list_display = ("username", "first_name", "last_name", "role", "email", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("last_name", "first_name")
    fieldsets = (
        (None, {"fields": ("username", "password", "role")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email")}),
        ("Status", {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "role",
                    "first_name",
                    "last_name",
                    "email",
                    "password1",
                    "password2",
                )
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

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
