"""``wa``, ``bookings import`` and ``bookings export`` from the command line."""

from __future__ import annotations

import json
import stat

import pytest

from kiosk.cli.main import main
from kiosk.config import to_toml
from tests.conftest import make_config


@pytest.fixture
def cli(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(to_toml(make_config(tmp_path)), encoding="utf-8")
    monkeypatch.setenv("ANTREAN_NOW", "2026-12-01T09:00:00")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--config", str(config), *argv])
        return code, *run.capsys.readouterr()
    return run


@pytest.fixture(autouse=True)
def _capsys(cli, capsys):
    cli.capsys = capsys


def test_wa_prints_the_reply_and_json_has_text_code_and_image(cli):
    code, out, _ = cli("wa", "--from", "081234567890", "--id", "m1", "--json", "#Budi#25011987#02122026")
    data = json.loads(out)
    assert code == 0 and data["outcome"] == "booked" and data["code"].startswith("AP1-JKP-261202-0800-001-")
    assert data["text"].startswith("Booking berhasil.") and data["image"].endswith(".png")
    # the same id again: the same reply, marked as replayed
    code, out, _ = cli("wa", "--from", "081234567890", "--id", "m1", "--json", "#Budi#25011987#02122026")
    again = json.loads(out)
    assert code == 0 and again["replayed"] and (again["code"], again["text"]) == (data["code"], data["text"])
    # a refusal exits 1 and prints the Indonesian reply
    code, out, _ = cli("wa", "--from", "081234567890", "#Budi#25011987#05122026")
    assert code == 1 and "bukan hari layanan" in out


def test_wa_with_a_bad_sender_is_a_usage_error(cli):
    code, _, err = cli("wa", "--from", "hello", "#CEK")
    assert code == 2 and "phone" in err


def test_bookings_import_and_export(cli, tmp_path):
    good = tmp_path / "list.csv"
    good.write_text("code,name,birth_date,date,slot\nAPAPO-1,Siti,1990-02-01,2026-12-03,08:00\n", encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"code": "X", "name": "Siti", "birth_date": "1990-02-01", "date": "2026-12-03",
                                "slot": "08:00"}]), encoding="utf-8")
    assert cli("bookings", "import", str(good), "--json")[0:2] == (0, '{"outcome": "imported", "added": 1, '
                                                                      '"unchanged": 0}\n')
    code, _, err = cli("bookings", "import", str(bad))
    assert code == 1 and "tidak ada yang diimpor" in err and "Baris 1" in err
    out_file = tmp_path / "day.csv"
    assert cli("bookings", "export", "--date", "2026-12-03", "-o", str(out_file))[0] == 0
    assert "APAPO-1,Siti,1990-02-01,2026-12-03,08:00,1" in out_file.read_text()
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    code, out, _ = cli("bookings", "export", "--date", "2026-12-03")
    assert code == 0 and out.splitlines()[1].startswith("APAPO-1,")
