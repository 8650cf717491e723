"""People's words for the office's priority categories and services, in the current
language: the one place every window, message, ticket, report and command takes them
from, so a category never shows as its config key and a name is never bracketed twice."""

from __future__ import annotations

from kiosk.i18n import tr

C = "Names"


def category_name(category: str) -> str:
    """"Lansia" / "Elderly (lansia)"; an unknown key reads as words, never as ``ibu_hamil``."""
    names = {"lansia": tr(C, "Lansia"), "anak": tr(C, "Anak"), "disabilitas": tr(C, "Disabilitas"),
             "ibu_hamil": tr(C, "Ibu hamil")}
    return names.get(str(category), str(category).replace("_", " ").capitalize())


def service_name(configured: str) -> str:
    """A service as the office named it; the default names are translated, an office's
    own names are shown as the office wrote them."""
    defaults = {"Paspor (booking online)": tr(C, "Paspor (booking online)"), "Prioritas": tr(C, "Prioritas")}
    return defaults.get(configured, configured)


def service_label(letter: str, configured: str) -> str:
    """"A · Paspor (booking online)": the letter first, so a name with brackets of its
    own never gets a second pair."""
    return f"{letter} · {service_name(configured)}"
