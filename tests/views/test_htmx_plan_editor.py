"""The plan editor's one htmx path: a region only for an htmx request that swaps one; a plain
form, a boosted one and a history restore get the whole page or a redirect. Every answer says
`Vary: HX-Request`, so no cache hands a region to a page load or a page to a swap."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PrescriptionFactory,
    activity,
    prescription_form,
)
from tests.htmx import BOOSTED, HISTORY_RESTORE, HTMX, varies_on_htmx
from tracker.models import Prescription

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
ANNOUNCER = '<div id="announcer" hx-swap-oob="innerHTML">'


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(patient):
    return PlanFactory(clearance=ClearanceFactory(patient=patient, max_session_minutes=30))


def swimming(**overrides) -> dict:
    return prescription_form("Swimming", **overrides)


# The editor page ------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HISTORY_RESTORE], ids=["plain", "history-restore"])
def test_plan_editor_get_is_the_whole_page(physio_client, plan, headers):
    response = physio_client.get(f"/plans/{plan.pk}/", headers=headers)

    assert response.status_code == 200
    assert "<html" in response.text
    assert '<h2 id="clearance-heading">Within the clearance</h2>' in response.text
    assert varies_on_htmx(response)


# Adding an activity -----------------------------------------------------------------------


def test_prescription_add_plain_post_redirects_with_the_message(physio_client, plan):
    response = physio_client.post(f"/plans/{plan.pk}/prescriptions/", swimming())

    assert response.status_code == 302
    assert response.url == f"/plans/{plan.pk}/"
    assert varies_on_htmx(response)
    page = physio_client.get(response.url)
    assert [str(m) for m in page.context["messages"]] == ["Swimming added."]


def test_prescription_add_htmx_post_returns_the_region_and_announces(physio_client, plan):
    response = physio_client.post(f"/plans/{plan.pk}/prescriptions/", swimming(), headers=HTMX)

    added = plan.prescriptions.get()
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section class="card" id="prescriptions"')
    assert f'id="prescription-{added.pk}" tabindex="-1" autofocus' in response.text
    assert f"{ANNOUNCER}Swimming added.</div>" in response.text
    assert varies_on_htmx(response)


def test_prescription_add_htmx_refused_puts_the_cursor_in_the_first_error(physio_client, plan):
    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/",
        swimming(start_minutes="20", max_minutes="45"),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.context["form"].fields["max_minutes"].widget.attrs["autofocus"] is True
    assert (
        f"{ANNOUNCER}The activity was not added: see the messages in the form.</div>"
        in response.text
    )
    assert varies_on_htmx(response)
    assert not Prescription.objects.filter(plan=plan).exists()


def test_prescription_add_plain_refused_is_the_whole_page_without_announcing(physio_client, plan):
    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/", swimming(start_minutes="20", max_minutes="45")
    )

    assert response.status_code == 200
    assert "<html" in response.text
    assert ANNOUNCER not in response.text
    assert "autofocus" not in response.context["form"].fields["max_minutes"].widget.attrs
    assert varies_on_htmx(response)


def test_prescription_add_boosted_post_redirects_never_a_region(physio_client, plan):
    response = physio_client.post(f"/plans/{plan.pk}/prescriptions/", swimming(), headers=BOOSTED)

    assert response.status_code == 302
    assert response.url == f"/plans/{plan.pk}/"
    assert varies_on_htmx(response)
    assert plan.prescriptions.count() == 1


def test_prescription_add_boosted_refused_is_the_whole_page(physio_client, plan):
    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/",
        swimming(start_minutes="20", max_minutes="45"),
        headers=BOOSTED,
    )

    assert response.status_code == 200
    assert "<html" in response.text
    assert ANNOUNCER not in response.text
    assert varies_on_htmx(response)


# Changing and removing an activity -----------------------------------------------------------


def changed_walking(prescription, **overrides) -> dict:
    prefix = f"p{prescription.pk}"
    data = swimming(activity=activity("Walking").pk) | overrides
    return {f"{prefix}-{key}": value for key, value in data.items()}


@pytest.mark.parametrize(
    ("headers", "region"),
    [({}, False), (HTMX, True), (BOOSTED, False)],
    ids=["plain", "htmx", "boosted"],
)
def test_prescription_change_answers_region_or_redirect(physio_client, plan, headers, region):
    walking = PrescriptionFactory(plan=plan)

    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/{walking.pk}/",
        changed_walking(walking, sessions_per_week="5"),
        headers=headers,
    )

    assert response.status_code == (200 if region else 302)
    assert varies_on_htmx(response)
    if region:
        assert "<html" not in response.text
        assert f"{ANNOUNCER}Walking changed.</div>" in response.text
    walking.refresh_from_db()
    assert walking.sessions_per_week == 5


@pytest.mark.parametrize(
    ("headers", "region"),
    [({}, False), (HTMX, True), (BOOSTED, False)],
    ids=["plain", "htmx", "boosted"],
)
def test_prescription_change_refused_answers_region_or_page(physio_client, plan, headers, region):
    walking = PrescriptionFactory(plan=plan)

    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/{walking.pk}/",
        changed_walking(walking, max_minutes="45"),
        headers=headers,
    )

    assert response.status_code == 200
    assert varies_on_htmx(response)
    assert ("<html" in response.text) is not region
    assert (
        f"{ANNOUNCER}Not changed: see the messages in the form.</div>" in response.text
    ) is region
    (shown,) = response.context["prescriptions"]
    assert ("autofocus" in shown.change_form.fields["max_minutes"].widget.attrs) is region


@pytest.mark.parametrize(
    ("headers", "region"),
    [({}, False), (HTMX, True), (BOOSTED, False)],
    ids=["plain", "htmx", "boosted"],
)
def test_prescription_remove_answers_region_or_redirect(physio_client, plan, headers, region):
    walking = PrescriptionFactory(plan=plan)

    response = physio_client.post(
        f"/plans/{plan.pk}/prescriptions/{walking.pk}/remove/", headers=headers
    )

    assert response.status_code == (200 if region else 302)
    assert varies_on_htmx(response)
    if region:
        assert "<html" not in response.text
        assert f"{ANNOUNCER}Activity removed.</div>" in response.text
        assert 'id="prescriptions-heading" tabindex="-1" autofocus' in response.text
    assert not plan.prescriptions.exists()
