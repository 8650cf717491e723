"""One declared settings model, read from a TOML file and validated at start.

Every key is declared once, as a field of a section dataclass made with
:func:`setting` (default, help, optional check, whether a change needs a restart).
The loader, the validator, the commented config written by ``init``, the README's
configuration reference and the settings dialog all read this one declaration.

The package: ``model`` (the sections and the Config), ``checks`` (each key's check and
the rules across keys), ``loading`` (TOML in and out), ``reference`` (the README's table),
``words`` (labels, units, help, groups and refusals in the chosen language, for the
settings dialog; ``from kiosk.config import words``).
Everything is importable from ``kiosk.config`` as before.
"""

from __future__ import annotations

from kiosk.config.checks import (
    Check, ConfigError, DECODER_NAMES, DEFAULT_PRINTER_PROFILE, baud, categories, check_whole, clock,
    counters, database_url, decoder_order, fraction, host, hours_range, http_url, int_range, iso_dates,
    language, minutes, non_empty, office_code, office_names, one_of, printable, printer_profile, public_url,
    seconds, service_letter, service_names, shown_value, timezone, url_path, validate_value, weekdays,
)
from kiosk.config.model import (
    APP_NAME, AnnouncerSettings, ArrivalSettings, CONFIG_ENV, CameraSettings, ClockSettings, Config,
    DatabaseSettings, DeskSettings, DisplaySettings, IntakeSettings, KeySpec, OfficeSettings,
    PRINTER_TRANSPORTS, PathSettings, PrinterSettings, PrioritySettings, PrivacySettings, QueueSettings,
    ScannerSettings, SecuritySettings, WebSettings, default_config_path, default_data_dir, resolve_path,
    schema, sections, setting,
)
from kiosk.config.loading import from_mapping, load_config, replace, to_toml, toml_value
from kiosk.config.reference import markdown_reference

__all__ = [
    "APP_NAME",
    "AnnouncerSettings",
    "ArrivalSettings",
    "CONFIG_ENV",
    "CameraSettings",
    "Check",
    "ClockSettings",
    "Config",
    "ConfigError",
    "DECODER_NAMES",
    "DEFAULT_PRINTER_PROFILE",
    "DatabaseSettings",
    "DeskSettings",
    "DisplaySettings",
    "IntakeSettings",
    "KeySpec",
    "OfficeSettings",
    "PRINTER_TRANSPORTS",
    "PathSettings",
    "PrinterSettings",
    "PrioritySettings",
    "PrivacySettings",
    "QueueSettings",
    "ScannerSettings",
    "SecuritySettings",
    "WebSettings",
    "baud",
    "categories",
    "check_whole",
    "clock",
    "counters",
    "database_url",
    "decoder_order",
    "default_config_path",
    "default_data_dir",
    "fraction",
    "from_mapping",
    "host",
    "hours_range",
    "http_url",
    "int_range",
    "iso_dates",
    "language",
    "load_config",
    "markdown_reference",
    "minutes",
    "non_empty",
    "office_code",
    "office_names",
    "one_of",
    "printable",
    "printer_profile",
    "public_url",
    "replace",
    "resolve_path",
    "schema",
    "seconds",
    "sections",
    "service_letter",
    "service_names",
    "setting",
    "shown_value",
    "timezone",
    "to_toml",
    "toml_value",
    "url_path",
    "validate_value",
    "weekdays",
]
