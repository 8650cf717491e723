"""PyInstaller runtime hook: let pyzbar use the libzbar bundled next to the program.

pyzbar looks the library up with ctypes.util.find_library, which does not search the
bundle; load the bundled copy first and hand it to pyzbar."""

import ctypes
import sys
from pathlib import Path

bundle = Path(getattr(sys, "_MEIPASS", ""))
for candidate in sorted(bundle.glob("libzbar.so*")):
    try:
        from pyzbar import wrapper

        wrapper.LIBZBAR = ctypes.cdll.LoadLibrary(str(candidate))
        break
    except OSError:
        continue
