"""Patients' requests to close their account: the open ones first, completed by the action
"Close these accounts" (or a waiting request's own "Close this account…" button, the same
action for that one) after a confirm page that says what the clinic's retention setting
(CLOSED_ACCOUNT_RECORDS) will do. Completing is `tracker.domain.closing.complete_closure`;
requests are made and withdrawn by the patient only, never added, edited or deleted here."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import F
from django.template.response import TemplateResponse

from tracker.admin.audit import AuditedAdmin
from tracker.domain.closing import (
    KEPT,
    REQUEST,
    ClosureRefused,
    complete_closure,
    open_alerts_refusal,
)
from tracker.models import AccountClosure, AlertKind, Role
from tracker.queries.closing import open_alert_kinds


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting"), ("closed", "Closed")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(completed_at__isnull=True)
        if self.value() == "closed":
            return queryset.filter(completed_at__isnull=False)
        return queryset


@admin.register(AccountClosure)
class AccountClosureAdmin(AuditedAdmin, admin.ModelAdmin):
    audit_what = REQUEST
    list_display = ("patient_name", "requested_at", "status", "completed_at", "completed_by")
    list_filter = (StatusFilter,)
    list_select_related = ("completed_by",)
    search_fields = ("patient_name",)
    # Waiting requests first (a NULL completion sorts first on every database), oldest first.
    ordering = (F("completed_at").asc(nulls_first=True), "requested_at", "pk")
    fields = ("patient", "patient_name", "reason", "requested_at", "status", "completed_at")
    readonly_fields = fields
    actions = ["close_accounts"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_close_permission(self, request) -> bool:
        return request.user.role == Role.ADMIN

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The request's own page offers the list's action for this one request (its
        # confirm page first), so an admin who opens a request can complete it from there.
        extra_context = {**(extra_context or {}), "can_close": self.has_close_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="status")
    def status(self, closure: AccountClosure) -> str:
        if closure.completed_at is None:
            return "Waiting"
        return "Closed, record kept" if closure.outcome == KEPT else "Closed, record removed"

    @admin.action(description="Close these accounts", permissions=["close"])
    def close_accounts(self, request, queryset):
        closures = list(queryset.select_related("patient").order_by("requested_at", "pk"))
        if request.POST.get("post") != "yes":
            # What the admin should know first: each one's open alerts, and which of them
            # the completion will refuse (an open danger sign).
            kinds = open_alert_kinds(c.patient_id for c in closures if c.patient_id)
            labels = dict(AlertKind.choices)
            for closure in closures:
                found = kinds.get(closure.patient_id, [])
                closure.open_alerts = [labels[kind] for kind in found]
                closure.refusal = open_alerts_refusal(closure.patient_name, found)
            context = {
                **self.admin_site.each_context(request),
                "title": "Close these accounts?",
                "opts": self.model._meta,
                "closures": closures,
                "setting": settings.CLOSED_ACCOUNT_RECORDS,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/tracker/accountclosure/close_confirmation.html", context
            )
        closed = 0
        for closure in closures:
            try:
                outcome = complete_closure(by=request.user, closure=closure)
            except ClosureRefused as refused:
                self.message_user(request, str(refused), level=messages.ERROR)
            else:
                closed += 1
        if closed:
            accounts = "account" if closed == 1 else "accounts"
            records = "its record" if closed == 1 else "their records"
            self.message_user(
                request, f"{closed} {accounts} closed; {records} {outcome}.", level=messages.SUCCESS
            )
        return None
