"""Two physiotherapists with e-mail addresses, for the tests of what clinicians are sent
(the notices and the digests)."""

from __future__ import annotations

import pytest

from tests.factories import PhysiotherapistFactory


@pytest.fixture
def maya(db):
    return PhysiotherapistFactory(first_name="Maya", last_name="Lindqvist", email="maya@x.org")


@pytest.fixture
def tomas(db):
    return PhysiotherapistFactory(first_name="Tomás", last_name="Herrera", email="tomas@x.org")
