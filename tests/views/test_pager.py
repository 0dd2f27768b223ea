"""The one pager (templates/tracker/includes/pager.html): its links keep the page's filters
and search, escape whatever the address held, and read the same on the three paged lists."""

from __future__ import annotations

import re

import pytest

from tests.factories import SessionLogFactory, activity, make_active_plan, make_patient
from tracker.access import disclosed

pytestmark = pytest.mark.django_db

PAGER = re.compile(r'<nav class="pager" aria-label="Pages">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]*)">([^<]*)</a>')


def pager_links(html: str) -> list[tuple[str, str]]:
    """(href as written in the HTML, words) of each link in the page's one pager."""
    (pager,) = PAGER.findall(html)
    return LINK.findall(pager)


def caseload_of(physio, count: int) -> None:
    for i in range(count):
        make_patient(care_team=[physio], user__first_name="Pat", user__last_name=f"Number{i}")


def test_caseload_pager_keeps_the_search_on_the_next_page(physio_client, physio):
    caseload_of(physio, 30)

    response = physio_client.get("/caseload/", {"q": "number"})

    assert pager_links(response.text) == [("?q=number&amp;page=2", "Next")]


def test_caseload_pager_keeps_the_search_on_the_page_before(physio_client, physio):
    caseload_of(physio, 30)

    response = physio_client.get("/caseload/", {"q": "number", "page": "2"})

    assert pager_links(response.text) == [("?q=number&amp;page=1", "Previous")]


def test_caseload_pager_in_an_htmx_region_keeps_the_search(physio_client, physio):
    caseload_of(physio, 30)

    response = physio_client.get(
        "/caseload/", {"q": "number", "show": "all"}, headers={"HX-Request": "true"}
    )

    assert pager_links(response.text) == [("?q=number&amp;show=all&amp;page=2", "Next")]


def test_caseload_pager_escapes_a_hostile_query_value(physio_client, physio):
    caseload_of(physio, 30)
    hostile = '"><script>alert(1)</script>'

    response = physio_client.get("/caseload/", {"show": hostile})

    assert pager_links(response.text) == [
        ("?show=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;page=2", "Next")
    ]
    assert "<script>alert(1)" not in response.text


def test_history_pager_keeps_the_activity_filter(patient_client, patient):
    plan = make_active_plan(patient)
    for _ in range(25):
        SessionLogFactory(plan=plan)
    walking = activity("Walking").pk

    first = patient_client.get("/history/", {"activity": walking})
    second = patient_client.get("/history/", {"activity": walking, "page": "2"})

    assert pager_links(first.text) == [(f"?activity={walking}&amp;page=2", "Older")]
    assert pager_links(second.text) == [(f"?activity={walking}&amp;page=1", "Newer")]


def test_my_data_pager_pages_who_has_seen_the_record(patient_client, patient, physio):
    for _ in range(30):
        disclosed(physio, patient, what="record")

    response = patient_client.get("/my-data/")

    assert pager_links(response.text) == [("?page=2", "Older")]
