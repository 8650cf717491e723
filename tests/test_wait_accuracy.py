"""The wait estimate against a simulated day: it must beat the naive estimate
(people ahead × mean service time) that a ticket would otherwise say."""

from __future__ import annotations

import importlib.util
import statistics

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_the_estimate_at_issue_time_beats_the_naive_one_on_a_simulated_day():
    spec = importlib.util.spec_from_file_location("wait_estimate", PROJECT_ROOT / "benchmarks" / "wait_estimate.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    errors = bench.errors_for_day(seed=7, bookings=150, walk_ins=30)
    ours = statistics.fmean(abs(e) for e in errors["ours"])
    naive = statistics.fmean(abs(e) for e in errors["naive"])
    assert len(errors["real"]) > 100
    assert ours < naive / 2, (ours, naive)
