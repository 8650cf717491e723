"""A separate process sending booking messages (the two-process flood test and the benchmark).

    python -m tests.booking.flood_worker DB_URL DATA_DIR NOW_ISO FIRST COUNT [DAY_DDMMYYYY]
"""

from __future__ import annotations

import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from kiosk.app import open_context
from kiosk.booking.intake import IncomingMessage, handle_message
from kiosk.config import from_mapping
from kiosk.core.clock import FixedClock


def message(i: int, day: str) -> IncomingMessage:
    """Message ``i``: a different person and phone each time."""
    birth = date(1960, 1, 1) + timedelta(days=i * 13)
    return IncomingMessage(f"wamid.flood.{i}", f"62812{i:08d}", f"#Pemohon {_letters(i)}#{birth:%d%m%Y}#{day}")


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out + "a"


def main(argv: list[str]) -> int:
    url, data_dir, now, first, count = argv[:5]
    day = argv[5] if len(argv) > 5 else "02122026"
    config = from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi Jakarta Pusat"},
                           "clock": {"allow_override": True}, "paths": {"data_dir": data_dir}},
                          source=Path(data_dir) / "config.toml")
    ctx = open_context(config, db_url=url, clock=FixedClock(datetime.fromisoformat(now)))
    try:
        start = time.perf_counter()
        for i in range(int(first), int(first) + int(count)):
            handle_message(ctx, message(i, day), render_image=False)
        print(f"{int(count) / (time.perf_counter() - start):.1f} messages/s", file=sys.stderr)
    finally:
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
