"""Fixtures of the scanning tests: the external corpus, booking codes, video files."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from kiosk.core import booking_code
from kiosk.devices.pipeline import ScanPipeline

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CORPUS = PROJECT_ROOT / ".." / "shared" / "corpora" / "zxing-cpp-samples"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the zxing-cpp sample corpus is not at {CORPUS} (see docs/scanning.md)")
    return CORPUS


@pytest.fixture(scope="session")
def booking_text() -> str:
    key = booking_code.OfficeKey("test-1", b"an office key for scanning tests")
    return booking_code.generate(key, "JKP", date(2026, 11, 27), time(9, 30), 42).text


@pytest.fixture(scope="session")
def pipeline() -> ScanPipeline:
    return ScanPipeline.from_names(["zxing-cpp", "pyzbar"])
