#!/usr/bin/env python3
"""Antrean Paspor: python main.py <command>. See README.md."""

import sys

from kiosk.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
