#!/usr/bin/env python3
"""Pictures of the settings dialog for docs/screenshots, in Bahasa Indonesia and English.

    .venv/bin/python scripts/screenshots_settings.py [--out docs/screenshots]

A temporary office (its config file written as ``init`` would); the dialog the supervisor
opens with F12, grabbed offscreen: the Jadwal kedatangan group with a refused value (the
scanning window set shorter than the arrival deadline, a rule across two fields), and the
Printer group as it opens.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import i18n  # noqa: E402
from kiosk.app import open_context  # noqa: E402
from kiosk.config import from_mapping, to_toml  # noqa: E402
from kiosk.services.supervisor import with_new_office_pin  # noqa: E402
from kiosk.ui.settings_dialog import ConfigDialog  # noqa: E402
from kiosk.ui.tasks import TaskRunner  # noqa: E402

SIZE = (1100, 760)


def shoot(app: QApplication, folder: Path, language: str, out: Path) -> None:
    i18n.set_language(language)
    translator = i18n.current_translator()
    if translator is not None:
        app.installTranslator(translator)
    config = from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi Kelas I Khusus Jakarta Pusat"},
                           "paths": {"data_dir": str(folder / "data")}}, source=folder / "config.toml")
    config = with_new_office_pin(config, "123456")
    config.source.write_text(to_toml(config), encoding="utf-8")  # type: ignore[union-attr]
    ctx = open_context(config, db_url=f"sqlite:///{folder / f'settings-{language}.db'}")
    runner = TaskRunner("settings-screenshot")
    dialog = ConfigDialog(ctx, runner)
    try:
        dialog.resize(*SIZE)
        dialog.show()
        dialog.editors["arrival.opens_before"].widget.setValue(20)  # type: ignore[attr-defined]
        dialog.save()  # refused before anything is written: the message and the group it opens
        app.processEvents()
        dialog.grab().save(str(out / f"settings-{language}.png"))
        dialog.error.clear()
        dialog.editors["arrival.opens_before"].widget.setStyleSheet("")
        dialog.show_group("printer")
        app.processEvents()
        dialog.grab().save(str(out / f"settings-printer-{language}.png"))
    finally:
        dialog.close()
        runner.close()
        ctx.close()
        if translator is not None:
            app.removeTranslator(translator)
        i18n.set_language("id")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["screenshots"])
    with tempfile.TemporaryDirectory(prefix="settings-shots-") as tmp:
        for language in ("id", "en"):
            folder = Path(tmp) / language
            folder.mkdir()
            shoot(app, folder, language, args.out)  # type: ignore[arg-type]
    for path in sorted(args.out.glob("settings-*.png")):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
