"""Refresh the generated parts of README.md: ``python -m kiosk.tools.readme``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kiosk.config import markdown_reference

README = Path(__file__).resolve().parents[2] / "README.md"
_BLOCK = re.compile(r"(<!-- config-reference:start -->\n).*?(\n<!-- config-reference:end -->)", re.S)


def main() -> int:
    text = README.read_text("utf-8")
    updated, count = _BLOCK.subn(lambda m: m.group(1) + markdown_reference() + m.group(2), text)
    if count != 1:
        print("README.md: configuration reference markers not found", file=sys.stderr)
        return 1
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
