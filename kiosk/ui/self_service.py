"""Self-service mode for a touch screen: full screen, only the walk-in priority flow,
big type and an on-screen keypad, back to the start after a pause. Nothing else of the
application can be reached from it; leaving needs the supervisor PIN."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from kiosk.app import AppContext
from kiosk.devices.wedge import wedge_from_config
from kiosk.i18n import tr
from kiosk.services import verify_pin
from kiosk.ui import look
from kiosk.ui.devices import DeskDevices
from kiosk.ui.handlers import split
from kiosk.ui.sounds import Sounds
from kiosk.ui.supervisor import SupervisorDialog
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.walkin_panel import WalkInPanel

C = "Desk"
_INPUT = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress, QEvent.Type.TouchUpdate}


class SelfServiceWindow(QWidget):
    went_idle = Signal()
    code_scanned = Signal(str)  # a USB scanner's burst, taken before it reached a field

    def __init__(self, ctx: AppContext, *, devices: DeskDevices | None = None, sounds: Sounds | None = None,
                 runner: TaskRunner | None = None) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.ctx = ctx
        self.runner = runner or TaskRunner("self-service-db", self)
        self.devices = devices or DeskDevices(self)
        self.sounds = sounds or Sounds(ctx.config.desk.sounds)
        self._may_close = False
        self.setWindowTitle(tr(C, "Antrean prioritas"))
        self.setStyleSheet("SelfServiceWindow { background: white; }")
        welcome = QLabel(tr(C, "Selamat datang di {office}", office=ctx.config.office.name))
        welcome.setFont(look.font(26, bold=True))
        welcome.setWordWrap(True)
        welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(tr(C, "Lansia, anak, penyandang disabilitas dan ibu hamil: sentuh kategori Anda untuk "
                            "mengambil nomor antrean prioritas."))
        hint.setFont(look.font(18))
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.panel = WalkInPanel(ctx, self.runner, self.sounds, touch=True)
        self.panel.answered.connect(lambda _r: self._idle.start())
        self.panel.issued.connect(lambda _r: self.devices.job_queued())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.addWidget(welcome)
        layout.addWidget(hint)
        layout.addWidget(self.panel, 1)
        self._idle = QTimer(self, singleShot=True, interval=ctx.config.desk.idle_seconds * 1000)
        self._idle.timeout.connect(self.back_to_start)
        QApplication.instance().installEventFilter(self)
        # A USB scanner at a self-service screen would otherwise type a booking code
        # into the name field and press the print button with its Enter.
        self.wedge = wedge_from_config(ctx.config.scanner, parent=self)
        self.wedge.code_scanned.connect(self._scanned)
        self.wedge.install()
        # The only way out, for staff: a chord no touch screen can type, then the PIN.
        QShortcut(QKeySequence("Ctrl+Shift+Alt+Q"), self, activated=self.request_exit)
        self.devices.start(self.runner)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in _INPUT:
            self._idle.start()
        return False

    def _scanned(self, code: str) -> None:
        self.panel.show_result(tr(C, "Kode booking terbaca. Layar ini hanya untuk antrean prioritas: silakan "
                                     "pindai kode Anda di meja depan."), look.AMBER)
        self._idle.start()
        self.code_scanned.emit(code)

    def back_to_start(self) -> None:
        self.panel.reset()
        self.panel.refresh_quota()
        self.went_idle.emit()

    def request_exit(self) -> None:
        dialog = SupervisorDialog(tr(C, "Tutup layanan mandiri"), tr(C, "Perlu PIN supervisor."), self)
        if dialog.exec() == SupervisorDialog.DialogCode.Accepted:
            self.exit_with_pin(dialog.values()["pin"])

    def exit_with_pin(self, pin: str) -> None:
        def allowed(_: object) -> None:
            self._may_close = True
            self.close()
        self.runner.submit(lambda: verify_pin(self.ctx, pin, actor="supervisor", action="exit_self_service"),
                           split(allowed, lambda exc: self.panel.show_result(str(exc), look.RED)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        # A window manager (or a stray key chord) may take the kiosk out of full screen:
        # put it back, so the desktop behind it is never reachable.
        if event.type() == QEvent.Type.WindowStateChange and self.isVisible() and not self._may_close \
                and not self.windowState() & Qt.WindowState.WindowFullScreen and self._fits_screen():
            QTimer.singleShot(0, self.showFullScreen)
        super().changeEvent(event)

    def _fits_screen(self) -> bool:
        # On a screen smaller than the layout, Qt leaves full screen by itself; insisting
        # would loop. The window then stays as large as the screen allows.
        screen = self.screen()
        hint = self.minimumSizeHint()
        return screen is None or (hint.width() <= screen.size().width() and hint.height() <= screen.size().height())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if not self._may_close:
            event.ignore()  # Alt+F4 or a window manager: the kiosk stays
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self._may_close = True
        self._idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            self.wedge.uninstall()
        self.devices.stop()
        self.runner.close()
        self.sounds.close()
