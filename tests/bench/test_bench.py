"""The benchmark command: a row per page with its query count, as a table or JSON."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tracker.bench.measure import PAGE_NAMES
from tracker.bench.seed import seed

pytestmark = pytest.mark.django_db

TIMES = r"[\d.,]+ \| [\d.,]+ \| ([\d.]+|n/a) \|$"


def bench(*args: str) -> str:
    out = StringIO()
    call_command("bench", "--repeat", "2", "--warmup", "0", *args, stdout=out)
    return out.getvalue()


def test_bench_prints_a_row_per_page_with_its_query_count():
    seed(patients=12)

    out = bench()

    for name in ["bare", *PAGE_NAMES]:
        row = re.search(rf"^\| [^|]+ \(`{name}`\) \| (\d+(-\d+)?) \| {TIMES}", out, re.M)
        assert row is not None, name
        assert int(row.group(1).split("-")[0]) > 0, name
    assert out.startswith("12 patients, 2 physiotherapists (the busiest with 1),")


def test_bench_pages_option_times_only_those_named():
    seed(patients=12)

    out = json.loads(bench("--pages", "caseload,history", "--json"))

    assert [page["name"] for page in out["pages"]] == ["bare", "caseload", "history"]
    assert out["clinic"]["patients"] == 12
    assert all(page["queries_min"] > 0 for page in out["pages"])


def test_bench_refuses_an_unknown_page():
    with pytest.raises(CommandError, match="No such page: nowhere"):
        bench("--pages", "nowhere")


def test_bench_without_a_bench_clinic_says_how_to_make_one():
    with pytest.raises(CommandError, match=r"run `manage\.py bench_seed`"):
        bench()
