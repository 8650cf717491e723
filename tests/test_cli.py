"""The command line as an administrator uses it: separate processes, JSON, exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.config = tmp_path / "config.toml"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ANTREAN_")}
        self.env["ANTREAN_CONFIG"] = str(self.config)

    def __call__(self, *args: str | bytes, now: str | None = None) -> tuple[int, dict | str]:
        env = dict(self.env)
        if now:
            env["ANTREAN_NOW"] = now
        out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--json", *args], capture_output=True,
                             env=env, cwd=ROOT, timeout=120)
        text = out.stdout.decode()
        try:
            return out.returncode, json.loads(text)
        except json.JSONDecodeError:
            return out.returncode, text + out.stderr.decode()


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path)


def init(cli, *extra):
    return cli("init", "--office", "JKP", "--name", "Kantor Imigrasi Jakarta Pusat", "--supervisor-pin", "246810",
               "--data-dir", "data", *extra)


def test_done_when_walkthrough(cli):
    assert init(cli, "--allow-clock-override")[0] == 0
    day = "2026-11-30T12:00"
    _, b1 = cli("booking", "add", "--name", "Budi", "--birth", "1987-01-25", "--date", "2026-12-01",
                "--slot", "10:00", now=day)
    _, b2 = cli("booking", "add", "--name", "Siti", "--birth", "1990-02-02", "--date", "2026-12-01",
                "--slot", "10:00", now=day)
    _, b3 = cli("booking", "add", "--name", "Ani", "--birth", "1990-02-02", "--date", "2026-12-02",
                "--slot", "10:00", now=day)
    assert set(b1) == {"code", "number", "date", "slot"} and b1["slot"] == "10:00"

    assert cli("checkin", b1["code"], now="2026-12-01T07:30")[1]["outcome"] == "too_early"
    code, accepted = cli("checkin", b1["code"], now="2026-12-01T09:30")
    assert code == 0 and accepted["outcome"] == "accepted" and accepted["ticket"]["service"] == "A"
    assert accepted["ticket"]["number"] == "A001"
    code, again = cli("checkin", b1["code"], now="2026-12-01T09:30")
    assert code == 1 and again["outcome"] == "already_checked_in"
    assert cli("checkin", b2["code"], now="2026-12-01T09:30:01")[1]["outcome"] == "void"
    assert cli("checkin", b3["code"], now="2026-12-01T09:30")[1]["outcome"] == "wrong_day"
    forged = b1["code"][:-1] + ("A" if b1["code"][-1] != "A" else "B")
    assert cli("checkin", forged, now="2026-12-01T09:30")[1]["outcome"] == "invalid"

    code, walk = cli("walkin", "--category", "lansia", "--birth", "1950-05-05", now="2026-12-01T09:35")
    assert code == 0 and walk["ticket"]["number"] == "B001"
    code, refused = cli("walkin", "--category", "lansia", "--birth", "1990-05-05", now="2026-12-01T09:35")
    assert code == 1 and refused["outcome"] == "age_refused"

    _, one = cli("call", "next", "--counter", "1", now="2026-12-01T09:40")
    _, two = cli("call", "next", "--counter", "2", now="2026-12-01T09:40")
    assert one["ticket"]["number"] == "B001" and two["ticket"]["number"] == "A001"
    _, queue = cli("queue", now="2026-12-01T09:41")
    assert [c["number"] for c in queue["last_calls"]] == ["A001", "B001"]


def test_clock_override_is_refused_on_a_production_config(cli):
    assert init(cli)[0] == 0
    code, out = cli("queue", now="2026-12-01T09:30")
    assert code == 2 and "clock.allow_override" in out["message"]


def test_init_refuses_to_overwrite(cli):
    assert init(cli)[0] == 0
    before = cli.config.read_bytes()
    code, out = init(cli)
    assert code == 2 and "sudah ada" in out["message"]
    assert cli.config.read_bytes() == before
    assert "246810" not in before.decode()  # only the hash is stored


def test_bad_config_value_exits_2_naming_the_key(cli):
    assert init(cli)[0] == 0
    cli.config.write_text(cli.config.read_text().replace('name = "Kantor', 'code = "jkp"\nname = "Kantor'))
    code, out = cli("queue")
    assert code == 2 and "office.code" in out["message"] and "'jkp'" in out["message"]


def test_usage_errors_exit_2(cli):
    assert init(cli)[0] == 0
    assert cli("booking", "add", "--name", "X", "--birth", "25-01-1987", "--date", "2026-12-01",
               "--slot", "10:00")[0] == 2
    assert cli("call", "transfer", "--counter", "1")[0] == 2
    assert cli("call", "next", "--counter", "0")[0] == 2


def test_non_utf8_argument_is_invalid_not_a_crash(cli):
    assert init(cli)[0] == 0
    code, out = cli("checkin", b"AP1-JKP-\xff\xfe-garbage")
    assert code == 1 and out["outcome"] == "invalid"


def test_key_and_database_files_are_owner_only(cli, tmp_path):
    assert init(cli)[0] == 0
    for path in (tmp_path / "data" / "keys.json", tmp_path / "data" / "antrean.db", cli.config):
        assert path.stat().st_mode & 0o077 == 0, path


def test_init_says_the_default_sender_answers_nobody_and_takes_cloud_api_when_asked(tmp_path):
    # GIVEN no terminal (as in CI); WHEN init runs without --sender
    cli = Cli(tmp_path / "a")
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "init", "--office", "JKP", "--name", "Kantor",
                          "--supervisor-pin", "246810", "--data-dir", "data"], capture_output=True,
                         env=cli.env, cwd=ROOT, stdin=subprocess.DEVNULL, timeout=120)
    # THEN it does not wait for an answer, and says plainly that nobody is answered
    assert out.returncode == 0 and "tidak ada pemohon yang dijawab" in out.stderr.decode()
    assert 'sender = "outbox"' in cli.config.read_text()
    # WHEN cloud_api is chosen THEN it needs the phone-number id, and is stored with it
    other = Cli(tmp_path / "b")
    code, result = other("init", "--office", "JKP", "--name", "Kantor", "--supervisor-pin", "246810",
                         "--data-dir", "data", "--sender", "cloud_api")
    assert code == 2 and "phone-number-id" in result["message"] and not other.config.exists()
    code, _ = other("init", "--office", "JKP", "--name", "Kantor", "--supervisor-pin", "246810",
                    "--data-dir", "data", "--sender", "cloud_api", "--phone-number-id", "106540352242922")
    assert code == 0 and 'sender = "cloud_api"' in other.config.read_text()


def test_init_refuses_a_4_digit_pin(cli):
    code, out = cli("init", "--office", "JKP", "--name", "Kantor", "--supervisor-pin", "2468", "--data-dir", "data")
    assert code == 2 and "6-12" in out["message"] and not cli.config.exists()
