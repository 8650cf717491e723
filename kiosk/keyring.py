"""The office's booking-code keys, kept in a file with owner-only permissions.

The file holds the secrets; the database keeps only their ids and fingerprints, so a
copy of the database does not let anyone forge codes. Keys are never logged.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kiosk.core.booking_code import OfficeKey


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


class KeyRing:
    def __init__(self, path: Path, entries: list[KeyEntry]) -> None:
        self.path = path
        self.entries = entries

    @property
    def keys(self) -> list[OfficeKey]:
        return [e.key for e in self.entries]

    @property
    def signing_key(self) -> OfficeKey:
        active = [(e.created, i, e) for i, e in enumerate(self.entries) if e.key.active]
        if not active:
            raise KeyFileError(f"no active booking-code key in {self.path}; rotate to create one")
        return max(active, key=lambda item: item[:2])[2].key  # newest; the later one on a tie

    @classmethod
    def load(cls, path: Path) -> KeyRing:
        try:
            data = json.loads(path.read_text("utf-8"))
            entries = [
                KeyEntry(
                    OfficeKey(item["id"], base64.b64decode(item["secret"], validate=True), item.get("retired") is None),
                    datetime.fromisoformat(item["created"]),
                    datetime.fromisoformat(item["retired"]) if item.get("retired") else None,
                )
                for item in data["keys"]
            ]
        except FileNotFoundError:
            raise KeyFileError(f"booking-code key file not found: {path}") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyFileError(f"booking-code key file {path} is damaged ({type(exc).__name__})") from None
        return cls(path, entries)

    @classmethod
    def load_or_create(cls, path: Path, now: datetime | None = None) -> KeyRing:
        if path.exists():
            return cls.load(path)
        ring = cls(path, [])
        ring.rotate(now)
        return ring

    def rotate(self, now: datetime | None = None) -> KeyEntry:
        """Add a new signing key; older keys keep verifying until retired."""
        now = now or datetime.now(timezone.utc)
        key_id = f"k{now:%Y%m%d}-{secrets.token_hex(3)}"
        entry = KeyEntry(OfficeKey(key_id, secrets.token_bytes(32), True), now, None)
        self.entries.append(entry)
        self.save()
        return entry

    def retire(self, key_id: str, now: datetime | None = None) -> KeyEntry:
        now = now or datetime.now(timezone.utc)
        for i, entry in enumerate(self.entries):
            if entry.key.key_id == key_id:
                if not entry.key.active:
                    return entry
                retired = KeyEntry(OfficeKey(key_id, entry.key.secret, False), entry.created, now)
                self.entries[i] = retired
                self.save()
                return retired
        raise KeyFileError(f"no key {key_id!r} in {self.path}")

    def save(self) -> None:
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
        }
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        os.chmod(self.path, 0o600)
