"""The admin's part of the audit trail. Django's admin already tells its own log about every
addition, change and deletion (`log_addition`, `log_change`, `log_deletions`); these hooks
also write that to the patient's audit trail, and opening a patient's record to read it."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote

from tracker.admin.paginator import EstimatedCountPaginator
from tracker.domain import audit
from tracker.models import (
    AuditAction,
    AuditEvent,
    PatientProfile,
    Role,
    User,
)


class AuditedAdmin:
    """For a ModelAdmin whose objects belong to a patient. `audit_what` names the object as
    the patient reads it: "account", "profile", "clearance", "plan"."""

    audit_what = "record"

    def audited_patient(self, obj) -> User | None:
        if isinstance(obj, User):
            return obj if obj.is_patient else None
        if isinstance(obj, PatientProfile):
            return obj.user
        return getattr(obj, "patient", None)

    def _audit(self, request, obj, action: AuditAction, what: str) -> None:
        patient = self.audited_patient(obj)
        if patient is not None:
            audit.record(actor=request.user, patient=patient, action=action, what=what)

    def log_addition(self, request, obj, message):
        self._audit(request, obj, AuditAction.CHANGE, audit.NEW + self.audit_what)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, AuditAction.CHANGE, self.audit_what)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, AuditAction.CHANGE, audit.DELETED + self.audit_what)
        return super().log_deletions(request, queryset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                self._audit(request, obj, AuditAction.READ, self.audit_what)
        return super().change_view(request, object_id, form_url, extra_context)


class ActorRoleFilter(admin.SimpleListFilter):
    """The roles as fixed choices: the default filter for a field without choices reads every
    distinct value from the whole trail to offer them."""

    title = "actor role"
    parameter_name = "actor_role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(actor_role=self.value())


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The trail can be read and searched, never changed. It holds millions of rows, so its
    changelist reads one page by the index on `at`: filters with fixed choices, no date
    hierarchy (it reads the dates of the whole trail), no second count of the unfiltered trail,
    and an estimated count when unfiltered."""

    list_display = ("at", "actor_name", "actor_role", "action", "what", "patient", "address")
    list_filter = ("action", ActorRoleFilter, "at")
    search_fields = ("actor_name", "what", "patient__first_name", "patient__last_name", "path")
    list_select_related = ("patient",)
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
