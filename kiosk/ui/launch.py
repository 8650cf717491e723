"""Starting the desk (or the self-service screen) and the demo: the Qt application,
the language, the devices from the configuration."""

from __future__ import annotations

import logging
import signal
import time
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import i18n
from kiosk.app import AppContext
from kiosk.ui.devices import DeskDevices

log = logging.getLogger(__name__)


def qt_app(language: str) -> QApplication:
    """The QApplication (high-DPI scaling is on by default in Qt 6), with the language's
    catalogue installed and Ctrl+C / SIGTERM quitting cleanly."""
    app = QApplication.instance() or QApplication(["antrean"])
    app.setApplicationName("Antrean Paspor")
    i18n.set_language(language)
    if i18n.current_translator() is not None:
        app.installTranslator(i18n.current_translator())
    # exit(), not quit(): Qt 6's quit() first asks every window to close, and the
    # waiting-room board and the self-service screen refuse.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.exit(0))
    timer = QTimer(app)  # lets Python run its signal handlers while Qt's loop runs
    timer.timeout.connect(lambda: None)
    timer.start(200)
    return app  # type: ignore[return-value]


def build_devices(ctx: AppContext, *, camera: bool = True, printer: bool = True) -> DeskDevices:
    """The camera worker, the serial scanner and the printer thread this desk's
    configuration asks for (not started: the window starts them once it is shown)."""
    devices = DeskDevices()
    if camera and (ctx.config.camera.source.strip() or ctx.config.scanner.serial_port.strip()):
        def make_scanners() -> tuple[Any, Any]:
            # OpenCV and the decoders take a while to import: built on the window's task
            # thread once it is shown. A bad source raises; the desk then runs on the USB
            # scanner and the keyboard, and its camera light says why.
            from kiosk.devices.scanning import camera_from_config, serial_scanner_from_config
            from kiosk.services.checkin import is_imported_code

            camera_worker = camera_from_config(ctx.config, known_code=lambda text: is_imported_code(ctx, text),
                                               on_code=devices.on_decoded,
                                               on_preview=devices.on_preview, on_status=devices.on_camera_status)
            serial = serial_scanner_from_config(ctx.config, on_code=devices.on_serial_code,
                                                on_status=devices.on_serial_status)
            return camera_worker, serial
        devices.scanner_factory = make_scanners
    if printer:
        def make_printer_worker() -> Any:
            # A printer the config names but the machine lacks raises here; the desk
            # still runs and its printer light says why.
            from kiosk.devices.printing.factory import make_printer
            from kiosk.devices.printing.spooler import PrinterWorker
            from kiosk.services.printing import OutboxSource

            return PrinterWorker(make_printer(ctx.config), OutboxSource(ctx), on_status=devices.on_printer_status,
                                 on_printed=devices.on_printed)
        devices.printer_factory = make_printer_worker
    return devices


def open_desk(ctx: AppContext, *, self_service: bool | None = None, devices: DeskDevices | None = None) -> QWidget:
    from kiosk.ui.desk_window import DeskWindow
    from kiosk.ui.self_service import SelfServiceWindow

    devices = devices or build_devices(ctx)
    if ctx.config.desk.self_service if self_service is None else self_service:
        window: QWidget = SelfServiceWindow(ctx, devices=devices)
        window.showFullScreen()
    else:
        window = DeskWindow(ctx, devices=devices)
        window.show()
    return window


def run_desk(ctx: AppContext, *, self_service: bool | None = None, started: float | None = None,
             quit_after_shown: bool = False) -> int:
    app = qt_app(ctx.config.desk.language)
    window = open_desk(ctx, self_service=self_service)
    if quit_after_shown:
        # Start-up measurement: the window is on screen once the first paint is done.
        def shown() -> None:
            print(f"shown {time.perf_counter() - (started or 0):.3f}", flush=True)
            window.close()
            app.quit()
        QTimer.singleShot(0, shown)
    code = app.exec()
    _close(window)
    return code


def _close(window: Any) -> None:
    for name in ("shutdown", "close"):
        stop = getattr(window, name, None)
        if stop is not None:
            stop()
            return


def open_demo(office: Any, ctx: AppContext, *, audio: str = "auto") -> list[Any]:
    """The demo's windows: the desk, the demo phone, counter (loket) 1 and the waiting-room
    display in a window of its own. Returned in that order; close each with ``_close``."""
    from display.app import DisplayController, make_sink
    from kiosk.ui.counter import CounterWindow
    from kiosk.ui.demo_phone import DemoPhoneWindow

    desk = open_desk(ctx, self_service=False)
    phone = DemoPhoneWindow(office.bookings)
    counter = CounterWindow(ctx, int(min(ctx.config.queue.counters, key=int)))
    display = DisplayController(ctx.config, ctx.db, ctx.now, make_sink(audio), clock=ctx.clock)
    display.window.resize(960, 540)  # beside the others, not full screen over them
    display.window.show()
    display.start()
    counter.show()
    phone.show()
    desk.raise_()
    return [desk, phone, counter, display]


def run_demo(office: Any, ctx: AppContext) -> int:
    app = qt_app(ctx.config.desk.language)
    windows = open_demo(office, ctx)
    code = app.exec()
    for w in windows:
        _close(w)
    return code
