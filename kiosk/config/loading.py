"""Reading and writing the TOML file: a mapping or a file validated into a Config, and
a Config written back as a commented file (``init``, the settings dialog)."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path
from typing import Any


from kiosk.config.checks import ConfigError, check_whole, shown_value, validate_value
from kiosk.config.model import Config, default_config_path, schema, sections
from kiosk.i18n import tr

C = "Config"


def from_mapping(data: dict[str, Any], source: Path | None = None) -> Config:
    """Build and validate a Config from parsed TOML; unknown keys are errors (typos matter)."""
    specs = {s.name: s for s in schema()}
    known_sections = dict(sections())
    values: dict[str, dict[str, Any]] = {}
    for section_name, section_value in data.items():
        if section_name not in known_sections:
            raise ConfigError(tr(C, "bagian [{section}] tidak dikenal: yang ada {known}", section=section_name,
                                 known=", ".join(known_sections)), key=section_name)
        if not isinstance(section_value, dict):
            raise ConfigError(tr(C, "{section} = {value}: harus tabel [{section}]", section=section_name,
                                 value=shown_value(section_value)), key=section_name)
        for key, value in section_value.items():
            name = f"{section_name}.{key}"
            if name not in specs:
                known = ", ".join(s.split(".", 1)[1] for s in specs if s.startswith(section_name + "."))
                raise ConfigError(tr(C, "kunci {key} tidak dikenal: [{section}] berisi {known}", key=name,
                                     section=section_name, known=known), key=name)
            values.setdefault(section_name, {})[key] = validate_value(specs[name], value)
    built = {name: tp(**values.get(name, {})) for name, tp in known_sections.items()}
    config = Config(**built, source=source)
    check_whole(config)
    return config


def load_config(path: Path | None = None) -> Config:
    """Read and validate the config file; a missing file is an error with the path named."""
    path = path or default_config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(tr(C, "berkas konfigurasi tidak ditemukan: {path} (buat dengan `python main.py init`)",
                             path=path)) from None
    except OSError as exc:
        raise ConfigError(tr(C, "berkas konfigurasi {path} tidak dapat dibaca: {reason}", path=path,
                             reason=exc.strerror)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(tr(C, "{path}: harus teks UTF-8", path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib words its reason in English only: the place is said in the reader's language
        at = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = at.groups() if at else ("?", "?")
        raise ConfigError(tr(C, "{path}: bukan TOML yang sah (baris {line}, kolom {column})", path=path,
                             line=line, column=column)) from None
    return from_mapping(data, source=path.resolve())


def toml_value(value: Any) -> str:
    """One value as TOML (inline tables and arrays)."""
    return _toml_value(value)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) and not key.isdigit() else _toml_value(key)


def to_toml(config: Config) -> str:
    """A commented TOML file: every key with its help; keys left at their default are
    written commented out, so the file shows what can be set without pinning defaults."""
    lines = ["# Antrean Paspor configuration. Every key is documented in README.md.", ""]
    current = None
    for spec in schema():
        section, key = spec.name.split(".", 1)
        if section != current:
            if current is not None:
                lines.append("")
            lines.append(f"[{section}]")
            current = section
        value = getattr(getattr(config, section), key)
        lines.append(f"# {spec.help}")
        prefix = "" if value != spec.default else "# "
        lines.append(f"{prefix}{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def replace(config: Config, **changes: dict[str, Any]) -> Config:
    """A copy with some keys changed, e.g. ``replace(cfg, office={"code": "DPS"})``, validated."""
    data: dict[str, dict[str, Any]] = {}
    for section_name, _ in sections():
        data[section_name] = dataclasses.asdict(getattr(config, section_name))
    for section_name, values in changes.items():
        data[section_name].update(values)
    return from_mapping(data, source=config.source)
