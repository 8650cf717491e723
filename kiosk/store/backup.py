"""Online backup of the SQLite database (consistent even while desks write, WAL included)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def backup_sqlite(url: str, out: Path) -> int:
    """Copy the database page by page with SQLite's backup API; returns pages copied.
    PostgreSQL offices back up with pg_dump (see docs/admin-guide.md)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise BackupError("backup copies SQLite databases; for PostgreSQL use pg_dump (docs/admin-guide.md)")
    source_path = Path(parsed.database)
    if not source_path.exists():
        raise BackupError(f"database file not found: {source_path}")
    if out.exists():
        raise BackupError(f"{out} already exists; choose a new file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # personal data: owner-only
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(out)
    try:
        source.backup(target)
        pages = target.execute("PRAGMA page_count").fetchone()[0]
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"the copy in {out} failed its integrity check")
    finally:
        target.close()
        source.close()
    return int(pages)
