"""The README's configuration reference, generated from the model."""

from __future__ import annotations



from kiosk.config.loading import toml_value
from kiosk.config.model import schema


def markdown_reference() -> str:
    """The README's configuration reference, generated from the model (a test keeps them equal)."""
    rows = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for spec in schema():
        default = toml_value(spec.default) if spec.default != "" else '`""`'
        if not default.startswith("`"):
            default = f"`{default}`"
        restart = " *(restart needed)*" if spec.restart else ""
        rows.append(f"| `{spec.name}` | {spec.type_name} | {default} | {spec.help}{restart} |")
    return "\n".join(rows)
