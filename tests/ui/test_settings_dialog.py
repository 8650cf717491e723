"""The settings dialog edits the one config model: validated, written back, audited."""

import tomllib

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from kiosk.config import load_config, to_toml
from kiosk.store import AuditEvent, PrintJob
from kiosk.ui.settings_dialog import ConfigDialog
from kiosk.ui.tasks import TaskRunner

# The dialog is about the config file; the storage behind it is covered elsewhere on both databases.
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def dialog(qtbot, ctx):
    ctx.config.source.write_text(to_toml(ctx.config), encoding="utf-8")
    runner = TaskRunner("settings-test")
    d = ConfigDialog(ctx, runner)
    qtbot.addWidget(d)
    yield d
    runner.close()


def _finished(qtbot, dialog):
    """The dialog's file, database, printer and camera work runs on the window's runner."""
    qtbot.waitUntil(lambda: dialog.runner.pending == 0, timeout=10_000)


def _audit(ctx, action):
    with ctx.db.read() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_bad_value_is_refused_naming_the_field_and_nothing_is_written(qtbot, dialog, ctx):
    before = ctx.config.source.read_bytes()
    dialog.editors["office.timezone"].widget.setText("Mars/Olympus")
    dialog.save()
    _finished(qtbot, dialog)
    assert "Zona waktu" in dialog.error.text() and "Mars/Olympus" in dialog.error.text()
    assert "office.timezone" not in dialog.error.text()
    assert dialog.saved is None and ctx.config.source.read_bytes() == before
    assert _audit(ctx, "settings_changed") == []


def test_inline_tables_are_checked_too(qtbot, dialog, ctx):
    dialog.editors["queue.counters"].widget.setText('{ "1" = ["B", "Z"] }')
    dialog.save()
    _finished(qtbot, dialog)
    assert dialog.error.text().startswith("Tidak disimpan: Loket — ") and dialog.saved is None


def test_saved_change_is_written_audited_and_says_when_a_restart_is_needed(qtbot, dialog, ctx):
    dialog.editors["office.name"].widget.setText("Kantor Imigrasi Bogor")
    dialog.editors["priority.daily_quota"].widget.setValue(45)
    dialog.editors["office.code"].widget.setText("BGR")
    dialog.save()
    _finished(qtbot, dialog)
    assert dialog.saved is not None
    reread = load_config(ctx.config.source)
    assert (reread.office.name, reread.priority.daily_quota, reread.office.code) == ("Kantor Imigrasi Bogor", 45, "BGR")
    assert reread.security.supervisor_pin_hash == ctx.config.security.supervisor_pin_hash  # hidden, kept
    audit = _audit(ctx, "settings_changed")[0]
    assert set(audit.detail["keys"]) == {"office.name", "priority.daily_quota", "office.code"}
    assert dialog.needs_restart == ["office.code"]
    assert dialog.result.text() == "Disimpan. Mulai ulang aplikasi agar berlaku: Kode kantor"
    assert ctx.config.source.stat().st_mode & 0o077 == 0
    assert tomllib.loads(ctx.config.source.read_text())["office"]["code"] == "BGR"


def test_printer_test_queues_a_test_page(qtbot, dialog, ctx):
    dialog.run_printer_test()
    _finished(qtbot, dialog)
    assert "Printer siap" in dialog.result.text()
    with ctx.db.read() as s:
        assert [j.kind for j in s.scalars(select(PrintJob))] == ["test"]


def test_camera_test_reads_a_frame_or_says_why_not(qtbot, dialog, tmp_path):
    folder = tmp_path / "frames"
    folder.mkdir()
    cv2.imwrite(str(folder / "0001.png"), np.full((480, 640, 3), 255, np.uint8))
    dialog.editors["camera.source"].widget.setText(str(folder))
    dialog.run_camera_test()
    _finished(qtbot, dialog)
    assert "Kamera OK: 640×480" in dialog.result.text()
    dialog.editors["camera.source"].widget.setText(str(tmp_path / "missing.mp4"))
    dialog.run_camera_test()
    _finished(qtbot, dialog)
    assert "Kamera gagal" in dialog.result.text()


def test_screen_picker_remembers_the_display_screen(qtbot, dialog, ctx):
    from display.screens import ScreenMemory

    dialog.screens.setCurrentIndex(0)
    dialog.save_screen()
    _finished(qtbot, dialog)
    choice = ScreenMemory(ctx.config.data_dir / "display-screen.json").load()
    assert choice is not None and choice.index == 0 and _audit(ctx, "display_screen")


def test_the_desk_names_the_saved_fields_that_wait_for_a_restart(qtbot, ctx, desk):
    # GIVEN the desk's settings dialog, opened as F12 opens it after the PIN
    ctx.config.source.write_text(to_toml(ctx.config), encoding="utf-8")

    def change_the_office_code() -> None:
        dialog = QApplication.activeModalWidget()
        QTimer.singleShot(10_000, dialog.reject)  # never left hanging
        dialog.editors["office.code"].widget.setText("BGR")
        dialog.save()

    QTimer.singleShot(0, change_the_office_code)
    # WHEN a key marked * is saved THEN the desk says so, naming the field as labelled
    desk._settings_dialog()
    assert load_config(ctx.config.source).office.code == "BGR"
    assert desk.scan.notice.text() == "Disimpan. Mulai ulang aplikasi agar berlaku: Kode kantor"
