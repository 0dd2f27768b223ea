"""Django's admin, where admins manage accounts, the catalogue, clearances, templates and plans.

Plans follow the same rules here as in the app: a plan's status changes only through the
actions below, which call `tracker.plans.change_status`, and prescriptions are checked
against the plan's clearance by `tracker.plans.prescription_problems`.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from tracker.admin.audit import AuditedAdmin
from tracker.domain.plans import PlanRefused, change_status
from tracker.forms.plans import ClearanceRules
from tracker.models import (
    Activity,
    Clearance,
    Plan,
    PlanStatus,
    PlanTemplate,
    Prescription,
    Role,
    TemplatePrescription,
    User,
)
from tracker.rules.plans import Limits, prescription_problems


class PatientsOnlyMixin:
    """The `patient` foreign key accepts patients only."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "patient":
            kwargs["queryset"] = User.objects.filter(role=Role.PATIENT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("name", "impact", "weight_bearing", "met", "is_active")
    list_editable = ("is_active",)
    list_filter = ("impact", "weight_bearing", "is_active")
    search_fields = ("name", "description")


class ClearanceForm(ClearanceRules, forms.ModelForm):
    class Meta:
        widgets = {"letter": forms.FileInput}  # the stored file is linked from letter_link

    def clean(self):
        cleaned_data = super().clean()
        # Also a check constraint; said here at the field instead of as "constraint violated".
        self.check_dates(cleaned_data)
        return cleaned_data


@admin.register(Clearance)
class ClearanceAdmin(AuditedAdmin, PatientsOnlyMixin, admin.ModelAdmin):
    audit_what = "clearance"
    form = ClearanceForm
    list_display = ("patient", "physician_name", "cleared_on", "valid_until", "is_current")
    list_filter = ("valid_until", "high_impact_allowed")
    search_fields = (
        "patient__first_name",
        "patient__last_name",
        "patient__username",
        "physician_name",
        "physician_registration",
    )
    list_select_related = ("patient",)
    autocomplete_fields = ("patient",)
    filter_horizontal = ("activities",)
    fieldsets = (
        (None, {"fields": ("patient",)}),
        (
            "Physician",
            {"fields": ("physician_name", "physician_registration", "cleared_on", "valid_until")},
        ),
        (
            "What is allowed",
            {
                "fields": (
                    "activities",
                    "max_session_minutes",
                    "max_heart_rate",
                    "high_impact_allowed",
                    "weight_bearing_allowed",
                    "restrictions",
                )
            },
        ),
        ("Letter", {"fields": ("letter_link", "letter")}),
        ("Record", {"fields": ("recorded_by", "recorded_at")}),
    )
    readonly_fields = ("recorded_by", "recorded_at", "letter_link")

    @admin.display(description="Letter on file")
    def letter_link(self, clearance: Clearance) -> str:
        # Served by the app's own view, which checks who may see it, never as a media URL.
        if not clearance.pk or not clearance.letter:
            return "—"
        return format_html(
            '<a href="{}">Open the letter</a>', reverse("clearance_letter", args=[clearance.pk])
        )

    @admin.display(description="current?", boolean=True)
    def is_current(self, clearance: Clearance) -> bool:
        return clearance.cleared_on <= timezone.localdate() <= clearance.valid_until

    def save_model(self, request, obj: Clearance, form, change: bool) -> None:
        if not change:
            obj.recorded_by = request.user
        if "letter" in form.changed_data:
            obj.letter_content_type = form.letter_content_type
        super().save_model(request, obj, form, change)


class PrescriptionFieldsForm(forms.ModelForm):
    """Range errors at their fields; the check constraints alone would say only
    "constraint violated" above the row."""

    def clean(self):
        cleaned_data = super().clean()
        start, most = cleaned_data.get("start_minutes"), cleaned_data.get("max_minutes")
        if start is not None and most is not None and most < start:
            self.add_error("max_minutes", f"Must be at least the minutes at the start ({start}).")
        low, high = cleaned_data.get("effort_min"), cleaned_data.get("effort_max")
        if low is not None and high is not None and high < low:
            self.add_error("effort_max", f"Must be at least the lowest effort ({low}).")
        return cleaned_data


class PrescriptionFormSet(BaseInlineFormSet):
    """Checks every prescription against the clearance of the plan (`self.instance`)."""

    def clean(self) -> None:
        super().clean()
        plan: Plan = self.instance
        if plan.clearance_id is None:  # the plan's own form already says what is missing
            return
        limits = Limits.of(plan.clearance)
        kept = 0
        for form in self.forms:
            if self._should_delete_form(form) or not form.cleaned_data:
                continue
            kept += 1
            if (activity := form.cleaned_data.get("activity")) is None:
                continue
            problems = prescription_problems(
                activity=activity,
                start_minutes=form.cleaned_data.get("start_minutes"),
                max_minutes=form.cleaned_data.get("max_minutes"),
                limits=limits,
            )
            for field, reason in problems.items():
                form.add_error(field, reason)
        if plan.status == PlanStatus.ACTIVE and kept == 0:
            raise forms.ValidationError("An active plan needs at least one activity.")


# Stacked, not tabular: a tabular inline's fields have only a column heading, no label of
# their own, so a screen reader announces them nameless.
PRESCRIPTION_ROWS = [
    (
        None,
        {
            "fields": [
                "activity",
                ("sessions_per_week", "weekly_progression_percent"),
                ("start_minutes", "max_minutes"),
                ("effort_min", "effort_max"),
                "note",
            ]
        },
    )
]


class PrescriptionInline(admin.StackedInline):
    model = Prescription
    form = PrescriptionFieldsForm
    formset = PrescriptionFormSet
    fieldsets = PRESCRIPTION_ROWS
    extra = 1


class TemplatePrescriptionInline(admin.StackedInline):
    model = TemplatePrescription
    form = PrescriptionFieldsForm
    fieldsets = PRESCRIPTION_ROWS
    extra = 1


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "description")
    inlines = [TemplatePrescriptionInline]


class PlanForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        # Both are in the form, or neither: they are read-only once the plan leaves draft.
        patient, clearance = cleaned_data.get("patient"), cleaned_data.get("clearance")
        if patient and clearance and clearance.patient_id != patient.pk:
            self.add_error("clearance", f"This clearance was recorded for {clearance.patient}.")
        return cleaned_data


@admin.register(Plan)
class PlanAdmin(AuditedAdmin, PatientsOnlyMixin, admin.ModelAdmin):
    audit_what = "plan"
    form = PlanForm
    inlines = [PrescriptionInline]
    list_display = ("title", "patient", "status", "starts_on", "clearance_valid_until")
    list_filter = ("status",)
    search_fields = ("title", "patient__first_name", "patient__last_name", "patient__username")
    list_select_related = ("patient", "clearance")
    autocomplete_fields = ("patient",)
    actions = ["activate", "pause", "complete"]

    def get_fields(self, request, obj=None):
        fields = ["patient", "clearance", "title", "starts_on", "notes", "status"]
        return fields if obj is None else [*fields, "created_by", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # Status changes only through the actions, under the plan rules. A plan's clearance
        # (and so its patient) is settled once it leaves draft: activation checked it.
        if obj is None:
            return ["status"]
        fixed = [] if obj.status == PlanStatus.DRAFT else ["patient", "clearance"]
        return ["status", *fixed, "created_by", "created_at", "updated_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "clearance":
            kwargs["queryset"] = Clearance.objects.select_related("patient")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = clearance_choice_label
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="clearance valid until", ordering="clearance__valid_until")
    def clearance_valid_until(self, plan: Plan):
        return plan.clearance.valid_until

    def save_model(self, request, obj: Plan, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Activate", permissions=["change"])
    def activate(self, request, queryset) -> None:
        self._move(request, queryset, PlanStatus.ACTIVE, "activated")

    @admin.action(description="Pause", permissions=["change"])
    def pause(self, request, queryset) -> None:
        self._move(request, queryset, PlanStatus.PAUSED, "paused")

    @admin.action(description="Complete", permissions=["change"])
    def complete(self, request, queryset) -> None:
        self._move(request, queryset, PlanStatus.COMPLETED, "completed")

    def _move(self, request, queryset, to: PlanStatus, done: str) -> None:
        today = timezone.localdate()
        moved = 0
        for plan in queryset.select_related("patient").order_by("pk"):
            try:
                change_status(plan=plan, to=to, today=today, by=request.user)
            except PlanRefused as refused:
                reasons = " ".join(refused.problems)
                self.message_user(
                    request,
                    f"“{plan.title}” ({plan.patient}) was not {done}: {reasons}",
                    level=messages.ERROR,
                )
            else:
                moved += 1
        if moved:
            plans = "plan" if moved == 1 else "plans"
            self.message_user(request, f"{moved} {plans} {done}.", level=messages.SUCCESS)


def clearance_choice_label(clearance: Clearance) -> str:
    return (
        f"{clearance.patient}: {clearance.physician_name}, "
        f"{clearance.cleared_on:%-d %b %Y} to {clearance.valid_until:%-d %b %Y}"
    )
