"""Each changelist of the admin opens sorted by an index: its default order's columns lead an
index of the table, so a page of 100 is read by the index, not sorted out of every row."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tracker.models import AccountClosure, Activity, PlanTemplate

# The catalogue (a few dozen rows) and the requests to close an account (a few a month, the
# waiting ones first by an expression): sorted in memory.
SMALL = {AccountClosure, Activity, PlanTemplate}


def column(model, name: str) -> str:
    name = name.lstrip("-")
    return model._meta.pk.column if name == "pk" else model._meta.get_field(name).column


def indexed_orders(model) -> list[list[str]]:
    """The column lists each index of `model` begins with (one-column ones included)."""
    orders = [[column(model, f.lstrip("-")) for f in index.fields] for index in model._meta.indexes]
    orders += [[field.column] for field in model._meta.fields if field.db_index or field.unique]
    return orders


@pytest.mark.parametrize(
    "model_admin",
    [m for model, m in admin.site._registry.items() if model.__module__.startswith("tracker")],
    ids=lambda m: m.model.__name__,
)
def test_a_changelist_opens_in_an_order_an_index_serves(model_admin, admin_user):
    model = model_admin.model
    if model in SMALL:
        pytest.skip("a small table")
    request = RequestFactory().get("/")
    request.user = admin_user
    ordering = list(model_admin.get_ordering(request) or model._meta.ordering or ["-pk"])
    wanted = [column(model, name) for name in ordering]

    assert any(wanted[: len(index)] == index[: len(wanted)] for index in indexed_orders(model)), (
        f"{model.__name__} opens sorted by {ordering}, which no index of the table leads with"
    )
