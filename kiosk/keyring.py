"""The office's booking-code keys, kept in a file with owner-only permissions.

The file holds the secrets; the database keeps only their ids and fingerprints, so a
copy of the database does not let anyone forge codes. Keys are never logged.

The file also holds the supervisor PIN pepper: the PIN hash in config.toml is keyed
with it, so the config alone cannot be brute-forced offline.

Only ``init`` and ``keys rotate`` create the file (an exclusive create under a lock
file); every other command that finds no file stops with a plain error. Changes are
read-modify-write under the same lock, written to a temporary file and renamed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kiosk.core.booking_code import OfficeKey
from kiosk.i18n import tr

from kiosk.private_files import write_private

C = "Keys"


class KeyFileError(RuntimeError):
    pass


@dataclass(frozen=True)
class KeyEntry:
    key: OfficeKey
    created: datetime
    retired: datetime | None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key.secret)


def fingerprint(secret: bytes) -> str:
    """A public, non-reversible name of a secret (for comparing PCs)."""
    return hashlib.sha256(b"antrean-key-fingerprint|" + secret).hexdigest()[:16]


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``<path>.lock`` across processes (flock; msvcrt on Windows)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only (mypy reads this test too)
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    break
                except OSError:  # LK_LOCK gives up after 10 s; keep waiting
                    continue
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class KeyRing:
    def __init__(self, path: Path, entries: list[KeyEntry], peppers: dict[str, bytes] | None = None) -> None:
        self.path = path
        self.entries = entries
        self.peppers: dict[str, bytes] = dict(peppers or {})

    @property
    def keys(self) -> list[OfficeKey]:
        return [e.key for e in self.entries]

    @property
    def signing_key(self) -> OfficeKey:
        active = [(e.created, i, e) for i, e in enumerate(self.entries) if e.key.active]
        if not active:
            raise KeyFileError(tr(C, "tidak ada kunci kode booking yang aktif di {path}; jalankan `keys rotate` "
                                  "untuk membuatnya", path=self.path))
        return max(active, key=lambda item: item[:2])[2].key  # newest; the later one on a tie

    @classmethod
    def load(cls, path: Path) -> KeyRing:
        try:
            data = json.loads(path.read_text("utf-8"))
            peppers = {str(p["id"]): base64.b64decode(p["secret"], validate=True)
                       for p in data.get("pin_peppers") or []}
            entries = [
                KeyEntry(
                    OfficeKey(item["id"], base64.b64decode(item["secret"], validate=True), item.get("retired") is None),
                    datetime.fromisoformat(item["created"]),
                    datetime.fromisoformat(item["retired"]) if item.get("retired") else None,
                )
                for item in data["keys"]
            ]
        except FileNotFoundError:
            raise KeyFileError(tr(C, "berkas kunci kode booking tidak ditemukan: {path} (hanya dibuat oleh `init` "
                                  "atau `keys rotate`; salin dari PC pertama kantor)", path=path)) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyFileError(tr(C, "berkas kunci kode booking {path} rusak ({error})", path=path,
                                  error=type(exc).__name__)) from None
        return cls(path, entries, peppers)

    @classmethod
    def create_or_load(cls, path: Path, now: datetime | None = None) -> KeyRing:
        """The key file, created with a first signing key and a PIN pepper when missing
        (``init`` and ``keys rotate`` only). Several PCs or processes doing this at once
        end with one file: the first creates it under the lock, the others load it."""
        with file_lock(path):
            if path.exists():
                return cls.load(path)
            now = now or datetime.now(timezone.utc)
            ring = cls(path, [_new_entry(now)], {_new_pepper_id(now): secrets.token_bytes(32)})
            ring._write(exclusive=True)
            return ring

    def rotate(self, now: datetime | None = None) -> KeyEntry:
        """Add a new signing key; older keys keep verifying until retired."""
        now = now or datetime.now(timezone.utc)
        with file_lock(self.path):
            self._reload_if_present()
            entry = _new_entry(now)
            self.entries.append(entry)
            if not self.peppers:
                self.peppers[_new_pepper_id(now)] = secrets.token_bytes(32)
            self._write(exclusive=not self.path.exists())
        return entry

    def retire(self, key_id: str, now: datetime | None = None) -> KeyEntry:
        now = now or datetime.now(timezone.utc)
        with file_lock(self.path):
            self._reload_if_present()
            for i, entry in enumerate(self.entries):
                if entry.key.key_id == key_id:
                    if not entry.key.active:
                        return entry
                    retired = KeyEntry(OfficeKey(key_id, entry.key.secret, False), entry.created, now)
                    self.entries[i] = retired
                    self._write()
                    return retired
        raise KeyFileError(tr(C, "tidak ada kunci {key_id} di {path}", key_id=repr(key_id), path=self.path))

    # --- the supervisor PIN pepper ---------------------------------------------------------

    def pepper(self, pepper_id: str) -> bytes | None:
        """The pepper a PIN hash names; re-read from the file when another command added it."""
        if pepper_id not in self.peppers and self.path.exists():
            self.peppers = KeyRing.load(self.path).peppers
        return self.peppers.get(pepper_id)

    def add_pepper(self, now: datetime | None = None) -> tuple[str, bytes]:
        """A new pepper, added next to the old ones (the old PIN hash keeps working until
        the config names the new one; then :meth:`keep_only_pepper` drops the rest)."""
        now = now or datetime.now(timezone.utc)
        with file_lock(self.path):
            self._reload_if_present()
            pepper_id, secret = _new_pepper_id(now), secrets.token_bytes(32)
            self.peppers[pepper_id] = secret
            self._write()
        return pepper_id, secret

    def keep_only_pepper(self, pepper_id: str) -> None:
        with file_lock(self.path):
            self._reload_if_present()
            self.peppers = {k: v for k, v in self.peppers.items() if k == pepper_id}
            self._write()

    def _reload_if_present(self) -> None:
        if self.path.exists():
            fresh = KeyRing.load(self.path)
            self.entries, self.peppers = fresh.entries, fresh.peppers

    def save(self) -> None:
        with file_lock(self.path):
            self._write()

    def _write(self, *, exclusive: bool = False) -> None:
        data = {
            "version": 1,
            "keys": [
                {
                    "id": e.key.key_id,
                    "secret": base64.b64encode(e.key.secret).decode("ascii"),
                    "created": e.created.isoformat(),
                    "retired": e.retired.isoformat() if e.retired else None,
                }
                for e in self.entries
            ],
            "pin_peppers": [{"id": k, "secret": base64.b64encode(v).decode("ascii")} for k, v in self.peppers.items()],
        }
        try:  # exclusive: never overwrite keys a concurrent process just created
            write_private(self.path, json.dumps(data, indent=2), exclusive=exclusive)
        except FileExistsError:
            raise KeyFileError(tr(C, "berkas kunci kode booking {path} muncul saat sedang dibuat", path=self.path)) \
                from None


def _new_entry(now: datetime) -> KeyEntry:
    key_id = f"k{now:%Y%m%d}-{secrets.token_hex(3)}"
    return KeyEntry(OfficeKey(key_id, secrets.token_bytes(32), True), now, None)


def _new_pepper_id(now: datetime) -> str:
    return f"p{now:%Y%m%d}-{secrets.token_hex(3)}"
