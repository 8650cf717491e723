"""Saving settings changed in a window: the config file is rewritten, the change audited."""

from __future__ import annotations

from typing import Any

from kiosk.app import AppContext
from kiosk.config import Config, replace, to_toml
from kiosk.i18n import tr
from kiosk.services.common import audit


class SettingsError(ValueError):
    pass


def save_settings(ctx: AppContext, section: str, values: dict[str, Any], *, actor: str) -> Config:
    """Validate, write the config file, audit what changed, and use the new config.
    The caller checks the supervisor PIN first."""
    old = getattr(ctx.config, section)
    changed = {k: v for k, v in values.items() if getattr(old, k) != v}
    new = replace(ctx.config, **{section: values})  # raises ConfigError naming a bad key
    if not changed:
        return ctx.config
    if ctx.config.source is None:
        raise SettingsError(tr("Settings", "Tidak ada berkas konfigurasi untuk disimpan."))
    ctx.config.source.write_text(to_toml(new), encoding="utf-8")
    with ctx.db.write() as session:
        audit(ctx, session, "settings_changed", actor=actor, target=section,
              detail={k: {"from": getattr(old, k), "to": v} for k, v in changed.items()})
    ctx.config = new
    return new
