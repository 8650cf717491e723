"""The concurrency benchmark, short: desk and counter processes at once on PostgreSQL
give no number twice and call no ticket twice."""

import pytest

from benchmarks.concurrency import run

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]


def test_desk_and_counter_processes_at_once_give_no_number_and_no_call_twice(pg_url, tmp_path):
    # GIVEN 2 desk processes and 2 counter processes on one PostgreSQL database
    # WHEN they work for a few seconds, the office moving to a new day halfway
    result = run(pg_url, tmp_path, seconds=4, desks=2, counters=2, day_seconds=2)
    # THEN tickets were issued and called, none twice, every one handed out is stored
    assert result["issued"] > 0 and result["called"] > 0
    assert result["problems"] == []
    assert result["ops"]["check_in"]["n"] and result["ops"]["call_next"]["n"]
