"""User-facing text: Bahasa Indonesia is the source language, English a translation.

Write every user-facing string as ``tr("Context", "Teks bahasa Indonesia {x}", x=...)``
with literal arguments, so the catalogue tools can extract them. Without a loaded
translation the Indonesian source text is returned. Translations are Qt ``.qm``
catalogues in ``resources/i18n``; loading one needs no running Qt application, so the
command line uses the same catalogues as the windows.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from kiosk.core import datefmt

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "id"
LANGUAGES = ("id", "en")
I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"

_translator: Any = None  # a QTranslator, or None for the Indonesian source text
_language = SOURCE_LANGUAGE
_others: dict[str, Any] = {}  # catalogues loaded for tr_in(), by language
_others_lock = threading.Lock()


def tr(context: str, text: str, /, **values: Any) -> str:
    translated = text
    if _translator is not None:
        translated = _translator.translate(context, text) or text
    return translated.format(**values) if values else translated


def _load(language: str) -> Any:
    from PySide6.QtCore import QTranslator  # Qt only when a translation is asked for

    translator = QTranslator()
    qm = I18N_DIR / f"antrean_{language}.qm"
    if not translator.load(str(qm)):
        log.warning("no catalogue for language %s at %s; keeping Bahasa Indonesia", language, qm)
        return None
    return translator


def tr_in(language: str, context: str, text: str, /, **values: Any) -> str:
    """:func:`tr` in ``language`` whatever the process speaks: for pages each reader
    switches on their own (the web board and ticket pages)."""
    translated = text
    if language != SOURCE_LANGUAGE:
        with _others_lock:
            if language not in _others:
                _others[language] = _load(language)
            translator = _others[language]
        if translator is not None:
            translated = translator.translate(context, text) or text
    return translated.format(**values) if values else translated


def set_language(language: str) -> bool:
    """Switch the language of :func:`tr`; True when a catalogue was loaded."""
    global _translator, _language
    if language == SOURCE_LANGUAGE:
        _translator, _language = None, SOURCE_LANGUAGE
        return True
    translator = _load(language)
    if translator is None:
        _translator, _language = None, SOURCE_LANGUAGE
        return False
    _translator, _language = translator, language
    return True


def current_language() -> str:
    """The language :func:`tr` answers in ("id" or "en"), for formatting dates and numbers."""
    return _language


def current_translator() -> Any:
    """The loaded QTranslator, for windows to install on their QApplication."""
    return _translator


# Dates and times in the language tr() answers in: the one formatter every screen,
# message, command and the report use (tickets pass their language to kiosk.core.datefmt).

def long_date(d: date) -> str:
    """"Selasa, 1 Desember 2026" / "Tuesday, 1 December 2026"."""
    return datefmt.long_date(d, _language)


def short_date(d: date) -> str:
    """"1 Desember 2026" / "1 December 2026"."""
    return datefmt.short_date(d, _language)


def clock_time(t: time | datetime) -> str:
    """"16.35" / "16:35"."""
    return datefmt.clock_time(t, _language)


def date_time(at: datetime) -> str:
    """"Selasa, 1 Desember 2026, 16.35" / "Tuesday, 1 December 2026, 16:35"."""
    return datefmt.date_time(at, _language)
