"""The states a scanning device reports to the GUI."""

from __future__ import annotations

from enum import StrEnum


class DeviceStatus(StrEnum):
    CONNECTING = "connecting"  # opening it for the first time
    LIVE = "live"  # delivering frames or reading codes
    RECONNECTING = "reconnecting"  # lost or not there; trying again every fraction of a second
    STOPPED = "stopped"
