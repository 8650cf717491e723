"""The settings dialog: every key of the one declared config model, validated as at
start, written back to the same TOML file, audited; with printer and camera tests and
the display's screen picker. Validation is pure and runs here; the file, the database,
the printer (up to seconds) and the camera go through the window's :class:`TaskRunner`,
so the GUI thread never waits on them."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QScrollArea, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from kiosk.app import AppContext
from kiosk.config import Config, ConfigError, KeySpec, from_mapping, schema, sections, to_toml
from kiosk.i18n import tr
from kiosk.private_files import write_private
from kiosk.services.common import audit
from kiosk.ui.handlers import split
from kiosk.ui.tasks import TaskRunner

C = "Settings"
HIDDEN = {"security.supervisor_pin_hash"}  # changed with its own PIN action, never shown
SCREEN_FILE = "display-screen.json"


def _inline(value: Any) -> str:
    """Lists and tables are edited as TOML inline values, written as the config file has them."""
    from kiosk.config import toml_value

    return toml_value(value)


class Editor:
    """One key's widget, read back as a TOML-compatible value."""

    def __init__(self, spec: KeySpec, value: Any) -> None:
        self.spec = spec
        tp = spec.type
        if tp is bool:
            self.widget: QWidget = QCheckBox()
            self.widget.setChecked(bool(value))
            self.read: Callable[[], Any] = self.widget.isChecked
        elif tp is int:
            self.widget = QSpinBox()
            self.widget.setRange(-2_000_000_000, 2_000_000_000)
            self.widget.setValue(int(value))
            self.read = self.widget.value
        elif tp is float:
            self.widget = QDoubleSpinBox()
            self.widget.setRange(-1e9, 1e9)
            self.widget.setDecimals(2)
            self.widget.setValue(float(value))
            self.read = self.widget.value
        elif tp is str:
            self.widget = QLineEdit(str(value))
            self.read = self.widget.text
        else:
            self.widget = QLineEdit(_inline(value))
            self.read = self._read_inline
        self.widget.setObjectName(spec.name)
        self.widget.setToolTip(spec.help)

    def _read_inline(self) -> Any:
        text = self.widget.text()  # type: ignore[attr-defined]
        try:
            return tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            return text  # the model's type check names the key and what is expected


class ConfigDialog(QDialog):
    """Opened behind the supervisor PIN. ``saved`` holds the new Config after Save."""

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None, *,
                 actor: str = "supervisor") -> None:
        super().__init__(parent)
        self.ctx, self.runner, self.actor = ctx, runner, actor
        self.config = ctx.config
        self.saved: Config | None = None
        self.needs_restart: list[str] = []
        self.setWindowTitle(tr(C, "Pengaturan"))
        self.editors: dict[str, Editor] = {}
        self.tabs = QTabWidget()
        for section, _ in sections():
            page = QWidget()
            form = QFormLayout(page)
            for spec in schema():
                if not spec.name.startswith(section + ".") or spec.name in HIDDEN:
                    continue
                editor = Editor(spec, getattr(getattr(self.config, section), spec.name.split(".", 1)[1]))
                self.editors[spec.name] = editor
                label = spec.name.split(".", 1)[1] + (" *" if spec.restart else "")
                form.addRow(label, editor.widget)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, section)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold")
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.screens = QComboBox()
        self.screens.setObjectName("screens")
        for index, screen in enumerate(QGuiApplication.screens()):
            size = screen.size()
            self.screens.addItem(f"{index}: {screen.name()} {size.width()}×{size.height()}", (screen.name(), index))
        self.test_printer = QPushButton(tr(C, "Tes printer"))
        self.test_printer.clicked.connect(self.run_printer_test)
        self.test_camera = QPushButton(tr(C, "Tes kamera"))
        self.test_camera.clicked.connect(self.run_camera_test)
        self.pick_screen = QPushButton(tr(C, "Pakai layar ini untuk display"))
        self.pick_screen.clicked.connect(self.save_screen)
        tools = QHBoxLayout()
        for w in (self.test_printer, self.test_camera, QLabel(tr(C, "Layar display:")), self.screens,
                  self.pick_screen):
            tools.addWidget(w)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr(C, "Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr(C, "Batal"))
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        note = QLabel(tr(C, "Tanda * : perubahan berlaku setelah aplikasi dimulai ulang."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(tools)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(900, 620)

    # --- validation and saving ----------------------------------------------------------

    def values(self) -> dict[str, dict[str, Any]]:
        data: dict[str, dict[str, Any]] = {}
        for section, _ in sections():
            data[section] = dataclasses.asdict(getattr(self.config, section))
        for name, editor in self.editors.items():
            section, key = name.split(".", 1)
            data[section][key] = editor.read()
        return data

    def validate(self) -> Config | None:
        """The new Config, or None with the error shown and the key's field focused."""
        try:
            config = from_mapping(self.values(), source=self.config.source)
        except ConfigError as exc:
            self.error.setText(tr(C, "Tidak disimpan: {error}", error=str(exc)))
            editor = self.editors.get(exc.key or "")
            if editor is not None:
                self.tabs.setCurrentIndex([s for s, _ in sections()].index(exc.key.split(".")[0]))  # type: ignore[union-attr]
                editor.widget.setFocus()
            return None
        self.error.clear()
        return config

    def save(self) -> None:
        config = self.validate()
        if config is None:
            return
        changed = [s.name for s in schema()
                   if _get(config, s.name) != _get(self.config, s.name)]
        path = self.config.source
        if changed and path is None:
            self.error.setText(tr(C, "Tidak disimpan: tidak ada berkas konfigurasi."))
            return

        def write() -> None:
            if not changed or path is None:
                return
            write_private(Path(path), to_toml(config))  # the file holds the PIN hash
            with self.ctx.db.write() as session:
                audit(self.ctx, session, "settings_changed", actor=self.actor, target=str(path),
                      detail={"keys": changed})  # names only: values may be secrets

        self.save_button.setEnabled(False)
        self.runner.submit(write, split(lambda _: self._saved(config, changed), self._not_saved))

    def _saved(self, config: Config, changed: list[str]) -> None:
        self.save_button.setEnabled(True)
        self.needs_restart = [name for name in changed if next(s for s in schema() if s.name == name).restart]
        self.saved = config
        if self.needs_restart:
            self.result.setText(tr(C, "Disimpan. Mulai ulang aplikasi agar berlaku: {keys}",
                                   keys=", ".join(self.needs_restart)))
        self.accept()

    def _not_saved(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(tr(C, "Tidak disimpan: {error}", error=str(exc)))

    # --- tests of devices ---------------------------------------------------------------

    def run_printer_test(self) -> None:
        from kiosk.devices.printing.factory import make_printer
        from kiosk.services.printing import queue_test_page

        config = self.validate()
        if config is None:
            return

        def test() -> tuple[str, int]:
            status = make_printer(config).status()  # asking a printer can take seconds
            return status.message(), queue_test_page(self.ctx)

        def tested(result: tuple[str, int]) -> None:
            status, job = result
            self.result.setText(tr(C, "{status}. Halaman tes dikirim ke antrean cetak (job {job}).",
                                   status=status, job=job))

        # any transport error is shown, in words
        self.runner.submit(test, split(tested, lambda exc: self.result.setText(
            tr(C, "Printer gagal: {error}", error=str(exc)))))

    def run_camera_test(self) -> None:
        from kiosk.devices.camera import CameraSource, open_capture

        config = self.validate()
        if config is None:
            return

        def test() -> tuple[int, int] | None:
            source = CameraSource.parse(config.camera.source)
            capture = open_capture(source, config.camera.width, config.camera.height, config.camera.fps)
            try:
                ok, frame = capture.read() if capture.isOpened() else (False, None)
            finally:
                capture.release()
            return (frame.shape[1], frame.shape[0]) if ok and frame is not None else None

        def tested(size: tuple[int, int] | None) -> None:
            if size is not None:
                self.result.setText(tr(C, "Kamera OK: {w}×{h}", w=size[0], h=size[1]))
            else:
                self.result.setText(tr(C, "Kamera gagal: {error}", error=tr(C, "tidak ada gambar")))

        # a camera that cannot open is a message, not a crash
        self.runner.submit(test, split(tested, lambda exc: self.result.setText(
            tr(C, "Kamera gagal: {error}", error=str(exc)))))

    def save_screen(self) -> None:
        from display.screens import ScreenChoice, ScreenMemory

        data = self.screens.currentData()
        if data is None:
            return
        name, index = data

        def remember() -> None:
            ScreenMemory(self.config.data_dir / SCREEN_FILE).save(ScreenChoice(name, index))
            with self.ctx.db.write() as session:
                audit(self.ctx, session, "display_screen", actor=self.actor, target=name, detail={"index": index})

        self.runner.submit(remember, split(
            lambda _: self.result.setText(tr(C, "Display akan memakai layar {name}.", name=name)),
            lambda exc: self.result.setText(str(exc))))


def _get(config: Config, name: str) -> Any:
    section, key = name.split(".", 1)
    return getattr(getattr(config, section), key)

