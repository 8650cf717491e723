#!/usr/bin/env python3
"""Collect every ``tr("Context", "Teks ...")`` of the code into the English catalogue
resources/i18n/antrean_en.ts (keeping the translations already there), then compile it
to antrean_en.qm with pyside6-lrelease.

    python scripts/update_translations.py          # update .ts and build .qm
    python scripts/update_translations.py --check  # exit 1 when the .ts misses a string

New strings arrive as unfinished (empty); until translated they show in Indonesian.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "i18n" / "antrean_en.ts"
SOURCES = ["kiosk", "display"]


def extract() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"), str(path))
            constants = {t.id: n.value.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                         for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)
                         and isinstance(n.value.value, str)}
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                        and len(node.args) >= 2):
                    continue
                ctx_node, text_node = node.args[0], node.args[1]
                context = ctx_node.value if isinstance(ctx_node, ast.Constant) else \
                    constants.get(ctx_node.id) if isinstance(ctx_node, ast.Name) else None
                if not isinstance(context, str) or not isinstance(text_node, ast.Constant) \
                        or not isinstance(text_node.value, str):
                    continue
                texts = found.setdefault(context, [])
                if text_node.value not in texts:
                    texts.append(text_node.value)
    return found


def read_ts() -> dict[tuple[str, str], str]:
    if not TS.exists():
        return {}
    known = {}
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.text and translation.get("type") != "unfinished":
                known[(name, message.findtext("source") or "")] = translation.text
    return known


def write_ts(found: dict[str, list[str]], known: dict[tuple[str, str], str]) -> int:
    root = ET.Element("TS", version="2.1", language="en_GB", sourcelanguage="id_ID")
    missing = 0
    for context in sorted(found):
        c = ET.SubElement(root, "context")
        ET.SubElement(c, "name").text = context
        for text in found[context]:
            m = ET.SubElement(c, "message")
            ET.SubElement(m, "source").text = text
            t = ET.SubElement(m, "translation")
            if (context, text) in known:
                t.text = known[(context, text)]
            else:
                t.set("type", "unfinished")
                missing += 1
    ET.indent(root)
    TS.parent.mkdir(parents=True, exist_ok=True)
    TS.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(root, "unicode") + "\n",
                  encoding="utf-8")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    found, known = extract(), read_ts()
    if args.check:
        missing = [(c, t) for c, texts in found.items() for t in texts if (c, t) not in known]
        for c, t in missing:
            print(f"untranslated [{c}] {t}")
        return 1 if missing else 0
    missing = write_ts(found, known)
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    subprocess.run([lrelease, "-silent", str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True)
    print(f"{TS.relative_to(ROOT)}: {sum(map(len, found.values()))} strings, {missing} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
