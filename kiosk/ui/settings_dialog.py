"""The settings dialog: every key of the one declared config model, validated as at
start, written back to the same TOML file, audited; with printer and camera tests and
the display's screen picker. The keys are shown in the office's words
(:mod:`kiosk.config.words`): by group, under their labels, with units and help, and
refused naming the field as labelled. Validation is pure and runs here; the file, the database,
the printer (up to seconds) and the camera go through the window's :class:`TaskRunner`,
so the GUI thread never waits on them."""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QPushButton, QScrollArea, QSpinBox, QStackedWidget, QVBoxLayout, QWidget,
)

from kiosk.app import AppContext
from kiosk.config import Config, ConfigError, KeySpec, from_mapping, schema, sections, to_toml
from kiosk.config import words
from kiosk.i18n import tr
from kiosk.private_files import write_private
from kiosk.services.common import audit
from kiosk.ui.handlers import split
from kiosk.ui.look import RED
from kiosk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

C = "Settings"
SCREEN_FILE = "display-screen.json"
HEX_KEYS = {"printer.usb_vendor_id", "printer.usb_product_id"}  # written as lsusb shows them
_BAD = f"border: 2px solid {RED}"


def _inline(value: Any) -> str:
    """Lists and tables are edited as TOML inline values, written as the config file has them."""
    from kiosk.config import toml_value

    return toml_value(value)


class Editor:
    """One key's widget, read back as a TOML-compatible value; its unit beside it."""

    def __init__(self, spec: KeySpec, value: Any, said: words.Words) -> None:
        self.spec = spec
        tp = spec.type
        suffix = f" {said.unit}" if said.unit else ""
        choices = getattr(spec.check, "choices", None)
        if tp is bool:
            self.widget: QWidget = QCheckBox()
            self.widget.setChecked(bool(value))
            self.read: Callable[[], Any] = self.widget.isChecked
        elif tp is int:
            self.widget = QSpinBox()
            self.widget.setRange(-2_000_000_000, 2_000_000_000)
            if spec.name in HEX_KEYS:
                self.widget.setRange(0, 0xFFFF)
                self.widget.setDisplayIntegerBase(16)
                self.widget.setPrefix("0x")
            self.widget.setSuffix(suffix)
            self.widget.setValue(int(value))
            self.read = self.widget.value
        elif tp is float:
            self.widget = QDoubleSpinBox()
            self.widget.setRange(-1e9, 1e9)
            self.widget.setDecimals(2)
            self.widget.setSuffix(suffix)
            self.widget.setValue(float(value))
            self.read = self.widget.value
        elif tp is str and choices:
            self.widget = QComboBox()  # a closed list: nothing to mistype
            self.widget.addItems(list(choices))
            self.widget.setCurrentText(str(value))
            self.read = self.widget.currentText
        elif tp is str:
            self.widget = QLineEdit(str(value))
            self.read = self.widget.text
        else:
            self.widget = QLineEdit(_inline(value))
            self.read = self._read_inline
        if isinstance(self.widget, (QSpinBox, QDoubleSpinBox, QComboBox)):
            self.widget.setMaximumWidth(280)  # a number or a choice, not a line of text
        self.widget.setObjectName(spec.name)
        self.widget.setToolTip(said.help)

    def _read_inline(self) -> Any:
        text = self.widget.text()  # type: ignore[attr-defined]
        try:
            return tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            return text  # the model's type check names the key and what is expected


class ConfigDialog(QDialog):
    """Opened behind the supervisor PIN. ``saved`` holds the new Config after Save.

    The keys are shown by group (Kantor, Antrean, ...) under their labels, with their
    unit and help in the chosen language; a refusal names the field as labelled and
    opens its group."""

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None, *,
                 actor: str = "supervisor") -> None:
        super().__init__(parent)
        self.ctx, self.runner, self.actor = ctx, runner, actor
        self.config = ctx.config
        self.saved: Config | None = None
        self.needs_restart: list[str] = []
        self.setWindowTitle(tr(C, "Pengaturan"))
        self.editors: dict[str, Editor] = {}
        self.labels: dict[str, QLabel] = {}
        self.help_lines: dict[str, QLabel] = {}
        self.group_ids: list[str] = []
        specs = {s.name: s for s in schema()}
        said = words.key_words()
        self.group_list = QListWidget()
        self.group_list.setObjectName("groups")
        self.group_list.setStyleSheet("QListWidget { font-size: 11pt } QListWidget::item { padding: 6px 4px }")
        self.pages = QStackedWidget()
        for group in words.groups():
            page = QWidget()
            column = QVBoxLayout(page)
            title = QLabel(group.title)
            title.setStyleSheet("font-size: 16pt; font-weight: bold")
            column.addWidget(title)
            form = QFormLayout()
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            column.addLayout(form)
            column.addStretch(1)
            for key in group.keys:
                spec = specs[key]
                editor = Editor(spec, _get(self.config, key), said[key])
                self.editors[key] = editor
                label = QLabel(said[key].label + (" *" if spec.restart else ""))
                label.setBuddy(editor.widget)
                label.setToolTip(said[key].help)
                help_line = QLabel(said[key].help)
                help_line.setObjectName(f"help:{key}")
                help_line.setWordWrap(True)
                help_line.setStyleSheet("color: #4f5358; font-size: 9pt")
                cell = QWidget()
                stack = QVBoxLayout(cell)
                stack.setContentsMargins(0, 0, 0, 6)
                stack.setSpacing(2)
                stack.addWidget(editor.widget)
                stack.addWidget(help_line)
                form.addRow(label, cell)
                self.labels[key], self.help_lines[key] = label, help_line
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.pages.addWidget(scroll)
            self.group_list.addItem(group.title)
            self.group_ids.append(group.id)
        self.group_list.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.group_list.setCurrentRow(0)
        self.group_list.setFixedWidth(max(190, self.group_list.sizeHintForColumn(0) + 24))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {RED}; font-weight: bold")
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
        tools.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr(C, "Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr(C, "Batal"))
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        note = QLabel(tr(C, "Tanda * : perubahan berlaku setelah aplikasi dimulai ulang."))
        body = QHBoxLayout()
        body.addWidget(self.group_list)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(tools)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(1000, 680)

    def show_group(self, group_id: str) -> None:
        self.group_list.setCurrentRow(self.group_ids.index(group_id))

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
        """The new Config, or None with the refusal shown, the field's group opened and
        the field focused and outlined."""
        for editor in self.editors.values():
            editor.widget.setStyleSheet("")
        try:
            config = from_mapping(self.values(), source=self.config.source)
        except ConfigError as exc:
            self.error.setText(words.refusal(exc))
            editor = self.editors.get(exc.key or "")
            group = words.group_of(exc.key or "")
            if editor is not None and group is not None:
                self.show_group(group)
                editor.widget.setStyleSheet(_BAD)
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
                                   keys=", ".join(words.label(name) for name in self.needs_restart)))
        self.accept()

    def _not_saved(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        log.warning("settings not saved: %s", exc)
        if isinstance(exc, OSError):
            self.error.setText(tr(C, "Tidak disimpan: berkas konfigurasi {path} tidak dapat ditulis ({reason}).",
                                  path=self.config.source, reason=_os_reason(exc)))
        else:
            self.error.setText(tr(C, "Tidak disimpan: perubahan tidak dapat dicatat di basis data; coba lagi."))

    # --- tests of devices ---------------------------------------------------------------

    def run_printer_test(self) -> None:
        from kiosk.devices.printing.factory import make_printer
        from kiosk.services.printing import queue_test_page

        config = self.validate()
        if config is None:
            return

        def test() -> tuple[str, int]:
            status = make_printer(config).status()  # asking a printer can take seconds
            return status.message(), queue_test_page(self.ctx)  # the status in words of the chosen language

        def tested(result: tuple[str, int]) -> None:
            status, job = result
            self.result.setText(tr(C, "{status}. Halaman tes dikirim ke antrean cetak (job {job}).",
                                   status=status, job=job))

        def failed(exc: BaseException) -> None:
            log.warning("printer test failed: %s", exc)  # the technical detail is for the log
            self.result.setText(tr(C, "Printer gagal: printer tidak dapat disiapkan dengan pengaturan ini ({kind}).",
                                   kind=type(exc).__name__))

        self.runner.submit(test, split(tested, failed))

    def run_camera_test(self) -> None:
        from kiosk.devices.camera import CameraSource, open_capture

        config = self.validate()
        if config is None:
            return
        if not config.camera.source.strip():
            self.result.setText(tr(C, "Kamera gagal: {error}", error=tr(C, "sumber kamera kosong (tanpa kamera)")))
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
                self.result.setText(tr(C, "Kamera gagal: {error}", error=tr(
                    C, "tidak ada gambar dari {source}", source=config.camera.source)))

        def failed(exc: BaseException) -> None:
            log.warning("camera test failed: %s", exc)  # OpenCV's words are for the log
            self.result.setText(tr(C, "Kamera gagal: {error}", error=tr(
                C, "kamera {source} tidak dapat dibuka", source=config.camera.source)))

        self.runner.submit(test, split(tested, failed))

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

        def failed(exc: BaseException) -> None:
            log.warning("display screen not saved: %s", exc)
            self.result.setText(tr(C, "Layar display tidak disimpan; coba lagi."))

        self.runner.submit(remember, split(
            lambda _: self.result.setText(tr(C, "Display akan memakai layar {name}.", name=name)), failed))


def _os_reason(exc: OSError) -> str:
    import errno

    reasons = {errno.EACCES: tr(C, "tidak ada izin"), errno.EPERM: tr(C, "tidak ada izin"),
               errno.ENOSPC: tr(C, "disk penuh"), errno.EROFS: tr(C, "disk hanya-baca"),
               errno.ENOENT: tr(C, "folder tidak ada")}
    return reasons.get(exc.errno or 0, errno.errorcode.get(exc.errno or 0, type(exc).__name__))


def _get(config: Config, name: str) -> Any:
    section, key = name.split(".", 1)
    return getattr(getattr(config, section), key)

