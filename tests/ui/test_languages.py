"""Every window, the report and the command line, in English and in Bahasa Indonesia:
no word of the other language (the glossary's lists, resources/i18n/glossary.toml).

Each language builds its windows once for the module; every test renders one more state
of them, collects all the text a person can read (titles, labels, buttons, tabs, menus,
tooltips, placeholders, list/table/combo items, text views) and names each string that
shows a word of the other language."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from kiosk import i18n
from kiosk.app import AppContext, open_context
from kiosk.core.clock import FixedClock
from kiosk.config import to_toml
from kiosk.core.priority import PriorityCategory
from kiosk.devices.printing.status import PrinterState, PrinterStatus
from kiosk.services import walk_in
from kiosk.tools import translations
from kiosk.ui.sounds import Sounds
from tests.conftest import make_config, wib
from tests.language_check import offences, widget_texts
from tests.ui.conftest import book
from tests.ui.test_desk_verdicts import CASES


NAME = "Budi Santoso"  # what the tests type as a person's name: data, not words


class Office:
    """One office, its windows built on first use, all in one language."""

    def __init__(self, language: str, folder: Path) -> None:
        self.language = language
        self.folder = folder
        self.clock = FixedClock(wib(2026, 12, 1, 9, 0))
        config = make_config(folder)
        config.source.write_text(to_toml(config), encoding="utf-8")
        self.config_path = config.source
        self.ctx: AppContext = open_context(config, db_url=f"sqlite:///{folder / 'antrean.db'}", clock=self.clock)
        self.closers: list[Callable[[], Any]] = []

    def keep(self, window: Any, stop: Callable[[], Any] | None = None) -> Any:
        """Close ``window`` (after ``stop``) when the module ends: no window outlives it."""
        def close() -> None:
            if stop is not None:
                stop()
            window.hide()  # the self-service screen refuses close() by design
            window.deleteLater()
        self.closers.append(close)
        return window

    @property
    def data(self) -> list[str]:
        """What the office or a person wrote, shown as written (not checked)."""
        return [self.ctx.config.office.name, str(self.folder), NAME, self.ctx.config.office.code]

    def check(self, *roots: QWidget, texts: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
        """Fail naming every text of ``roots`` (and ``texts``) in the other language."""
        found = [t for root in roots for t in widget_texts(root)] + (texts or [])
        assert found, "nothing to read"
        problems = offences(found, self.language, self.data)
        assert not problems, f"{len(problems)} texts not in {self.language}:\n" + "\n".join(problems)
        return found


def _speak(language: str) -> None:
    app = QCoreApplication.instance()
    if i18n.current_translator() is not None:
        app.removeTranslator(i18n.current_translator())
    i18n.set_language(language)
    if i18n.current_translator() is not None:
        app.installTranslator(i18n.current_translator())


@pytest.fixture(scope="module", params=["en", "id"])
def office(request: pytest.FixtureRequest, qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    catalogues = tmp_path_factory.mktemp("i18n")
    translations.compile_catalogues(catalogues)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(i18n, "I18N_DIR", catalogues)
        _speak(request.param)
        made = Office(request.param, tmp_path_factory.mktemp(f"office-{request.param}"))
        try:
            yield made
        finally:
            for close in reversed(made.closers):
                close()
            made.ctx.close()
            _speak("id")


def _settle(qtbot: Any, *runners: Any) -> None:
    qtbot.waitUntil(lambda: all(r.pending == 0 for r in runners), timeout=10_000)


# The windows with worker threads are built for the module (before any test starts
# counting threads) and closed after its last test.

@pytest.fixture(scope="module")
def desk(office: Office) -> Any:
    from kiosk.ui.desk_window import DeskWindow

    window = DeskWindow(office.ctx, sounds=Sounds(True, output=False))
    office.keep(window, window.shutdown)
    window.show()
    return window


@pytest.fixture(scope="module")
def counter(office: Office) -> Any:
    from kiosk.ui.counter import CounterWindow

    window = CounterWindow(office.ctx, 1)
    office.keep(window, window.shutdown)
    window.show()
    return window


@pytest.fixture(scope="module")
def self_service(office: Office) -> Any:
    from kiosk.ui.self_service import SelfServiceWindow

    window = SelfServiceWindow(office.ctx, sounds=Sounds(True, output=False))
    office.keep(window, window.shutdown)
    window.show()
    return window


@pytest.fixture(autouse=True)
def _idle(qtbot: Any, request: pytest.FixtureRequest) -> None:
    """Each test starts with the windows' database calls back."""
    for name in ("desk", "counter", "self_service"):
        if name in request.fixturenames:
            _settle(qtbot, request.getfixturevalue(name).runner)


def _when_modal(read: Callable[[QDialog], None]) -> QTimer:
    """Call ``read`` with the modal dialog once it is open (then stop looking)."""
    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            timer.stop()
            read(dialog)
    timer.timeout.connect(look)
    timer.start()
    return timer


# --- the desk ---------------------------------------------------------------------------------

def test_desk_every_tab_and_its_menus(qtbot, office, desk):
    from kiosk.ui.desk_window import Tab

    walk_in(office.ctx, "lansia", birth=date(1950, 1, 1))
    book(office.ctx, time(11, 0), name=NAME)
    for tab in Tab:
        desk.show_tab(tab)
        _settle(qtbot, desk.runner)
        if tab is Tab.REPORT:
            qtbot.waitUntil(lambda: desk.report.report is not None, timeout=10_000)
        office.check(desk)
    desk.show_tab(Tab.SCAN)


@pytest.mark.parametrize("outcome, prepare", [c[:2] for c in CASES], ids=[c[0].value for c in CASES])
def test_desk_verdicts(qtbot, office, desk, outcome, prepare):
    code, _ = prepare(office.ctx)
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000) as shown:
        desk.submit_code(code, "manual")
    assert shown.args[0].outcome is outcome
    office.check(desk.scan)


def test_desk_mistyped_code_and_a_database_fault(qtbot, office, desk):
    code = book(office.ctx, time(10, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code[:-1] + ("0" if code[-1] != "0" else "1"), "manual")
    office.check(desk.scan)
    desk._check_failed("x", RuntimeError("boom"))
    office.check(desk.scan)


def test_desk_status_lights_in_every_state(qtbot, office, desk):
    lights = desk.lights
    devices = desk.devices
    for status in ("live", "connecting", "reconnecting", "stopped"):
        devices.on_camera_status(status, "0")
        devices.on_serial_status(status, "COM3")
        qtbot.waitUntil(lambda: devices.camera_state is not None)
        QApplication.processEvents()
        office.check(desk.lights, desk.scan.camera)
    for state in PrinterState:
        for low in (False, True):
            devices.on_printer_status(PrinterStatus(state, paper_low=low))
            QApplication.processEvents()
            office.check(lights)
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code("WA-2026-000123", "scanner")  # the USB scanner's light: it works
    office.check(lights)
    for reason in ("", "[Errno 2] No such device"):  # the driver's own words, shown as they are
        devices.camera_problem = reason
        devices.printer_problem = reason
        texts = [("camera_reason", devices.camera_reason), ("printer_reason", devices.printer_reason)]
        assert not offences(texts, office.language, [*office.data, reason]), texts
    devices.camera_problem = devices.printer_problem = ""
    desk._database_result(None)
    office.check(lights)


def test_status_lights_are_reworded_when_the_language_switches(qtbot, office, desk):
    # GIVEN lights that the devices set in this language
    desk.devices.on_camera_status("reconnecting", "0")
    desk.devices.on_printer_status(PrinterStatus(PrinterState.READY))
    desk.submit_code("WA-2026-000123", "scanner")
    _settle(qtbot, desk.runner)
    other = "id" if office.language == "en" else "en"
    try:
        # WHEN the officer switches the desk to the other language
        desk.set_language(other)
        _settle(qtbot, desk.runner)
        # THEN every light speaks the new language, nothing of the old one is left
        texts = widget_texts(desk.lights)
        assert not (problems := offences(texts, other, office.data)), "\n".join(problems)
        assert desk.lights.printer.state.words == ("Printer ready" if other == "en" else "Printer siap")
    finally:
        desk.set_language(office.language)
        _settle(qtbot, desk.runner)
    office.check(desk.lights)


def test_desk_walk_in_form_states(qtbot, office, desk):
    from kiosk.ui.desk_window import Tab

    desk.show_tab(Tab.PRIORITY)
    panel = desk.walkin
    _settle(qtbot, desk.runner)
    for category in PriorityCategory:
        panel.buttons[category].click()
        _settle(qtbot, desk.runner)
        office.check(panel)
    panel.buttons[PriorityCategory.LANSIA].click()
    panel.birth.setText("01-01-2000")  # too young for lansia
    panel.name.setText(NAME)
    panel.submit_button.click()
    _settle(qtbot, desk.runner)
    office.check(panel)
    desk.show_tab(Tab.SCAN)


def test_desk_pin_dialogs(qtbot, office, desk):
    seen: list[str] = []

    def read_and_close(dialog: QDialog) -> None:
        try:
            seen.append(dialog.windowTitle())
            office.check(dialog)
        finally:
            dialog.reject()

    for ask in (desk.request_reprint, desk.request_cancel, desk.request_settings):
        timer = _when_modal(read_and_close)
        ask()
        timer.stop()
    assert len(seen) == 3, seen


def test_settings_dialog(qtbot, office, desk):
    from kiosk.ui.settings_dialog import ConfigDialog

    from kiosk.config import schema

    dialog = ConfigDialog(office.ctx, desk.runner, desk)
    dialog.show()
    try:
        # The values a key takes (yes/no/auto, none, date/address) are the config file's,
        # the same in both languages, like the keys themselves.
        values = {v for spec in schema() for v in getattr(spec.check, "choices", ()) if isinstance(v, str)}
        found = widget_texts(dialog)
        problems = [p for p in offences(found, office.language, office.data)
                    if not _only_values(p, values)]
        assert not problems, "\n".join(problems)
    finally:
        dialog.close()
        dialog.deleteLater()


def _only_values(problem: str, values: set[str]) -> bool:
    """An offence whose words are all config values (quoted in a help text, or a list item)."""
    words = re.findall(r"'([^']+)'", problem.rsplit(" -> ", 1)[1])
    return all(w in values for w in words)


# --- the other windows ------------------------------------------------------------------------

def test_counter_window(qtbot, office, counter):
    window = counter
    walk_in(office.ctx, "anak", birth=office.ctx.today() - timedelta(days=400))
    office.check(window)
    window.actions["next"].click()
    _settle(qtbot, window.runner)
    office.check(window)


def test_display_window_with_calls_and_the_sound_off_badge(qtbot, office):
    from display.model import BoardSnapshot, CallEvent
    from display.window import DisplayWindow

    now = wib(2026, 12, 1, 9, 41)
    window = DisplayWindow(office.ctx.config, lambda: now)
    office.keep(window, window.shutdown)
    window.show()
    calls = tuple(CallEvent(10 - i, s, n, c, now, i == 1) for i, (s, n, c) in
                  enumerate([("A", 12, 3), ("B", 4, 1), ("A", 11, 2)]))
    window.show_board(BoardSnapshot(10, calls, (), {1: "B004", 3: "A012"}, {"A": 23, "B": 5}))
    device = "[Errno 19] No such device"  # the sound device's own words, shown as they are
    window.set_sound_problem(device)
    window.set_reconnecting(True)
    window._tick()
    assert not offences(widget_texts(window), office.language, [*office.data, device])


def test_self_service_screen(qtbot, office, self_service):
    window = self_service
    qtbot.waitUntil(lambda: window.panel.quota is not None, timeout=10_000)
    office.check(window)
    window.panel.buttons[PriorityCategory.LANSIA].click()
    office.check(window)


def test_demo_phone(qtbot, office):
    from kiosk.demo import DemoBooking
    from kiosk.ui.demo_phone import DemoPhoneWindow

    day = office.ctx.today()
    bookings = [DemoBooking(label, book(office.ctx, slot), None, day, slot) for label, slot in
                (("accepted", time(10, 0)), ("too_early", time(12, 0)), ("void", time(8, 0)))]
    window = office.keep(DemoPhoneWindow(bookings))
    window.show()
    office.check(window)


# --- the report and the command line ------------------------------------------------------------

def _cli(office: Office, capsys: Any, *args: str, config: Path | None = None) -> tuple[int, str]:
    from kiosk.cli.main import main

    try:
        code = main(["--lang", office.language, "--config", str(config or office.config_path), *args])
    except SystemExit as exc:  # argparse: --help, a usage error
        code = int(exc.code or 0)
    finally:
        _speak(office.language)  # main() switched the process language; the windows keep theirs
    out = capsys.readouterr()
    return code, _NAMES.sub(" ", _PROG.sub(" ", _USAGE.sub("\n", out.out + out.err)))


# The usage lines are the program's syntax (command names, options, metavariables), not words.
_USAGE = re.compile(r"^(?:usage|pemakaian): .*?(?=^\S|^$|\Z)", re.S | re.M)
_PROG = re.compile(r"python main\.py(?: [a-z-]+)*")
# In --help, the names of commands and arguments, each followed by its description.
_NAMES = re.compile(r"^ {2,}[A-Za-z][\w-]*(?= {2,}|$)", re.M)


def test_report_as_html_csv_and_pdf(office, capsys, tmp_path):
    texts = []
    for fmt in ("html", "csv", "pdf"):
        out = tmp_path / f"report.{fmt}"
        code, said = _cli(office, capsys, "report", "--format", fmt, "--out", str(out))
        assert code == 0, said
        if fmt == "pdf":
            if shutil.which("pdftotext") is None:
                pytest.skip("pdftotext (poppler-utils) is not installed")
            text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True,
                                  text=True).stdout
        else:
            text = out.read_text("utf-8")
            if fmt == "html":
                from tests.language_check import plain
                text = plain(text.split("<body", 1)[-1])
        texts += [(f"report.{fmt}:{i}", line) for i, line in enumerate(text.splitlines()) if line.strip()]
        texts.append(("cli", said))
    office.check(texts=texts)


@pytest.mark.parametrize("args, exit_code", [
    (("checkin", "NOT-A-CODE"), 1),
    (("checkin", "WA-2026-000123"), 1),
    (("--help",), 0),
    (("checkin", "--help"), 0),
    (("queue",), 0),
    (("call", "next", "--counter", "1"), 0),
    (("walkin", "--category", "lansia", "--birth", "2000-01-01"), 1),
    (("counter", "--loket", "9"), 2),
    (("report", "--date", "tomorrow"), 2),
], ids=["bad-code", "unknown-code", "help", "checkin-help", "queue", "call-next", "walkin-refused",
        "unknown-counter", "bad-date"])
def test_command_line_messages(office, capsys, args, exit_code):
    code, said = _cli(office, capsys, *args)
    assert code == exit_code, said
    typed = [a for a in args[1:] if not a.startswith("-")]  # values the administrator typed come back as typed
    assert not (problems := offences([("cli " + " ".join(args), said)], office.language, [*office.data, *typed])), \
        "\n".join(problems)


# What an administrator gets wrong in the file, and what the command line says about it: the
# TOML key named as the file has it, everything else in the chosen language.
CONFIG_MISTAKES = {
    "bad-value": ('[office]\ncode = "j k"\n', "office.code = 'j k'"),
    "cross-key": ("[arrival]\nopens_before = 20\nmust_arrive_before = 30\n", "arrival.must_arrive_before"),
    "wrong-type": ('[priority]\ndaily_quota = "thirty"\n', "priority.daily_quota = 'thirty'"),
    "unknown-key": ("[office]\ncolour = 1\n", "office.colour"),
    "unknown-section": ("[ofice]\ncode = 1\n", "[ofice]"),
    "not-toml": ("[office\ncode = 1\n", "config.toml"),
    "no-key-file": (None, "keys.json"),
}


@pytest.mark.parametrize("mistake", list(CONFIG_MISTAKES))
def test_configuration_mistakes_on_the_command_line(office, capsys, tmp_path, mistake):
    text, named = CONFIG_MISTAKES[mistake]
    config = tmp_path / "config.toml"
    if text is None:  # a good file whose office has no key file yet
        text = f"[paths]\ndata_dir = {str(tmp_path / 'data')!r}\n"
    config.write_text(text, encoding="utf-8")
    code, said = _cli(office, capsys, "checkin", "AP1-JKP-261201-1000-001-ABCDEFGH", config=config)
    assert code == 2, said
    assert named in said
    heading = {"id": "kesalahan konfigurasi: ", "en": "configuration error: "}[office.language]
    assert said.startswith(heading) and said.count(heading) == 1 and "kesalahan: " not in said, said
    # The file's own words (section and key names) stay as the file has them, in any language.
    from kiosk.config import schema
    file_words = {part for spec in schema() for part in spec.name.split(".")}
    assert not (problems := offences([(f"cli config {mistake}", said)], office.language,
                                     [*office.data, str(tmp_path), "colour", "thirty", "ofice", *file_words])), \
        "\n".join(problems)


# --- the web pages (their words live in common.js; the reader switches language there) ----------

def test_web_page_words_and_service_names(office):
    from kiosk.services.names import service_names

    source = (Path(__file__).resolve().parents[2] / "kiosk" / "web" / "static" / "common.js").read_text("utf-8")
    block = re.search(rf"^    {office.language}: \{{\n(.*?)^    \}},", source, re.S | re.M)
    assert block, f"no {office.language} strings in common.js"
    words = re.findall(r'^\s+(\w+): "(.*)",$', block.group(1), re.M)
    assert len(words) > 20
    names = [(f"service {letter}", service_names(name)[office.language])
             for letter, name in office.ctx.config.queue.services.items()]
    # "language" is the switch, named in the other language on purpose; {n} are placeholders.
    office.check(texts=[(f"common.js {key}", re.sub(r"\{\w+\}", " ", text)) for key, text in words
                        if key != "language"] + names)
