"""The one way a private file is written: keys, the config (it holds the PIN hash),
personal data (exports, e-KTP photos, reply cards).

Owner-only from the first byte and atomic: the data goes to a temporary file beside the
target (mode 0600), is flushed to disk, then renamed over it, so a reader or a crash
never sees half a file and nobody else can read it even for a moment."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_private(path: Path, data: str | bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` (text as UTF-8, newlines as given) to ``path``, owner-only and
    atomically; a missing folder is created owner-only. ``exclusive`` refuses to replace
    an existing file (:class:`FileExistsError`)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    # A temporary name of its own (mkstemp: exclusive, 0600), so two threads or processes
    # writing the same file never write into one temporary file.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if exclusive:
            os.link(tmp, path)  # fails when the file exists: nothing is replaced
        else:
            os.replace(tmp, path)
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)  # an existing file replaced keeps our mode; this is for the link case
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
