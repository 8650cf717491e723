"""The front-desk window: scan → verdict → ticket, walk-in priority, today's list, and
the supervisor's actions behind the PIN. Every database call goes through the one
:class:`TaskRunner`; devices reach the window as signals of :class:`DeskDevices`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTabWidget
from sqlalchemy import text as sql_text

from kiosk import i18n
from kiosk.app import AppContext
from kiosk.i18n import tr
from kiosk.services import check_in
from kiosk.services.results import CheckInResult
from kiosk.services.warmup import warm_up
from kiosk.devices.wedge import wedge_from_config
from kiosk.store import DatabaseError
from kiosk.ui import look
from kiosk.ui.devices import DeskDevices
from kiosk.ui.desk_supervisor import SupervisorActions
from kiosk.ui.handlers import plain_error, split
from kiosk.ui.scan_tab import ScanTab
from kiosk.ui.sounds import Sounds
from kiosk.ui.status_lights import DeviceState, Light, StatusLights, said
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.ticket_events import TicketEvents
from kiosk.ui.report_tab import ReportTab
from kiosk.ui.today_tab import TodayTab
from kiosk.ui.verdict import VerdictLook, busy_look, outcome_colour, ready_look, verdict_look
from kiosk.ui.walkin_panel import WalkInPanel

log = logging.getLogger(__name__)
C = "Desk"
HEALTH_SECONDS = 15


class Tab(IntEnum):
    """The desk's tabs, in their order on screen; each tab's ``activate`` runs when it is shown."""
    SCAN = 0
    PRIORITY = 1
    TODAY = 2
    REPORT = 3


class DeskWindow(SupervisorActions, QMainWindow):
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
        # What the verdict panel shows, as a function that words it in the current
        # language: a language switch says the same event again, it does not repeat it.
        self._showing: Callable[[], VerdictLook] = ready_look
        self.scan_started: dict[str, float] = {}  # code → when it reached the desk (benchmarks)
        self._pending: set[str] = set()
        self._device_states: dict[str, DeviceState] = {}
        # USB scanners type: their bursts are recognised anywhere in the application and
        # never reach the widget with the focus (kiosk.devices.wedge).
        self.wedge = wedge_from_config(ctx.config.scanner, parent=self)
        self.wedge.code_scanned.connect(lambda text: self.submit_code(text, "scanner"))
        self.wedge.install()
        # Precise: its remaining time is what the officer has left to read the verdict.
        self._ready_timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._ready_timer.timeout.connect(self._back_to_ready)
        self._busy_timer = QTimer(self, singleShot=True, interval=150)
        self._busy_timer.timeout.connect(lambda: self._show(busy_look))
        self._health = QTimer(self, interval=HEALTH_SECONDS * 1000)
        self._health.timeout.connect(self.check_database)
        # One "a ticket changed" signal: the views follow it, nobody refreshes them by hand.
        self.events = TicketEvents(ctx, self.runner, self)
        self.events.changed.connect(self._ticket_changed)
        self.runner.unhandled.connect(self._unhandled)
        d = self.devices
        d.frame.connect(self._camera_frame)
        d.code_seen.connect(self._camera_code)
        d.scanned.connect(lambda text: self.submit_code(text, "scanner"))
        d.scanner_state.connect(lambda s: self._set_device("scanner", s))
        d.camera_state.connect(lambda s: self._set_device("camera", s))
        d.printer_state.connect(lambda s: self._set_device("printer", s))
        d.printed.connect(lambda job, name: self.scan.show_notice(lambda: tr(C, "Tiket {number} tercetak.",
                                                                             number=name)))
        self._build()
        self.resize(1280, 720)
        self._health.start()
        self.events.start()
        self.check_database()
        self.devices.start(self.runner)
        self.runner.submit(lambda: warm_up(ctx), lambda _r, _e: None)

    # --- building (again after a language switch) -------------------------------------------

    def _build(self, before: tuple[ScanTab, WalkInPanel] | None = None) -> None:
        """The window's widgets in the current language; ``before`` (the scan tab and the
        walk-in panel being replaced by a language switch) hands over what they show."""
        self.setWindowTitle(tr(C, "Antrean Paspor — Meja depan — {office}", office=self.ctx.config.office.name))
        self.tabs = QTabWidget()
        self.scan = ScanTab()
        self.scan.code_entered.connect(lambda text: self.submit_code(text, "manual"))
        self.scan.verdict.action_requested.connect(self._verdict_action)
        self.walkin = WalkInPanel(self.ctx, self.runner, self.sounds)
        self.walkin.issued.connect(lambda _r: self.devices.job_queued())
        self.today = TodayTab(self.ctx, self.runner)
        self.report = ReportTab(self.ctx, self.runner)
        for tab, widget in self._tab_widgets().items():
            title, key = self._tab_titles()[tab]
            self.tabs.insertTab(tab, widget, f"{title} ({key})")
        self._tab = Tab.SCAN
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.lights = StatusLights()
        self.statusBar().addPermanentWidget(self.lights, 1)
        camera = self._device_states.get("camera")
        self.scan.camera.show_message(tr(C, "Kamera: {reason}", reason=camera.again().words if camera is not None
                                         else self.devices.camera_reason))
        if before is not None:
            self.scan.take_over(before[0])
            self.walkin.take_over(before[1])
        for name, state in list(self._device_states.items()):
            self._set_device(name, state.again())  # the light's state as it was, in the new language
        self._build_menus()
        self._show_sound_state()
        # The verdict on screen, said again: its time and its remaining seconds stay as
        # they were (the ready timer is the window's and keeps running), no sound.
        self.scan.verdict.show_look(self._showing())
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
        for tab, (title, key) in self._tab_titles().items():
            self._action(view, title, key, lambda tab=tab: self.show_tab(tab))
        self._action(view, tr(C, "Ketik kode"), "Ctrl+K", self.focus_code)
        self._action(view, tr(C, "Cari tiket"), "Ctrl+F",
                     lambda: (self.show_tab(Tab.TODAY), self.today.search.setFocus()))
        self._action(view, tr(C, "Muat ulang"), "F5", self.refresh)
        view.addSeparator()
        self._action(view, "Bahasa Indonesia", None, lambda: self.set_language("id"))
        self._action(view, "English", None, lambda: self.set_language("en"))
        self._action(view, tr(C, "Ganti bahasa"), "Ctrl+Shift+L",
                     lambda: self.set_language("en" if self.language == "id" else "id"))
        view.addSeparator()
        self._action(view, tr(C, "Keluar"), "Ctrl+Q", self.close)
        sup = bar.addMenu(tr(C, "&Supervisor"))
        self._action(sup, tr(C, "Cetak ulang tiket…"), "F7", self.request_reprint)
        self._action(sup, tr(C, "Kecualikan kode hangus…"), "F8", self.request_override)
        self._action(sup, tr(C, "Batalkan tiket…"), "F9", self.request_cancel)
        self._action(sup, tr(C, "Pengaturan…"), "F12", self.request_settings)
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
        before = (self.scan, self.walkin)
        self.statusBar().removeWidget(self.lights)
        self.lights.deleteLater()
        self.centralWidget().deleteLater()
        self._build(before)
        self._tab = Tab(index)  # the same tab again: not a tab the officer left
        self.tabs.setCurrentIndex(index)

    def _tab_widgets(self) -> dict[Tab, ScanTab | WalkInPanel | TodayTab | ReportTab]:
        return {Tab.SCAN: self.scan, Tab.PRIORITY: self.walkin, Tab.TODAY: self.today, Tab.REPORT: self.report}

    def _tab_titles(self) -> dict[Tab, tuple[str, str]]:
        return {Tab.SCAN: (tr(C, "Pindai"), "F2"), Tab.PRIORITY: (tr(C, "Prioritas"), "F3"),
                Tab.TODAY: (tr(C, "Hari ini"), "F4"), Tab.REPORT: (tr(C, "Laporan"), "F6")}

    def show_tab(self, tab: Tab) -> None:
        self.tabs.setCurrentIndex(Tab(tab))

    def _tab_changed(self, index: int) -> None:
        if index < 0:
            return
        widgets = self._tab_widgets()
        if self._tab != index:
            # The officer left that tab (or a scan took the desk to its verdict): what was
            # half typed there is cleared, not left for the next applicant.
            widgets[self._tab].leave()
        self._tab = Tab(index)
        widgets[self._tab].activate()

    def _ticket_changed(self) -> None:
        """A ticket changed, at this desk or anywhere else: the shown views read again."""
        self.today.ticket_changed()
        if self.walkin.isVisible():
            self.walkin.refresh_quota()

    def _unhandled(self, exc: BaseException) -> None:
        """A background task failed and nothing handled it: the officer reads why, in words."""
        words = plain_error(exc)
        self.scan.show_notice(lambda: plain_error(exc), look.RED)
        self.statusBar().showMessage(words, self.ctx.config.desk.verdict_seconds * 1000)

    def focus_code(self) -> None:
        self.show_tab(Tab.SCAN)
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
            self._set_device("scanner", said(Light.OK, lambda: tr(C, "pemindai USB bekerja")))
        self.scan_started.setdefault(text, time.perf_counter())
        at = self.ctx.now()  # when the code reached the desk: the verdict says it
        self.scan.show_notice("")  # the last scan's notice does not belong to this one
        self._pending.add(text)
        if self.tabs.currentIndex() != Tab.SCAN:
            self.show_tab(Tab.SCAN)
        self._ready_timer.stop()
        self._busy_timer.start()
        self.runner.submit(lambda: check_in(self.ctx, text, actor="desk"),
                           split(lambda result: self._checked(text, result, at),
                                 lambda exc: self._check_failed(text, exc)))

    def _show(self, say: Callable[[], VerdictLook]) -> None:
        self._showing = say
        self.scan.verdict.show_look(say())

    def _checked(self, text: str, result: CheckInResult, at: datetime | None = None) -> None:
        self._pending.discard(text)
        self._database_result(None)
        self.last_code = text
        self._render(result, at)
        self.play(self.scan.verdict.current.sound if self.scan.verdict.current else None)
        if result.issued:
            self.devices.job_queued()
        self.verdict_shown.emit(result)
        self.scan_started.pop(text, None)

    def _render(self, result: CheckInResult, at: datetime | None = None) -> None:
        self._busy_timer.stop()
        self.last_result = result
        scanned_at = at or self.ctx.now()
        self._show(lambda: verdict_look(result, self.ctx.config.tz, scanned_at))
        if self.scan.camera.outline:
            self.scan.camera.show_outline(self.scan.camera.outline, outcome_colour(result.outcome))
        self._ready_timer.start(self.ctx.config.desk.verdict_seconds * 1000)

    def _check_failed(self, text: str, exc: BaseException) -> None:
        self._pending.discard(text)
        self.scan_started.pop(text, None)
        self._busy_timer.stop()
        self._database_result(exc)
        self._show(lambda: VerdictLook("error", look.RED, "invalid", tr(C, "GANGGUAN"),
                                       tr(C, "Belum bisa diperiksa"), plain_error(exc), "refused"))
        self.play("refused")

    def _back_to_ready(self) -> None:
        self._show(ready_look)
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
            state = said(Light.OK, lambda: tr(C, "menyala"))
        elif not self.sounds.enabled and not self.sounds.failed:
            state = said(Light.OFF, lambda: tr(C, "Suara mati (dimatikan di pengaturan)"))
        else:
            state = said(Light.WARN, lambda: tr(C, "Suara mati: {reason}", reason={
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
            state = said(Light.OK, lambda: tr(C, "tersambung"))
        elif isinstance(exc, DatabaseError):
            reason = str(exc)[:160]
            state = said(Light.FAULT, lambda: tr(C, "tidak tersambung: {reason}", reason=reason))
        else:
            return  # a refusal or a bug, not the database
        if self._device_states.get("database") != state:
            self._set_device("database", state)

    def apply_config(self, config: Any) -> None:
        """Use settings saved in the settings dialog (those marked restart wait for one)."""
        self.ctx.config = config
        self.sounds.enabled = config.desk.sounds
        self._show_sound_state()
        self.scan.show_notice(lambda: tr(C, "Pengaturan disimpan."), look.GREEN)
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
        self.events.stop()
        app = QApplication.instance()
        if app is not None:
            self.wedge.uninstall()
        self.devices.stop()
        self.runner.close()
        self.sounds.close()
