"""Starting the desk (or the self-service screen) and the demo: the Qt application,
the language, the devices from the configuration."""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import i18n
from kiosk.app import AppContext
from kiosk.ui.devices import DeskDevices

log = logging.getLogger(__name__)


NO_DISPLAY = ("No display found ({why}): start Antrean Paspor from a desktop session, or under a virtual "
              "display with `xvfb-run ./scripts/run.sh`, or try it on the command line: "
              "`./scripts/run.sh --setup-only` prints the demo codes and the `checkin` command to try them.")


def display_problem(env: dict[str, str] | None = None) -> str | None:
    """Why Qt would find no screen to open a window on (Linux), or None. Qt itself aborts
    with a message about xcb plugins that sends people looking for missing packages."""
    env = dict(os.environ) if env is None else env
    platform = env.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform not in ("", "xcb", "wayland"):
        return None  # Windows, macOS, or a chosen platform such as offscreen or vnc
    if env.get("WAYLAND_DISPLAY") and platform != "xcb":
        return None
    display = env.get("DISPLAY", "")
    if not display:
        return "DISPLAY is not set"
    host, _, number = display.partition(":")
    number = number.split(".")[0]
    if not host and number.isdigit() and not Path(f"/tmp/.X11-unix/X{number}").exists():
        return f"nothing listens on DISPLAY={display}"
    return None


def qt_app(language: str) -> QApplication:
    """The QApplication (high-DPI scaling is on by default in Qt 6), with the language's
    catalogue installed and Ctrl+C / SIGTERM quitting cleanly. With no display to open
    a window on, one line says what to do and the process exits with status 2."""
    if QApplication.instance() is None:
        problem = display_problem()
        if problem is not None:
            log.info("no display: %s", problem)  # the log file; the person reads the line below
            print(NO_DISPLAY.format(why=problem), file=sys.stderr)
            raise SystemExit(2)
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

            camera_worker = camera_from_config(ctx.config, on_code=devices.on_decoded,
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


# Room a window manager's frame takes around a window (title bar, borders) until the
# real frame is known; openbox, GNOME and Windows all stay within this.
FRAME_ALLOWANCE = (8, 32)


def demo_layout(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """Frames (x, y, w, h) of the desk, the demo phone, the counter and the display on a
    screen area of ``width`` × ``height``, side by side: the desk on the left, the
    display top right, the phone and the counter under it."""
    desk_w = max(745, int(width * 0.55))
    right_w = width - desk_w
    display_h = min(int(right_w * 9 / 16) + FRAME_ALLOWANCE[1], height // 2)
    phone_w = max(int(right_w * 0.38), 270)
    below = height - display_h
    return [(0, 0, desk_w, height), (desk_w, display_h, phone_w, below),
            (desk_w + phone_w, display_h, right_w - phone_w, below), (desk_w, 0, right_w, display_h)]


def place(window: Any, frame: tuple[int, int, int, int], origin: Any) -> None:
    """Put ``window``'s frame (decorations included) at ``frame``, relative to ``origin``."""
    x, y, w, h = frame
    margin_w = window.frameGeometry().width() - window.width()
    margin_h = window.frameGeometry().height() - window.height()
    if margin_w <= 0 and margin_h <= 0:  # not decorated yet
        margin_w, margin_h = FRAME_ALLOWANCE
    window.resize(max(1, w - margin_w), max(1, h - margin_h))
    window.move(origin.x() + x, origin.y() + y)  # move() places the frame's corner


def open_demo(office: Any, ctx: AppContext, *, audio: str = "auto") -> list[Any]:
    """The demo's windows: the desk, the demo phone, counter (loket) 1 and the waiting-room
    display as a normal window, laid out side by side. Returned in that order; close
    each with ``_close``."""
    from display.app import DisplayController, make_sink
    from kiosk.ui.counter import CounterWindow
    from kiosk.ui.demo_phone import DemoPhoneWindow

    desk = open_desk(ctx, self_service=False)
    phone = DemoPhoneWindow(office.bookings, compact=True)
    counter = CounterWindow(ctx, int(min(ctx.config.queue.counters, key=int)))
    counter.set_compact(True, on_top=False)
    display = DisplayController(ctx.config, ctx.db, ctx.now, make_sink(audio), clock=ctx.clock)
    # In the demo the board is one window among others: framed, not on top, not full screen.
    display.window.setWindowFlags(Qt.WindowType.Window)
    display.window.setMinimumSize(320, 180)
    windows = [desk, phone, counter, display.window]
    screen = QGuiApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else None

    def lay_out() -> None:
        if area is None:
            return
        for window, frame in zip(windows, demo_layout(area.width(), area.height())):
            place(window, frame, area.topLeft())

    lay_out()
    for window in windows:
        window.show()
    display.start()
    # The window manager decorates the windows a moment after they are shown: once it
    # has, their real frames are known and the layout is redone with them.
    QTimer.singleShot(400, lay_out)
    desk.raise_()
    desk.activateWindow()
    log.info("demo windows laid out on a %s screen area", f"{area.width()}x{area.height()}" if area else "unknown")
    return [desk, phone, counter, display]


def run_demo(office: Any, ctx: AppContext) -> int:
    app = qt_app(ctx.config.desk.language)
    windows = open_demo(office, ctx)
    code = app.exec()
    for w in windows:
        _close(w)
    return code
