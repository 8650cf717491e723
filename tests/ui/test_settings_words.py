"""The settings dialog in the office's words, in Bahasa Indonesia and in English: fields
under their labels with units and help, groups named for people, and refusals wholly in
the chosen language naming the field as labelled, its group opened, nothing written."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox
from sqlalchemy import select

from kiosk import i18n
from kiosk.app import open_context
from kiosk.config import schema, sections, to_toml, words
from kiosk.core.clock import FixedClock
from kiosk.store import AuditEvent
from kiosk.tools import translations
from kiosk.ui.settings_dialog import ConfigDialog
from kiosk.ui.tasks import TaskRunner
from tests.conftest import make_config

CLOCK = FixedClock(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")))


@pytest.fixture(scope="module")
def catalogue_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("i18n")
    translations.compile_catalogues(folder)
    return folder


@pytest.fixture(scope="module", params=["id", "en"])
def opened(request, qapp, tmp_path_factory, catalogue_dir):
    """One dialog per language for the module (built as the desk builds it), with its office."""
    language = request.param
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(i18n, "I18N_DIR", catalogue_dir)
        assert i18n.set_language(language)
        folder = tmp_path_factory.mktemp(f"settings-{language}")
        ctx = open_context(make_config(folder), db_url=f"sqlite:///{folder / 'antrean.db'}", clock=CLOCK)
        ctx.config.source.write_text(to_toml(ctx.config), encoding="utf-8")
        runner = TaskRunner("settings-words-test")
        dialog = ConfigDialog(ctx, runner)
        dialog.show()
        i18n.set_language("id")
        yield language, dialog, ctx
        dialog.close()
        runner.close()
        ctx.close()
        i18n.set_language("id")


@pytest.fixture
def dialog(opened, catalogue_dir, monkeypatch):
    """The module's dialog in its language; the values each test enters are put back."""
    language, dialog, _ = opened
    monkeypatch.setattr(i18n, "I18N_DIR", catalogue_dir)
    assert i18n.set_language(language)
    yield dialog
    for key, editor in dialog.editors.items():
        section, name = key.split(".", 1)
        _enter(editor.widget, getattr(getattr(dialog.config, section), name))
    dialog.error.clear()
    i18n.set_language("id")


def _enter(widget, value):
    if isinstance(widget, QCheckBox):
        widget.setChecked(value)
    elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.setValue(value)
    elif isinstance(widget, QComboBox):
        widget.setCurrentText(value)
    elif isinstance(widget, QLineEdit):
        from kiosk.config import toml_value

        widget.setText(value if isinstance(value, str) else toml_value(value))  # lists and tables as TOML


def test_fields_and_groups_carry_words_not_keys(opened, dialog):
    language = opened[0]
    raw_keys = {s.name for s in schema()} | {s.name.split(".", 1)[1] for s in schema()}
    section_names = {name for name, _ in sections()}
    titles = [dialog.group_list.item(i).text() for i in range(dialog.group_list.count())]
    assert not set(titles) & section_names
    assert titles == (["Kantor", "Antrean", "Jadwal kedatangan", "Prioritas", "Booking dan slot", "WhatsApp",
                       "Printer", "Kamera dan pemindai", "Meja depan", "Layar tunggu dan suara", "Web", "Privasi",
                       "Sistem"] if language == "id" else
                      ["Office", "Queue", "Arrival times", "Priority", "Bookings and slots", "WhatsApp", "Printer",
                       "Camera and scanner", "Front desk", "Waiting-room display and sound", "Web", "Privacy",
                       "System"])
    for key, label in dialog.labels.items():
        text = label.text().removesuffix(" *")
        assert text not in raw_keys and not any(k in text for k in raw_keys if "_" in k), (key, text)
    specs = {s.name: s for s in schema()}
    assert all(label.text().endswith(" *") == specs[key].restart for key, label in dialog.labels.items())
    if language == "id":
        assert dialog.labels["office.code"].text() == "Kode kantor *"
        assert dialog.editors["arrival.opens_before"].widget.suffix() == " menit"
        assert dialog.help_lines["office.name"].text().startswith("Nama kantor yang tercetak di tiket")
    else:
        assert dialog.labels["office.code"].text() == "Office code *"
        assert dialog.editors["arrival.opens_before"].widget.suffix() == " minutes"
        assert dialog.editors["printer.paper_mm"].widget.suffix() == " mm"
        # The English help is the config file's help, shown under the field.
        assert all(dialog.help_lines[k].text() == specs[k].help for k in dialog.help_lines)
    assert "security.supervisor_pin_hash" not in dialog.editors


# (what kind of check, what is entered, the group it opens, the refusal in Indonesian, in English)
REFUSALS = [
    ("pattern", {"office.code": "j k"}, "office",
     "Tidak disimpan: Kode kantor — harus 2-5 huruf besar atau angka, mis. JKP (tertulis: 'j k').",
     "Not saved: Office code — expected 2-5 upper-case letters or digits, e.g. JKP (entered: 'j k')."),
    ("empty text", {"office.name": " "}, "office",
     "Tidak disimpan: Nama kantor — harus diisi (tertulis: ' ').",
     "Not saved: Office name — must not be empty (entered: ' ')."),
    ("whole number range", {"priority.lansia_min_age": 30}, "priority",
     "Tidak disimpan: Usia minimum lansia — harus bilangan bulat dari 40 sampai 100 (tertulis: 30).",
     "Not saved: Lansia (elderly): minimum age — expected a whole number from 40 to 100 (entered: 30)."),
    ("minutes", {"intake.slot_minutes": 3}, "booking",
     "Tidak disimpan: Jarak antar slot — harus bilangan bulat dari 5 sampai 240 menit (tertulis: 3).",
     "Not saved: Time between slots — expected a whole number of minutes from 5 to 240 (entered: 3)."),
    ("seconds", {"display.highlight_seconds": 0.5}, "display",
     "Tidak disimpan: Lama panggilan terbaru disorot — harus 1 sampai 60 detik (tertulis: 0.5).",
     "Not saved: Newest call highlighted for — expected 1 to 60 seconds (entered: 0.5)."),
    ("list", {"priority.categories": '["lansia", "vip"]'}, "priority",
     'Tidak disimpan: Kategori prioritas — harus daftar yang diambil dari lansia, anak, disabilitas, ibu_hamil '
     '(tertulis: ["lansia", "vip"]).',
     'Not saved: Priority categories — expected a list drawn from lansia, anak, disabilitas, ibu_hamil '
     '(entered: ["lansia", "vip"]).'),
    ("type", {"office.other_offices": "x"}, "office",
     "Tidak disimpan: Kantor lain — harus tabel teks → teks (tertulis: 'x').",
     "Not saved: Other offices — expected table of text → text (entered: 'x')."),
    ("timezone", {"office.timezone": "Mars/Olympus"}, "office",
     "Tidak disimpan: Zona waktu — harus zona waktu IANA seperti Asia/Jakarta, Asia/Makassar atau Asia/Jayapura "
     "(tertulis: 'Mars/Olympus').",
     "Not saved: Time zone — expected an IANA time zone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura "
     "(entered: 'Mars/Olympus')."),
    # Rules across two fields name both, as labelled.
    ("two fields", {"arrival.opens_before": 20}, "arrival",
     "Tidak disimpan: Pindai dibuka sebelum slot — harus lebih dari “Batas datang sebelum slot” = 30 menit "
     "(tertulis: 20).",
     "Not saved: Scanning opens before the slot — expected more than “Must arrive before the slot” = 30 minutes "
     "(entered: 20)."),
    ("two fields", {"queue.priority_service": "A"}, "queue",
     "Tidak disimpan: Huruf layanan prioritas — harus huruf lain daripada “Huruf layanan booking” (tertulis: 'A').",
     "Not saved: Priority service letter — expected a letter other than “Booking service letter” (entered: 'A')."),
    ("two fields", {"printer.transport": "network"}, "printer",
     "Tidak disimpan: Alamat printer (network) — harus diisi bila “Sambungan printer” = network (tertulis: kosong).",
     "Not saved: Printer address (network) — must be set when “Printer connection” = network (entered: empty)."),
    ("two fields", {"intake.first_slot": "15:00"}, "booking",
     "Tidak disimpan: Slot terakhir — tidak boleh sebelum “Slot pertama” = 15:00 (tertulis: '14:30').",
     "Not saved: Last slot — expected a time not before “First slot” = 15:00 (entered: '14:30')."),
]


@pytest.mark.parametrize("kind,entered,group,indonesian,english", REFUSALS,
                         ids=[f"{r[0]}:{next(iter(r[1]))}" for r in REFUSALS])
def test_a_refusal_is_wholly_in_the_language_names_the_label_opens_the_group_and_writes_nothing(
        opened, dialog, kind, entered, group, indonesian, english):
    language, _, ctx = opened
    before = ctx.config.source.read_bytes()
    dialog.show_group("system")
    for key, value in entered.items():
        _enter(dialog.editors[key].widget, value)
    dialog.save()
    message = indonesian if language == "id" else english
    assert dialog.error.text() == message
    refused = message.split(": ", 1)[1].split(" — ")[0]  # the field the refusal names, as labelled
    key = next(k for k, w in words.key_words().items() if w.label == refused)
    shown_group = dialog.group_ids[dialog.pages.currentIndex()]
    assert shown_group == group == words.group_of(key) and dialog.group_list.currentRow() == dialog.pages.currentIndex()
    assert dialog.focusWidget() is dialog.editors[key].widget
    assert "border" in dialog.editors[key].widget.styleSheet()  # outlined
    assert dialog.saved is None and dialog.runner.pending == 0
    assert ctx.config.source.read_bytes() == before
    with ctx.db.read() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "settings_changed")).all() == []


def test_the_printer_test_answers_in_the_language(qtbot, opened, dialog):
    language = opened[0]
    dialog.run_printer_test()
    qtbot.waitUntil(lambda: dialog.runner.pending == 0, timeout=10_000)
    assert dialog.result.text().startswith(
        "Printer siap. Halaman tes dikirim ke antrean cetak" if language == "id"
        else "Printer ready. A test page was queued for printing")


def test_the_camera_test_answers_in_the_language(qtbot, opened, dialog, tmp_path):
    language = opened[0]
    missing = str(tmp_path / "missing.mp4")
    dialog.editors["camera.source"].widget.setText(missing)
    dialog.run_camera_test()
    qtbot.waitUntil(lambda: dialog.runner.pending == 0, timeout=10_000)
    assert dialog.result.text() == (f"Kamera gagal: tidak ada gambar dari {missing}" if language == "id"
                                    else f"Camera failed: no picture from {missing}")
    dialog.editors["camera.source"].widget.setText("")
    dialog.run_camera_test()
    assert dialog.result.text() == ("Kamera gagal: sumber kamera kosong (tanpa kamera)" if language == "id"
                                    else "Camera failed: the camera source is empty (no camera)")


def test_a_list_of_toml_dates_is_refused_in_words_not_a_crash(opened, dialog):
    dialog.editors["intake.service_days"].widget.setText("[2026-12-25]")  # TOML reads a date, not text
    dialog.save()
    assert dialog.error.text().startswith(
        "Tidak disimpan: Hari layanan — harus daftar teks" if opened[0] == "id"
        else "Not saved: Service days — expected list of text")
