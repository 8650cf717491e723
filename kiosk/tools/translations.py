"""Qt translation catalogues for every user-facing string.

``python -m kiosk.tools.translations update`` extracts the strings (``tr("Context",
"Teks")`` — the context may be a module constant such as ``C = "CheckIn"`` —, ``self.tr("Teks")`` and ``QCoreApplication.translate("Context", "Teks")``
with literal arguments) from ``kiosk/`` and ``display/`` into
``resources/i18n/antrean_<lang>.ts``, keeping existing translations; translators edit
the English file (Qt Linguist works). ``compile`` turns them into ``.qm`` with
``pyside6-lrelease`` (the setup scripts and the installer build run it); ``check`` fails
when a string has no finished translation.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "kiosk", ROOT / "display"]
I18N = ROOT / "resources" / "i18n"
TARGETS = {"en": "en_US"}  # Indonesian is the source language: no catalogue needed to show it
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _literal(node: ast.AST, names: dict[str, str] | None = None) -> str | None:
    """A string literal, or a module-level string constant (``C = "CheckIn"``) by name."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and names:
        return names.get(node.id)
    return None


def _module_constants(tree: ast.Module) -> dict[str, str]:
    return {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
            and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
            for t in n.targets if isinstance(t, ast.Name)}


def extract(paths: Iterable[Path] = SOURCES) -> dict[str, list[str]]:
    """Context → source texts, in order of first appearance."""
    found: dict[str, list[str]] = {}

    def add(context: str, text: str) -> None:
        texts = found.setdefault(context, [])
        if text not in texts:
            texts.append(text)

    for base in paths:
        for path in sorted(base.rglob("*.py")):
            if "tools" in path.relative_to(base).parts:  # build tools show nothing to users
                continue
            tree = ast.parse(path.read_text("utf-8"), str(path))
            names = _module_constants(tree)
            classes: list[tuple[int, int, str]] = [
                (n.lineno, n.end_lineno or n.lineno, n.name) for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in ("tr", "translate") and len(node.args) >= 2 and _literal(node.args[0], names) is not None \
                        and _literal(node.args[1]) is not None and not (
                            isinstance(func, ast.Attribute) and name == "tr"):
                    add(_literal(node.args[0], names), _literal(node.args[1]))  # type: ignore[arg-type]
                elif name == "tr" and isinstance(func, ast.Attribute) and _literal(node.args[0]) is not None:
                    owner = [c for c in classes if c[0] <= node.lineno <= c[1]]
                    if owner:  # self.tr("…") translates in the context of the class
                        add(max(owner)[2], _literal(node.args[0]))  # type: ignore[arg-type]
    return found


def read_ts(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) → finished translation."""
    if not path.exists():
        return {}
    result = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete") and tr.text:
                result[(name, msg.findtext("source") or "")] = tr.text
    return result


def write_ts(path: Path, language: str, strings: dict[str, list[str]], known: dict[tuple[str, str], str]) -> None:
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="id_ID")
    for context in sorted(strings):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = context
        for text in strings[context]:
            msg = ET.SubElement(ctx, "message")
            ET.SubElement(msg, "source").text = text
            translation = known.get((context, text))
            node = ET.SubElement(msg, "translation")
            if translation:
                node.text = translation
            else:
                node.set("type", "unfinished")
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")


def ts_path(lang: str) -> Path:
    return I18N / f"antrean_{lang}.ts"


def update() -> None:
    strings = extract()
    for lang, locale in TARGETS.items():
        write_ts(ts_path(lang), locale, strings, read_ts(ts_path(lang)))


def problems() -> list[str]:
    """Strings without a finished translation, or whose placeholders differ."""
    strings = extract()
    issues = []
    for lang in TARGETS:
        known = read_ts(ts_path(lang))
        for context, texts in strings.items():
            for text in texts:
                translation = known.get((context, text))
                if not translation:
                    issues.append(f"{lang}: {context}: missing translation of {text!r}")
                elif set(_PLACEHOLDER.findall(text)) != set(_PLACEHOLDER.findall(translation)):
                    issues.append(f"{lang}: {context}: placeholders differ in {text!r} → {translation!r}")
    return issues


def lrelease() -> str:
    exe = Path(sys.executable).parent / ("pyside6-lrelease.exe" if sys.platform == "win32" else "pyside6-lrelease")
    return str(exe) if exe.exists() else (shutil.which("pyside6-lrelease") or "pyside6-lrelease")


def compile_catalogues(out_dir: Path = I18N) -> list[Path]:
    out = []
    for lang in TARGETS:
        qm = out_dir / f"antrean_{lang}.qm"
        subprocess.run([lrelease(), "-silent", str(ts_path(lang)), "-qm", str(qm)], check=True)
        out.append(qm)
    return out


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "compile":
        for qm in compile_catalogues():
            print(qm)
    elif command == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print("usage: python -m kiosk.tools.translations update|compile|check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
