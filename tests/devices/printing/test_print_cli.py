"""``printer test|status|run`` and ``ticket render`` from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from tests.devices.printing.escpos_decode import decode, printed_items, read_qr
from PIL import Image

from kiosk.cli.main import main


@pytest.fixture
def office_config(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    assert main(["init", "--config", str(config), "--office", "JKP", "--name", "Kantor Imigrasi Depok",
                 "--supervisor-pin", "123456", "--data-dir", str(tmp_path / "data")]) == 0
    return config


def run(capsys, *argv: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def, type-arg]
    capsys.readouterr()
    code = main([*argv, "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1]) if out else {}


def test_ticket_render_writes_escpos_and_png_of_todays_ticket(office_config, tmp_path, capsys):
    # GIVEN a walk-in ticket issued today
    code, issued = run(capsys, "walkin", "--config", str(office_config), "--category", "disabilitas")
    label = issued["ticket"]["number"]
    # WHEN it is rendered to ESC/POS and to PNG
    code, result = run(capsys, "ticket", "render", label, "--config", str(office_config), "--format", "escpos",
                       "--out", str(tmp_path / "t.bin"))
    assert code == 0 and result["paper_dots"] == 576
    code, _ = run(capsys, "ticket", "render", label.lower(), "--config", str(office_config), "--format", "png",
                  "--out", str(tmp_path / "t.png"))
    assert code == 0
    # THEN both hold the ticket: the number, and a QR code of the same reference
    items = printed_items(decode((tmp_path / "t.bin").read_bytes()))
    assert ("text", label, "center", 8, True) in items
    qr = [i[1] for i in items if i[0] == "qr"]
    assert read_qr(Image.open(io.BytesIO((tmp_path / "t.png").read_bytes()))) == qr


def test_ticket_render_refuses_unknown_and_malformed_numbers(office_config, tmp_path, capsys):
    code, result = run(capsys, "ticket", "render", "A999", "--config", str(office_config), "--format", "png",
                       "--out", str(tmp_path / "x.png"))
    assert code == 1 and result["outcome"] == "not_found"
    code, result = run(capsys, "ticket", "render", "nomor", "--config", str(office_config), "--format", "png",
                       "--out", str(tmp_path / "x.png"))
    assert code == 2
    assert not (tmp_path / "x.png").exists()


def test_printer_test_status_and_run_with_the_preview_printer(office_config, tmp_path, capsys):
    previews = tmp_path / "data" / "previews"
    code, result = run(capsys, "printer", "test", "--config", str(office_config))
    assert code == 0 and Path(result["file"]).parent == previews
    run(capsys, "walkin", "--config", str(office_config), "--category", "ibu_hamil")
    code, status = run(capsys, "printer", "status", "--config", str(office_config))
    assert code == 0 and status["state"] == "ready" and len(status["pending_jobs"]) == 1
    code, _ = run(capsys, "printer", "run", "--once", "--config", str(office_config))
    assert code == 0
    assert len(list(previews.glob("*-B001.png"))) == 1
    code, status = run(capsys, "printer", "status", "--config", str(office_config))
    assert status["pending_jobs"] == []


def test_printer_status_of_an_unreachable_network_printer_exits_3(office_config, capsys):
    text = office_config.read_text().replace("[printer]", '[printer]\ntransport = "network"\nhost = "127.0.0.1"\n'
                                                          "port = 9\ntimeout = 1", 1)
    office_config.write_text(text)
    code, status = run(capsys, "printer", "status", "--config", str(office_config))
    assert code == 3 and status["state"] == "offline"
    code, result = run(capsys, "printer", "test", "--config", str(office_config))
    assert code == 3 and result["outcome"] == "offline"
