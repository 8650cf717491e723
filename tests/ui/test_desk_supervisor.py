"""Supervisor actions behind the PIN: each audited, a wrong PIN refused, and after
too many wrong PINs even the right one waits."""

from __future__ import annotations

from datetime import time

from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from kiosk.services import check_in
from kiosk.services.results import CheckInOutcome
from kiosk.store import AuditEvent, PrintJob, Ticket
from kiosk.ui.supervisor import SupervisorDialog
from tests.conftest import TEST_PIN
from tests.ui.conftest import book, count, print_jobs


def _audits(ctx, action):
    return count(ctx, AuditEvent, AuditEvent.action == action)


def _wait_done(qtbot, desk, action):
    with qtbot.waitSignal(desk.supervisor_done, timeout=15_000,
                          check_params_cb=lambda a, ok: a == action) as done:
        pass
    return done.args[1]


def test_override_of_a_void_code_issues_a_ticket_and_is_audited(qtbot, ctx, desk):
    code = book(ctx, time(9, 15))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    assert desk.last_result.outcome is CheckInOutcome.VOID
    with qtbot.waitSignal(desk.supervisor_done, timeout=15_000) as done:
        desk.do_override(code, "Antre di pos pemeriksaan", TEST_PIN)
    assert done.args == ["override", True]
    assert desk.scan.verdict.title.text() == "DITERIMA"
    assert count(ctx, Ticket) == 1 and print_jobs(ctx) == 1
    assert _audits(ctx, "override_void") == 1


def test_reprint_needs_the_pin_and_queues_a_marked_job(qtbot, ctx, desk):
    first = check_in(ctx, book(ctx, time(10, 0)))
    with qtbot.waitSignal(desk.supervisor_done, timeout=15_000) as done:
        desk.do_reprint(first.ticket.label, TEST_PIN)
    assert done.args == ["reprint", True]
    assert print_jobs(ctx, PrintJob.reprint.is_(True)) == 1
    assert _audits(ctx, "reprint") == 1
    assert "Cetak ulang A001" in desk.scan.notice.text()


def test_cancel_needs_pin_and_reason_and_is_audited(qtbot, ctx, desk):
    first = check_in(ctx, book(ctx, time(10, 0)))
    with qtbot.waitSignal(desk.supervisor_done, timeout=15_000) as done:
        desk.do_cancel(first.ticket.label, "x", TEST_PIN)  # reason too short
    assert done.args == ["cancel", False] and "Alasan" in desk.scan.notice.text()
    with qtbot.waitSignal(desk.supervisor_done, timeout=15_000) as done:
        desk.do_cancel(first.ticket.label, "Pemohon pulang", TEST_PIN)
    assert done.args == ["cancel", True]
    with ctx.db.read() as session:
        assert session.scalar(select(Ticket.state)) == "cancelled"
    assert _audits(ctx, "pin_ok") == 1


def test_a_wrong_pin_is_refused_and_changes_nothing(qtbot, ctx, desk):
    first = check_in(ctx, book(ctx, time(10, 0)))
    with qtbot.waitSignal(desk.supervisor_done, timeout=15_000) as done:
        desk.do_reprint(first.ticket.label, "0000")
    assert done.args == ["reprint", False]
    assert desk.scan.notice.text() == "PIN salah."
    assert print_jobs(ctx, PrintJob.reprint.is_(True)) == 0
    assert _audits(ctx, "pin_failed") == 1


def test_after_five_wrong_pins_even_the_right_pin_waits(qtbot, ctx, desk):
    first = check_in(ctx, book(ctx, time(10, 0)))
    for _ in range(5):
        with qtbot.waitSignal(desk.supervisor_done, timeout=15_000):
            desk.do_reprint(first.ticket.label, "1111")
    with qtbot.waitSignal(desk.supervisor_done, timeout=15_000) as done:
        desk.do_reprint(first.ticket.label, TEST_PIN)
    assert done.args == ["reprint", False]
    assert "Terlalu banyak PIN salah" in desk.scan.notice.text()
    assert print_jobs(ctx, PrintJob.reprint.is_(True)) == 0
    assert _audits(ctx, "pin_failed") == 5 and _audits(ctx, "pin_ok") == 0


def test_settings_open_only_with_the_pin_and_saved_settings_apply(qtbot, ctx, desk):
    from kiosk.config import replace

    opened = []
    with qtbot.waitSignal(desk.supervisor_done, timeout=15_000) as done:
        desk.do_open_settings("9999", lambda: opened.append(True))
    assert done.args == ["settings", False] and not opened
    with qtbot.waitSignal(desk.supervisor_done, timeout=15_000) as done:
        desk.do_open_settings(TEST_PIN, lambda: opened.append(True))
    assert opened == [True]
    # what the settings dialog hands back after Save takes effect at once
    desk.apply_config(replace(ctx.config, desk={"sounds": False, "verdict_seconds": 5}))
    assert desk.sounds.enabled is False and ctx.config.desk.verdict_seconds == 5


def test_the_pin_dialog_waits_for_a_pin_and_a_reason(qtbot, desk):
    dialog = SupervisorDialog("t", "e", desk, ask_reason=True)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.pin, "24ab6810")  # letters are not taken
    # (the scanner recogniser holds keys back for a few ms before giving them to the field)
    qtbot.waitUntil(lambda: dialog.pin.text() == "246810")
    assert not ok.isEnabled()
    dialog.reason.setText("Sakit di jalan")
    assert ok.isEnabled()
    assert dialog.values() == {"pin": "246810", "number": "", "reason": "Sakit di jalan"}
