"""Start ``main.py wa-server`` (and other programs) as real processes for tests."""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
from pathlib import Path

from tests.test_cli import ROOT, Cli, init

APP_SECRET = "app-secret-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def office(tmp_path: Path, *extra: str, settings: str = "") -> Cli:
    """An initialised office with a WhatsApp secrets file; ``settings`` is appended to
    config.toml's [intake] section."""
    cli = Cli(tmp_path)
    assert init(cli, "--allow-clock-override", *extra)[0] == 0
    secrets = tmp_path / "data" / "whatsapp.json"
    fd = os.open(secrets, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"app_secret": APP_SECRET, "verify_token": "verify-me", "access_token": "EAAtest"}, fh)
    if settings:
        text = cli.config.read_text()
        assert "[intake]" in text
        cli.config.write_text(text.replace("[intake]\n", "[intake]\n" + settings + "\n", 1))
    return cli


class Program:
    """A running ``main.py`` command; its output lines are read by a thread into a queue."""

    def __init__(self, cli: Cli, *args: str, now: str | None = None) -> None:
        env = dict(cli.env)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        if now:
            env["ANTREAN_NOW"] = now
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, name="program-output", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put(raw.decode("utf-8", "replace"))
        self.lines.put("")  # end of output

    def wait_for(self, text: str, timeout: float = 60) -> str:
        while True:
            line = self.lines.get(timeout=timeout)
            self.seen.append(line)
            if text in line:
                return line
            if line == "":
                raise AssertionError(f"program ended before {text!r}: {''.join(self.seen)}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
        code = self.proc.wait(timeout=60)
        self._reader.join(timeout=10)
        return code


def start_wa_server(cli: Cli, port: int, now: str | None = None) -> Program:
    program = Program(cli, "wa-server", "--port", str(port), now=now)
    program.wait_for("WhatsApp webhook on")
    return program
