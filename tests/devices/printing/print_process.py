"""A desk's printer thread in its own process, for the crash test: ``python print_process.py CONFIG DB_URL``.

Prints "ready" once the thread runs, then waits to be killed.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from kiosk.app import open_context
from kiosk.devices.printing.factory import make_printer
from kiosk.devices.printing.spooler import Backoff, PrinterWorker
from kiosk.services.printing import OutboxSource


def main() -> None:
    ctx = open_context(config_path=Path(sys.argv[1]), db_url=sys.argv[2])
    worker = PrinterWorker(make_printer(ctx.config), OutboxSource(ctx), backoff=Backoff(0.05, 2, 0.2),
                           poll_seconds=0.05)
    worker.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
