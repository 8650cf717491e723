"""A simulated office day through the real services, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from kiosk.app import open_context
from kiosk.cli.main import main
from kiosk.config import from_mapping
from kiosk.core.clock import FixedClock
from kiosk.simulate import SimulationError, simulate_day
from kiosk.simulate.checks import check_priority, check_report, ledger_report
from kiosk.simulate.day import DayEngine
from kiosk.simulate.plan import make_plan
from kiosk.reports.daily import daily_report
from tests.conftest import TEST_PIN, WIB, init_keys, pin_hash, wib


def test_a_simulated_day_keeps_every_rule(db_url, tmp_path):
    # GIVEN 60 bookings made the day before and 12 walk-ins, with late, too early, wrong-day
    # and forged arrivals, four counters and a printer that runs out of paper
    # WHEN the day is played through the services
    result = simulate_day(db_url, tmp_path / "office", bookings=60, walk_ins=12, seed=7)
    # THEN every check holds
    failed = [f"{c.name}: {c.detail}" for c in result.checks if not c.ok]
    assert not failed, "\n".join(failed)
    assert len(result.checks) >= 8
    # AND the day really met what it is meant to prove
    k = result.kpis
    assert k["void"] == 6 and k["too_early_attempts"] == 3 and k["wrong_day"] == 2 and k["rejected_scans"] == 1
    assert k["transfers"] == 2 and k["no_shows"] >= 1 and k["recalls"] >= 1 and k["supervisor_reprints"] == 1
    assert k["walk_ins_refused"] >= 1 and k["printer_failures_met"] >= 2
    assert k["tickets"] == k["served"] + k["no_shows"]


def test_the_same_seed_plans_the_same_day_and_another_seed_another():
    day = wib(2026, 12, 1, 0, 0).date()
    assert make_plan(day, 150, 30, 3, WIB) == make_plan(day, 150, 30, 3, WIB)
    assert make_plan(day, 150, 30, 3, WIB) != make_plan(day, 150, 30, 4, WIB)


@pytest.fixture(scope="module")
def played_day(tmp_path_factory):  # type: ignore[no-untyped-def]
    """One small day, played once for the tests that tamper with its checks."""
    tmp_path = tmp_path_factory.mktemp("day")
    config = from_mapping({"office": {"code": "JKP"}, "paths": {"data_dir": str(tmp_path / "data")},
                           "security": {"supervisor_pin_hash": pin_hash()}})
    init_keys(config.keys_path)
    clock = FixedClock(wib(2026, 12, 1, 6, 0))
    ctx = open_context(config, db_url=f"sqlite:///{tmp_path / 'day.db'}", clock=clock)
    plan = make_plan(clock.now().date(), 24, 6, 11, WIB)
    engine = DayEngine(ctx, clock, plan, pin=TEST_PIN)
    engine.run()
    yield ctx, plan, engine
    ctx.close()


def test_the_checks_notice_a_counter_that_broke_the_rules(played_day):
    # GIVEN a day played with loket 1 taking B first
    ctx, plan, _ = played_day
    assert check_priority(ctx, plan.day).ok
    # WHEN the same calls are judged as if loket 1 took A first
    config = ctx.config
    queue = replace(config.queue, counters={"1": ["A", "B"], "2": ["A", "B"], "3": ["A", "B"], "4": ["A", "B"]})
    ctx.config = replace(config, queue=queue)
    try:
        check = check_priority(ctx, plan.day)
    finally:
        ctx.config = config
    # THEN the replay finds calls the rules would not have made
    assert not check.ok and "loket 1" in check.detail


def test_the_checks_notice_a_report_that_disagrees_with_the_day(played_day):
    ctx, plan, engine = played_day
    report = daily_report(ctx, plan.day)
    expected = ledger_report(plan, engine.ledger, ctx.config.tz)
    assert check_report(report, expected).ok
    report.no_shows += 1
    check = check_report(report, expected)
    assert not check.ok and "no_shows" in check.detail


def test_simulate_command_prints_checks_and_kpis_as_json(tmp_path, capsys):
    code = main(["simulate", "--bookings", "10", "--walkins", "2", "--seed", "2", "--json",
                 "--db", f"sqlite:///{tmp_path / 'sim.db'}"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["outcome"] == "ok"
    assert all(c["ok"] for c in out["checks"]) and out["kpis"]["tickets"] >= 6


def test_simulate_refuses_a_database_that_already_holds_the_day(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    assert main(["simulate", "--bookings", "5", "--walkins", "0", "--db", url]) == 0
    capsys.readouterr()
    assert main(["simulate", "--bookings", "5", "--walkins", "0", "--db", url, "--json"]) == 2
    assert "empty database" in json.loads(capsys.readouterr().out)["message"]
    with pytest.raises(SimulationError):
        simulate_day(url, tmp_path / "x", bookings=1000)


def test_days_two_apart_share_one_database_and_are_checked_apart(tmp_path, capsys):
    # GIVEN a database that already holds a simulated Tuesday (with its void bookings)
    url = f"sqlite:///{tmp_path / 'week.db'}"
    assert main(["simulate", "--bookings", "30", "--walkins", "2", "--seed", "3", "--date", "2026-11-24",
                 "--db", url]) == 0
    capsys.readouterr()
    # WHEN the Thursday is played into it THEN its checks judge the Thursday alone
    assert main(["simulate", "--bookings", "30", "--walkins", "2", "--seed", "2", "--date", "2026-11-26",
                 "--db", url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["day"] == "2026-11-26" and all(c["ok"] for c in out["checks"]) and out["kpis"]["void"] >= 1
