"""Supervisor actions behind the PIN: each audited, a wrong PIN refused, and after
too many wrong PINs even the right one waits."""

from __future__ import annotations

from datetime import time

import pytest
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
    assert desk.scan.notice.text() == "PIN salah. Sisa 4 kali sebelum terkunci."
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


class DialogDriver:
    """Answers each modal SupervisorDialog as it is shown (exec() runs its own loop):
    ``steps[i](dialog)`` for the i-th time a dialog appears."""

    def __init__(self, steps):
        from PySide6.QtCore import QTimer

        self.steps, self.seen, self._shown = list(steps), [], False
        self.timer = QTimer(interval=20)
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def _look(self):
        from PySide6.QtWidgets import QApplication

        from kiosk.ui.supervisor import SupervisorDialog

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SupervisorDialog) or not dialog.isVisible():
            self._shown = False
            return
        if self._shown or not self.steps:
            return
        self._shown = True
        self.seen.append((dialog.error.isVisible(), dialog.error.text()))
        self.steps.pop(0)(dialog)


@pytest.mark.parametrize("tab", [0, 1, 2, 3])
def test_a_wrong_pin_is_said_inside_the_dialog_on_every_tab(qtbot, ctx, desk, tab):
    first = check_in(ctx, book(ctx, time(10, 0)))
    desk.show_tab(tab)

    def answer(pin):
        def step(dialog):
            dialog.number.setText(first.ticket.label)
            dialog.pin.setText(pin)
            dialog.accept()
        return step

    # GIVEN the supervisor types a wrong PIN, then the right one
    driver = DialogDriver([answer("0000"), answer(TEST_PIN)])
    with qtbot.waitSignal(desk.supervisor_done, timeout=20_000) as done:
        desk.request_reprint()
    driver.timer.stop()
    # THEN the dialog itself said "PIN salah" and how many tries are left, then the reprint went
    assert driver.seen[0] == (False, "")
    assert driver.seen[1][0] and "PIN salah" in driver.seen[1][1] and "Sisa 4 kali" in driver.seen[1][1]
    assert done.args == ["reprint", True]
    assert print_jobs(ctx, PrintJob.reprint.is_(True)) == 1


def test_the_dialog_gives_the_lock_time_when_locked(qtbot, ctx, desk):
    first = check_in(ctx, book(ctx, time(10, 0)))
    for _ in range(4):
        with qtbot.waitSignal(desk.supervisor_done, timeout=15_000):
            desk.do_reprint(first.ticket.label, "1111")

    def wrong(dialog):
        dialog.number.setText(first.ticket.label)
        dialog.pin.setText("2222")
        dialog.accept()

    driver = DialogDriver([wrong, lambda dialog: dialog.reject()])
    with qtbot.waitSignal(desk.supervisor_done, timeout=20_000) as done:
        desk.request_reprint()
    driver.timer.stop()
    # THEN the fifth wrong PIN locks, and the dialog says until when (09.00 + 15 min)
    assert done.args == ["reprint", False]
    assert "terkunci sampai pukul 09.15" in driver.seen[1][1]
