"""A desk process killed with SIGKILL at random moments of check-in, call-next and printing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from kiosk.config import from_mapping
from kiosk.simulate.crash import _paper, crash_loop, office_config


def validated_office_config(folder):
    """The crash child's settings as a config file would give them, validated."""
    return from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi (uji crash)"},
                         "clock": {"allow_override": True},
                         "queue": {"counters": {"1": ["B", "A"], "2": ["A", "B"]}},
                         "paths": {"data_dir": str(folder)}})


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_nothing_and_prints_everything_once(tmp_path):
    # GIVEN a desk process that checks in, calls and prints, killed 24 times at random moments
    result = crash_loop(tmp_path, kills=24, seed=5, max_lines=25)
    # THEN after every restart nothing committed was lost, no number was given twice, every
    # ticket had its print job and the file was intact; at the end every job was printed,
    # none twice without the reprint mark
    assert result.problems == []
    assert result.kills == 24 and result.restarts == 24
    assert result.tickets >= 24  # the children really worked between the kills
    with sqlite3.connect(tmp_path / "crash.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM print_jobs WHERE state != 'done'").fetchone() == (0,)


def test_the_paper_check_notices_a_ticket_printed_twice_unmarked(ctx, tmp_path):
    # GIVEN a journal where the same ticket came out twice without the mark
    journal = tmp_path / "paper.jsonl"
    entry = {"name": "A001", "complete": True, "qr": ["AP1-JKP-270104-1100-001-XXXXXXXX"], "lines": ["A001"]}
    journal.write_text(json.dumps(entry) + "\n" + json.dumps(entry) + "\n")
    # THEN the check says so; with the second copy marked, it does not
    assert _paper(ctx, journal, final=False) == ["AP1-JKP-270104-1100-001-XXXXXXXX printed 2 times without the "
                                                 "reprint mark"]
    marked = dict(entry, lines=["*** CETAK ULANG ***", "A001"])
    journal.write_text(json.dumps(entry) + "\n" + json.dumps(marked) + "\n")
    assert _paper(ctx, journal, final=False) == []


def test_the_crash_childs_config_is_the_validated_one(tmp_path):
    assert office_config(tmp_path) == validated_office_config(tmp_path)
