"""Cost of the typing-slip hint on a refused code (``booking_code.one_character_off``).

    .venv/bin/python benchmarks/typo_hint.py [--n 200]

A code the desk refuses is searched for one character that would make it a code of this
office ("SALAH KETIK"). Worst case: no such character (every candidate is tried). The
brute-force rule (every position × every letter and digit, parsed as the desk would) is
measured beside it; tests/core/test_booking_code.py pins the two to the same answers.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.core import booking_code as bc  # noqa: E402
from tests.core.test_booking_code import one_character_off_by_brute_force as brute_force  # noqa: E402


def cpu_ms(fn, texts: list[str]) -> list[float]:
    out = []
    for text in texts:
        start = time.process_time()
        fn(text, "JKP", KEYS)
        out.append((time.process_time() - start) * 1000)
    return out


KEYS = [bc.OfficeKey("k1", b"\x01" * 32), bc.OfficeKey("k2", b"\x02" * 32)]  # a rotation: two active keys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    codes = [bc.generate(KEYS[1], "JKP", date(2026, 12, 1), dtime(10, 0), 1 + i % 999).text for i in range(args.n)]
    two_off = [c[:-2] + ("Z" if c[-2] != "Z" else "Y") + ("Z" if c[-1] != "Z" else "Y") for c in codes]  # no hint
    one_off = [c[:15] + ("9" if c[15] != "9" else "8") + c[16:] for c in codes]  # a slip in the slot
    print(f"# Python {platform.python_version()}, n = {args.n}, 2 active keys, CPU ms per refused code")
    print("| search | no slip found: p50 | p95 | one slip (found): p50 | p95 |")
    print("|---|---|---|---|---|")
    for name, fn in (("fields' own characters (product)", bc.one_character_off), ("brute force", brute_force)):
        miss, hit = cpu_ms(fn, two_off), cpu_ms(fn, one_off)
        q = lambda v, p: sorted(v)[min(len(v) - 1, int(p * len(v)))]  # noqa: E731
        print(f"| {name} | {statistics.median(miss):.1f} | {q(miss, 0.95):.1f} | "
              f"{statistics.median(hit):.1f} | {q(hit, 0.95):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
