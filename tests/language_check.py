"""What a window shows, as text, and the words in it that belong to the other language.

The word lists are the glossary's (resources/i18n/glossary.toml): English screens must not
show its common Indonesian words, and show the office's own terms (loket, hangus, lansia)
only with their English word beside them; Indonesian screens must not show its common
English words."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QHeaderView, QLabel, QLineEdit, QMainWindow, QMenu,
    QPlainTextEdit, QTabBar, QTextEdit, QWidget,
)

from kiosk.tools import glossary

WORDS = glossary.load()
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Config keys, environment variables, paths, URLs and formats are code, not words:
# lansia_min_age, intake.message_format, ANTREAN_NOW, postgresql+psycopg://host/antrean, #NAMA#,
# command-line options (--date) and words with digits (desk1, A042).
_CODE = re.compile(r"\S*(?:[_/#=]|\w\.\w)\S*|(?<!\w)--?\w[\w-]*|\b\w*\d\w*\b")
# The command line's outcome codes ("[too_early] Terlalu awal ..."), the same in both
# languages because scripts read them (as in --json).
_OUTCOME = re.compile(r"\[[a-z_]+\]")
# Qt's own words on its internal widgets (no Indonesian catalogue of Qt ships with PySide6).
_QT_OWN = {"ScrollLeftButton", "ScrollRightButton"}


def plain(text: str) -> str:
    """Rich text as it reads: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub(" ", text)) if "<" in text else text


def _model_texts(view: QAbstractItemView) -> Iterable[str]:
    model = view.model()
    if model is None:
        return
    top = QModelIndex()

    def columns(parent: QModelIndex) -> int:
        try:
            return model.columnCount(parent)
        except TypeError:  # a list model keeps columnCount private: one column
            return 1
    for orientation, count in ((Qt.Orientation.Horizontal, columns(top)),
                               (Qt.Orientation.Vertical, model.rowCount(top))):
        for i in range(count):
            value = model.headerData(i, orientation, Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str) and not value.isdigit():
                yield value

    def walk(parent):  # type: ignore[no-untyped-def]
        for r in range(model.rowCount(parent)):
            for c in range(columns(parent)):
                index = model.index(r, c, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        yield value
                if c == 0 and model.rowCount(index) > 0:
                    yield from walk(index)
    yield from walk(top)


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text a person can read in ``root`` and its children:
    window titles, labels, buttons, tabs, menus, tooltips, placeholders, list, table and
    combo items, text views and the status bar."""
    found: list[tuple[str, str]] = []

    def add(widget: QWidget, kind: str, text: str | None) -> None:
        if text and text.strip():
            found.append((f"{type(widget).__name__}({widget.objectName() or '-'}).{kind}", plain(text)))

    for w in [root, *root.findChildren(QWidget)]:
        if w.objectName() in _QT_OWN:
            continue
        if w.isWindow():
            add(w, "windowTitle", w.windowTitle())
        add(w, "toolTip", w.toolTip())
        add(w, "accessibleName", w.accessibleName())
        if isinstance(w, QLabel):
            add(w, "text", w.text())
        elif isinstance(w, QAbstractButton):
            add(w, "text", w.text())
        elif isinstance(w, QLineEdit):
            add(w, "placeholder", w.placeholderText())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, f"item{i}", w.itemText(i))
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(w, f"tab{i}", w.tabText(i))
                add(w, f"tabToolTip{i}", w.tabToolTip(i))
        elif isinstance(w, QGroupBox):
            add(w, "title", w.title())
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            add(w, "text", w.toPlainText())
        elif isinstance(w, QMenu):
            add(w, "title", w.title())
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):
            for text in _model_texts(w):
                add(w, "item", text)
        if isinstance(w, QMainWindow) and w.statusBar() is not None:
            add(w, "statusMessage", w.statusBar().currentMessage())
        for action in QWidget.actions(w):  # a window may keep its own dict called "actions"
            add(w, "action", action.text().replace("&", ""))
            add(w, "actionToolTip", action.toolTip() if action.toolTip() != action.text() else "")
    return found


def offences(texts: Iterable[tuple[str, str]], language: str, data: Iterable[str] = ()) -> list[str]:
    """Each text that shows a word of the other language, with the word; ``data`` are
    strings the office or a person wrote (office name, a name typed in a form, paths),
    shown as they are and not checked."""
    names = [*WORDS.names, *(t.word for t in WORDS.terms if t.as_is and "/" not in t.word)]
    skip = sorted({*names, *(d for d in data if d)}, key=len, reverse=True)
    problems = []
    for where, text in texts:
        checked = text
        for d in skip:
            checked = checked.replace(d, " ")
        tokens = [t.lower() for t in _WORD.findall(_CODE.sub(" ", _OUTCOME.sub(" ", checked)))]
        bad: list[str] = []
        if language == "en":
            bad += [t for t in tokens if t in WORDS.indonesian]
            for term in (t for t in WORDS.terms if t.domain):
                if term.word in tokens and not any(e in tokens for e in term.english):
                    bad.append(f"{term.word} (without {'/'.join(term.english)} beside it)")
        else:
            bad += [t for t in tokens if t in WORDS.english]
        if bad:
            problems.append(f"{where}: {text!r} -> {sorted(set(bad))}")
    return problems
