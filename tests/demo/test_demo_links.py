"""The demo as a tester meets it: links in its e-mails and the calendar address lead to the
address it serves on, not to the default port, and its plans carry instructions."""

from __future__ import annotations

import os

import pytest

from tracker.demo.clinic import load_demo
from tracker.management.commands.demo import serve_links_here, site_url_for
from tracker.models import Prescription


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8077", "http://127.0.0.1:8077"),
        ("8080", "http://127.0.0.1:8080"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("localhost:8000", "http://localhost:8000"),
    ],
)
def test_links_lead_to_the_address_served(addrport, url):
    assert site_url_for(addrport) == url


def test_without_site_url_the_demo_points_links_at_its_own_address(settings, monkeypatch):
    settings.SITE_URL = "http://127.0.0.1:8000"  # restored after the test
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("SITE_URL", "")  # as unset; the worker it starts inherits what is set

    serve_links_here("127.0.0.1:8077")

    assert settings.SITE_URL == "http://127.0.0.1:8077"
    assert os.environ["SITE_URL"] == "http://127.0.0.1:8077"


def test_a_site_url_set_by_the_tester_is_kept(settings, monkeypatch):
    settings.SITE_URL = "https://rehab.example.org"
    monkeypatch.setenv("SITE_URL", "https://rehab.example.org")

    serve_links_here("127.0.0.1:8077")

    assert settings.SITE_URL == "https://rehab.example.org"


@pytest.mark.django_db
def test_the_demo_plans_carry_instructions_for_the_patient():
    load_demo(password="demo-pass-1234")
    walking = Prescription.objects.filter(activity__name="Walking", plan__status="active")
    assert walking.exists()
    assert all("still talk" in p.note for p in walking)
