"""Refresh the generated parts of README.md: ``python -m kiosk.tools.readme``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kiosk.config import markdown_reference
from kiosk.tools import glossary

README = Path(__file__).resolve().parents[2] / "README.md"


def _block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name}:start -->\n).*?(\n<!-- {name}:end -->)", re.S)


def main() -> int:
    text = README.read_text("utf-8")
    for name, content in (("config-reference", markdown_reference()), ("glossary", glossary.markdown())):
        text, count = _block(name).subn(lambda m, c=content: m.group(1) + c + m.group(2), text)
        if count != 1:
            print(f"README.md: {name} markers not found", file=sys.stderr)
            return 1
    README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
