"""People's words for the office's priority categories and services, in the current
language: the one place every window, message, ticket, report and command takes them
from, so a category never shows as its config key and a name is never bracketed twice."""

from __future__ import annotations

from kiosk.i18n import LANGUAGES, tr, tr_in

C = "Names"


def category_name(category: str) -> str:
    """"Lansia" / "Elderly (lansia)"; an unknown key reads as words, never as ``ibu_hamil``."""
    names = {"lansia": tr(C, "Lansia"), "anak": tr(C, "Anak"), "disabilitas": tr(C, "Disabilitas"),
             "ibu_hamil": tr(C, "Ibu hamil")}
    return names.get(str(category), str(category).replace("_", " ").capitalize())


def service_name(configured: str, language: str | None = None) -> str:
    """A service as the office named it; the default names are translated (into
    ``language``, or the current language), an office's own names are shown as written."""
    if language is None:
        defaults = {"Paspor (booking online)": tr(C, "Paspor (booking online)"), "Prioritas": tr(C, "Prioritas")}
    else:  # the same messages, from the catalogue of ``language``
        defaults = {"Paspor (booking online)": tr_in(language, C, "Paspor (booking online)"),
                    "Prioritas": tr_in(language, C, "Prioritas")}
    return defaults.get(configured, configured)


def service_names(configured: str) -> dict[str, str]:
    """The name in every language, for pages whose readers choose their own."""
    return {language: service_name(configured, language) for language in LANGUAGES}


def service_label(letter: str, configured: str) -> str:
    """"A · Paspor (booking online)": the letter first, so a name with brackets of its
    own never gets a second pair."""
    return f"{letter} · {service_name(configured)}"
