"""The front-desk window: scan → verdict → ticket, walk-in priority, today's list, and
the supervisor's actions behind the PIN. Every database call goes through the one
:class:`TaskRunner`; devices reach the window as signals of :class:`DeskDevices`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTabWidget
from sqlalchemy import text as sql_text

from kiosk import i18n
from kiosk.app import AppContext
from kiosk.i18n import tr
from kiosk.services import cancel, check_in, override_void, reprint, verify_pin
from kiosk.services.results import CheckInOutcome, CheckInResult
from kiosk.services.warmup import warm_up
from kiosk.services.supervisor import PinLocked, PinRejected, SupervisorError
from kiosk.services.calls import CallError
from kiosk.config import ConfigError
from kiosk.devices.wedge import wedge_from_config
from kiosk.store import DatabaseError
from kiosk.ui import look
from kiosk.ui.devices import DeskDevices
from kiosk.ui.handlers import split
from kiosk.ui.scan_tab import ScanTab
from kiosk.ui.sounds import Sounds
from kiosk.ui.status_lights import DeviceState, Light, StatusLights
from kiosk.ui.supervisor import SupervisorDialog
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.report_tab import ReportTab
from kiosk.ui.today_tab import TodayTab
from kiosk.ui.verdict import VerdictLook, busy_look, outcome_colour, ready_look, verdict_look
from kiosk.ui.walkin_panel import WalkInPanel

log = logging.getLogger(__name__)
C = "Desk"
HEALTH_SECONDS = 15
REFUSALS = (PinLocked, PinRejected, SupervisorError, CallError, ConfigError, ValueError)


def plain_error(exc: BaseException) -> str:
    """Words for the officer; never a traceback."""
    if isinstance(exc, REFUSALS) or isinstance(exc, DatabaseError):
        return str(exc)
    return tr(C, "Terjadi gangguan ({kind}). Coba lagi; bila berulang, hubungi petugas TI.", kind=type(exc).__name__)


class DeskWindow(QMainWindow):
    verdict_shown = Signal(object)  # CheckInResult, after it is on screen
    supervisor_done = Signal(str, bool)  # action, succeeded

    def __init__(self, ctx: AppContext, *, devices: DeskDevices | None = None, sounds: Sounds | None = None,
                 runner: TaskRunner | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.runner = runner or TaskRunner("desk-db", self)
        self.devices = devices or DeskDevices(self)
        self.sounds = sounds or Sounds(ctx.config.desk.sounds)
        self.last_result: CheckInResult | None = None
        self.last_code: str | None = None
        self.scan_started: dict[str, float] = {}  # code → when it reached the desk (benchmarks)
        self._pending: set[str] = set()
        self._device_states: dict[str, DeviceState] = {}
        # USB scanners type: their bursts are recognised anywhere in the application and
        # never reach the widget with the focus (kiosk.devices.wedge).
        self.wedge = wedge_from_config(ctx.config.scanner, parent=self)
        self.wedge.code_scanned.connect(lambda text: self.submit_code(text, "scanner"))
        self.wedge.install()
        self._ready_timer = QTimer(self, singleShot=True)
        self._ready_timer.timeout.connect(self._back_to_ready)
        self._busy_timer = QTimer(self, singleShot=True, interval=150)
        self._busy_timer.timeout.connect(lambda: self.scan.verdict.show_look(busy_look()))
        self._health = QTimer(self, interval=HEALTH_SECONDS * 1000)
        self._health.timeout.connect(self.check_database)
        d = self.devices
        d.frame.connect(self._camera_frame)
        d.code_seen.connect(self._camera_code)
        d.scanned.connect(lambda text: self.submit_code(text, "scanner"))
        d.scanner_state.connect(lambda s: self._set_device("scanner", s))
        d.camera_state.connect(lambda s: self._set_device("camera", s))
        d.printer_state.connect(lambda s: self._set_device("printer", s))
        d.printed.connect(lambda job, name: self.scan.show_notice(tr(C, "Tiket {number} tercetak.", number=name)))
        self._build()
        self.resize(1280, 720)
        self._health.start()
        self.check_database()
        self.devices.start(self.runner)
        self.runner.submit(lambda: warm_up(ctx), lambda _r, _e: None)

    # --- building (again after a language switch) -------------------------------------------

    def _build(self) -> None:
        self.setWindowTitle(tr(C, "Antrean Paspor — Meja depan — {office}", office=self.ctx.config.office.name))
        self.tabs = QTabWidget()
        self.scan = ScanTab()
        self.scan.code_entered.connect(lambda text: self.submit_code(text, "manual"))
        self.scan.verdict.action_requested.connect(self._verdict_action)
        self.walkin = WalkInPanel(self.ctx, self.runner, self.sounds)
        self.walkin.issued.connect(lambda _r: (self.devices.job_queued(), self.today.refresh()))
        self.today = TodayTab(self.ctx, self.runner)
        self.tabs.addTab(self.scan, tr(C, "Pindai (F2)"))
        self.tabs.addTab(self.walkin, tr(C, "Prioritas (F3)"))
        self.tabs.addTab(self.today, tr(C, "Hari ini (F4)"))
        self.report = ReportTab(self.ctx, self.runner)
        self.tabs.addTab(self.report, tr(C, "Laporan (F6)"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.lights = StatusLights()
        self.statusBar().addPermanentWidget(self.lights, 1)
        self.scan.camera.show_message(tr(C, "Kamera: {reason}", reason=self.devices.camera_reason))
        for name, state in self._device_states.items():
            if name != "database":  # re-read below, in the new language
                self._set_device(name, state)
        if self._device_states.pop("database", None) is not None:
            self.check_database()
        self._build_menus()
        self._show_sound_state()
        if self.last_result is not None:
            self._render(self.last_result)
        else:
            self.scan.verdict.show_look(ready_look())
        self.scan.manual.setFocus()

    def _action(self, menu: Any, text: str, shortcut: str | None, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        view = bar.addMenu(tr(C, "&Tampilan"))
        self._action(view, tr(C, "Pindai"), "F2", lambda: self.show_tab(0))
        self._action(view, tr(C, "Prioritas"), "F3", lambda: self.show_tab(1))
        self._action(view, tr(C, "Hari ini"), "F4", lambda: self.show_tab(2))
        self._action(view, tr(C, "Laporan"), "F6", lambda: self.show_tab(3))
        self._action(view, tr(C, "Ketik kode"), "Ctrl+K", self.focus_code)
        self._action(view, tr(C, "Cari tiket"), "Ctrl+F", lambda: (self.show_tab(2), self.today.search.setFocus()))
        self._action(view, tr(C, "Muat ulang"), "F5", self.refresh)
        view.addSeparator()
        self._action(view, "Bahasa Indonesia", None, lambda: self.set_language("id"))
        self._action(view, "English", None, lambda: self.set_language("en"))
        self._action(view, tr(C, "Ganti bahasa"), "Ctrl+Shift+L",
                     lambda: self.set_language("en" if self.language == "id" else "id"))
        view.addSeparator()
        self._action(view, tr(C, "Keluar"), "Ctrl+Q", self.close)
        sup = bar.addMenu(tr(C, "&Supervisor"))
        self._action(sup, tr(C, "Cetak ulang tiket…"), "F7", lambda: self.request_reprint())
        self._action(sup, tr(C, "Kecualikan kode hangus…"), "F8", lambda: self.request_override())
        self._action(sup, tr(C, "Batalkan tiket…"), "F9", lambda: self.request_cancel())
        self._action(sup, tr(C, "Pengaturan…"), "F12", lambda: self.request_settings())
        helpm = bar.addMenu(tr(C, "&Bantuan"))
        self._action(helpm, tr(C, "Pintasan keyboard"), "F1", self.show_shortcuts)

    @property
    def language(self) -> str:
        return "en" if i18n.current_translator() is not None else "id"

    def set_language(self, language: str) -> None:
        app = QCoreApplication.instance()
        old = i18n.current_translator()
        if old is not None:
            app.removeTranslator(old)
        i18n.set_language(language)
        if i18n.current_translator() is not None:
            app.installTranslator(i18n.current_translator())
        index = self.tabs.currentIndex()
        self.statusBar().removeWidget(self.lights)
        self.lights.deleteLater()
        self.centralWidget().deleteLater()
        self._build()
        self.tabs.setCurrentIndex(index)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    def _tab_changed(self, index: int) -> None:
        if index == 0:
            self.scan.manual.setFocus()
        elif index == 1:
            self.walkin.refresh_quota()
            (self.walkin.buttons and next(iter(self.walkin.buttons.values()))).setFocus()
        elif index == 2:
            self.today.refresh()
        elif index == 3:
            self.report.refresh()

    def focus_code(self) -> None:
        self.show_tab(0)
        self.scan.manual.setFocus()

    def refresh(self) -> None:
        self.walkin.refresh_quota()
        self.today.refresh()
        self.check_database()

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, tr(C, "Pintasan keyboard"), tr(
            C, "F2 pindai · F3 prioritas · F4 hari ini · F6 laporan · Ctrl+K ketik kode · Ctrl+F cari · "
               "F5 muat ulang\n"
               "Alt+1..4 kategori prioritas · Ctrl+Enter cetak tiket prioritas\n"
               "F7 cetak ulang · F8 kecualikan hangus · F9 batalkan tiket · F12 pengaturan (PIN supervisor)\n"
               "Ctrl+Shift+L ganti bahasa · Ctrl+Q keluar\n"
               "Pemindai USB bisa dipakai di mana saja di jendela ini."))

    # --- scanning --------------------------------------------------------------------------

    def _camera_frame(self, image: Any, codes: list[tuple[str, list[tuple[float, float]]]]) -> None:
        self.scan.camera.show_frame(image)
        if codes:
            # The code in the picture, outlined in its verdict's colour once judged.
            text, corners = codes[0]
            r = self.last_result
            judged = r is not None and self.last_code == text and self._ready_timer.isActive()
            self.scan.camera.show_outline(corners, outcome_colour(r.outcome) if judged and r else look.NAVY)
        elif not self._ready_timer.isActive():
            self.scan.camera.clear_outline()

    def _camera_code(self, text: str, corners: object) -> None:
        if corners:
            self.scan.camera.show_outline(corners, look.NAVY)  # type: ignore[arg-type]
        self.submit_code(text, "camera")

    def submit_code(self, text: str, source: str) -> None:
        """A code from the camera, the USB scanner or the keyboard: judge it."""
        text = text.strip()
        if not text or text in self._pending:
            return  # the same code twice before its verdict: one verdict
        if source == "scanner":
            self._set_device("scanner", DeviceState(Light.OK, tr(C, "pemindai USB bekerja")))
        self.scan_started.setdefault(text, time.perf_counter())
        self.scan.show_notice("")  # the last scan's notice does not belong to this one
        self._pending.add(text)
        if self.tabs.currentIndex() != 0:
            self.show_tab(0)
        self._ready_timer.stop()
        self._busy_timer.start()
        self.runner.submit(lambda: check_in(self.ctx, text, actor="desk"),
                           split(lambda result: self._checked(text, result), lambda exc: self._check_failed(text, exc)))

    def _checked(self, text: str, result: CheckInResult) -> None:
        self._pending.discard(text)
        self._database_result(None)
        self.last_code = text
        self._render(result)
        self.play(self.scan.verdict.current.sound if self.scan.verdict.current else None)
        if result.issued:
            self.devices.job_queued()
        self.verdict_shown.emit(result)
        self.scan_started.pop(text, None)
        if self.tabs.currentIndex() == 2:
            self.today.refresh()

    def _render(self, result: CheckInResult) -> None:
        self._busy_timer.stop()
        self.last_result = result
        v = verdict_look(result, self.ctx.config.tz)
        self.scan.verdict.show_look(v)
        if self.scan.camera.outline:
            self.scan.camera.show_outline(self.scan.camera.outline, outcome_colour(result.outcome))
        self._ready_timer.start(self.ctx.config.desk.verdict_seconds * 1000)

    def _check_failed(self, text: str, exc: BaseException) -> None:
        self._pending.discard(text)
        self.scan_started.pop(text, None)
        self._busy_timer.stop()
        self._database_result(exc)
        self.scan.verdict.show_look(VerdictLook("error", look.RED, "invalid", tr(C, "GANGGUAN"),
                                                tr(C, "Belum bisa diperiksa"), plain_error(exc), "refused"))
        self.play("refused")

    def _back_to_ready(self) -> None:
        self.scan.verdict.show_look(ready_look())
        self.scan.camera.clear_outline()

    # --- status lights -----------------------------------------------------------------------

    def _set_device(self, name: str, state: DeviceState) -> None:
        self._device_states[name] = state
        getattr(self.lights, name).set_state(state)
        if name == "camera" and state.light is not Light.OK:
            self.scan.camera.show_message(tr(C, "Kamera: {reason}", reason=state.words))

    def play(self, sound: str | None) -> None:
        """A verdict's sound; the sound light says so when the desk has gone silent."""
        self.sounds.play(sound)
        self._show_sound_state()

    def _show_sound_state(self) -> None:
        problem = self.sounds.problem()
        if problem is None:
            state = DeviceState(Light.OK, tr(C, "menyala"))
        elif not self.sounds.enabled and not self.sounds.failed:
            state = DeviceState(Light.OFF, tr(C, "Suara mati (dimatikan di pengaturan)"))
        else:
            state = DeviceState(Light.WARN, tr(C, "Suara mati: {reason}", reason={
                "no audio output device": tr(C, "tidak ada perangkat suara"),
            }.get(problem, tr(C, "suara tidak bisa diputar"))))
        if self._device_states.get("sound") != state:
            if problem is not None:  # once per change: the light stays until it changes again
                (log.warning if state.light is Light.WARN else log.info)("desk sound: %s", problem)
            self._set_device("sound", state)

    def check_database(self) -> None:
        def ping() -> None:
            with self.ctx.db.read() as session:
                session.execute(sql_text("SELECT 1"))
        self.runner.submit(ping, split(lambda _: self._database_result(None), self._database_result))

    def _database_result(self, exc: BaseException | None) -> None:
        if exc is None:
            state = DeviceState(Light.OK, tr(C, "tersambung"))
        elif isinstance(exc, DatabaseError):
            state = DeviceState(Light.FAULT, tr(C, "tidak tersambung: {reason}", reason=str(exc)[:160]))
        else:
            return  # a refusal or a bug, not the database
        if self._device_states.get("database") != state:
            self._set_device("database", state)

    # --- supervisor actions -------------------------------------------------------------------

    def _verdict_action(self, action: str) -> None:
        if action == "reprint":
            self.request_reprint()
        elif action == "override":
            self.request_override()

    def _ask(self, dialog: SupervisorDialog) -> dict[str, str] | None:
        return dialog.values() if dialog.exec() == SupervisorDialog.DialogCode.Accepted else None

    def _supervised(self, action: str, call: Callable[[], Any], done: Callable[[Any], None],
                    dialog: SupervisorDialog | None = None,
                    again: Callable[[dict[str, str]], None] | None = None) -> None:
        def failed(exc: BaseException) -> None:
            if dialog is not None and again is not None and isinstance(exc, (PinRejected, PinLocked)):
                # Asked again in the same dialog, which says why (on any tab).
                self.play("refused")
                dialog.show_error(plain_error(exc))
                values = self._ask(dialog)
                if values:
                    again(values)
                else:
                    self.supervisor_done.emit(action, False)
                return
            self.scan.show_notice(plain_error(exc), look.RED)
            self.play("refused")
            self.supervisor_done.emit(action, False)

        def succeeded(result: Any) -> None:
            done(result)
            self.supervisor_done.emit(action, True)

        self.runner.submit(call, split(succeeded, failed))

    def _last_ticket_label(self) -> str | None:
        r = self.last_result
        return r.ticket.label if r is not None and r.ticket is not None else self.today.selected_number()

    def request_reprint(self) -> None:
        dialog = SupervisorDialog(tr(C, "Cetak ulang tiket"), tr(
            C, "Tiket dicetak ulang dengan tanda CETAK ULANG. Perlu PIN supervisor."), self,
            number=self._last_ticket_label(), ask_number=True)
        values = self._ask(dialog)
        if values:
            self.do_reprint(values["number"], values["pin"], dialog)

    def do_reprint(self, number: str, pin: str, dialog: SupervisorDialog | None = None) -> None:
        def done(result: Any) -> None:
            ticket, _job = result
            self.devices.job_queued()
            self.scan.show_notice(tr(C, "Cetak ulang {number} dikirim ke printer.", number=ticket.label), look.GREEN)
        self._supervised("reprint", lambda: reprint(self.ctx, number, pin=pin, actor="supervisor"), done,
                         dialog, lambda v: self.do_reprint(v["number"], v["pin"], dialog))

    def request_override(self) -> None:
        r = self.last_result
        if r is None or r.outcome is not CheckInOutcome.VOID or not self.last_code:
            self.scan.show_notice(tr(C, "Pindai dulu kode booking yang hangus, lalu tekan F8."), look.AMBER)
            return
        dialog = SupervisorDialog(tr(C, "Kecualikan kode hangus"), tr(
            C, "Kode {code} hangus. Tiket tetap diterbitkan bila supervisor mengizinkan; alasannya dicatat.",
            code=self.last_code), self, ask_reason=True)
        values = self._ask(dialog)
        if values:
            self.do_override(self.last_code, values["reason"], values["pin"], dialog)

    def do_override(self, code: str, reason: str, pin: str, dialog: SupervisorDialog | None = None) -> None:
        def done(result: CheckInResult) -> None:
            self._render(result)
            self.play("accepted")
            self.devices.job_queued()
            self.scan.show_notice(tr(C, "Dikecualikan oleh supervisor: {reason}", reason=reason), look.GREEN)
            self.verdict_shown.emit(result)
        self._supervised("override", lambda: override_void(self.ctx, code, pin=pin, reason=reason,
                                                           actor="supervisor"), done,
                         dialog, lambda v: self.do_override(code, v["reason"], v["pin"], dialog))

    def request_cancel(self) -> None:
        dialog = SupervisorDialog(tr(C, "Batalkan tiket"), tr(
            C, "Tiket yang dibatalkan tidak akan dipanggil. Alasannya dicatat."), self,
            number=self.today.selected_number(), ask_number=True, ask_reason=True)
        values = self._ask(dialog)
        if values:
            self.do_cancel(values["number"], values["reason"], values["pin"], dialog)

    def do_cancel(self, number: str, reason: str, pin: str, dialog: SupervisorDialog | None = None) -> None:
        def call() -> Any:
            if len(reason) < 5:
                raise SupervisorError(tr(C, "Alasan wajib diisi (minimal {n} huruf).", n=5))
            verify_pin(self.ctx, pin, actor="supervisor", action="cancel")
            return cancel(self.ctx, number, actor="supervisor", reason=reason)

        def done(ticket: Any) -> None:
            self.scan.show_notice(tr(C, "Tiket {number} dibatalkan.", number=ticket.label), look.GREEN)
            self.today.refresh()
        self._supervised("cancel", call, done, dialog,
                         lambda v: self.do_cancel(v["number"], v["reason"], v["pin"], dialog))

    def request_settings(self) -> None:
        dialog = SupervisorDialog(tr(C, "Pengaturan"), tr(C, "Pengaturan perlu PIN supervisor."), self)
        values = self._ask(dialog)
        if values:
            self.do_open_settings(values["pin"], self._settings_dialog, dialog)

    def _settings_dialog(self) -> None:
        from kiosk.ui.settings_dialog import ConfigDialog  # the office's whole settings model

        dialog = ConfigDialog(self.ctx, self, actor="supervisor")
        if dialog.exec() == ConfigDialog.DialogCode.Accepted and dialog.saved is not None:
            self.apply_config(dialog.saved)

    def do_open_settings(self, pin: str, then: Callable[[], None], dialog: SupervisorDialog | None = None) -> None:
        self._supervised("settings", lambda: verify_pin(self.ctx, pin, actor="supervisor", action="settings"),
                         lambda _: then(), dialog, lambda v: self.do_open_settings(v["pin"], then, dialog))

    def apply_config(self, config: Any) -> None:
        """Use settings saved in the settings dialog (those marked restart wait for one)."""
        self.ctx.config = config
        self.sounds.enabled = config.desk.sounds
        self._show_sound_state()
        self.scan.show_notice(tr(C, "Pengaturan disimpan."), look.GREEN)
        if config.desk.language != self.language:
            self.set_language(config.desk.language)

    # --- closing --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop timers, devices and the database thread; safe to call twice."""
        for timer in (self._ready_timer, self._busy_timer, self._health):
            timer.stop()
        app = QApplication.instance()
        if app is not None:
            self.wedge.uninstall()
        self.devices.stop()
        self.runner.close()
        self.sounds.close()
