"""The display process: feed → board model → window and announcer.

The display needs no keys and never writes: it only reads ticket events, so it can
run on the TV's own PC against the office's PostgreSQL server, and it starts even
while the database is away (the board then waits with its reconnecting badge).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from display.announcer import Announcement, Announcer
from display.audio import AudioSink, QtAudioSink, RecordingSink
from display.feed import BoardReader, EventFeed
from display.model import BoardModel, BoardSnapshot, speakable
from display.screens import ScreenMemory, ScreenWatcher, choose_screen
from display.voice import Voice
from display.window import DisplayWindow
from kiosk.config import resolve_path
from kiosk.app import ReadContext
from kiosk.i18n import tr

log = logging.getLogger(__name__)
C = "Display"


class DisplayController(QObject):
    """Wires one feed to the board and the announcer, on the GUI thread."""

    _snapshot = Signal(object)
    _status = Signal(bool)

    def __init__(self, ctx: ReadContext, sink: AudioSink, *, trace: Callable[[str, dict], None] | None = None,
                 parent: QObject | None = None) -> None:
        """``ctx`` is a read context: the board needs the config, the database and the
        clock, never the keys that sign codes."""
        super().__init__(parent)
        config = self.config = ctx.config
        now = self.now = ctx.clock.now
        self.trace = trace
        self.model = BoardModel()
        self.sound_problem: str | None = None  # why the calls cannot be heard, shown as a badge
        self.window = DisplayWindow(config, now)
        voice_dir = resolve_path(config, config.announcer.voice_dir) if config.announcer.voice_dir else None
        self.announcer = Announcer(sink, config.announcer, Voice(voice_dir), self)
        self.announcer.started.connect(self._sound_started)
        self.announcer.finished.connect(self._sound_finished)
        self._snapshot.connect(self._apply)
        self._status.connect(self._connection)
        reader = BoardReader(ctx.db, list(config.queue.services), config.tz, ctx.clock, config.display.recent_calls)
        self.feed = EventFeed(reader, on_snapshot=self._snapshot.emit, on_status=self._status.emit,
                              poll_interval=config.display.poll_interval)

    def start(self) -> None:
        self.feed.start()
        if not self.config.announcer.enabled:
            self._set_sound_problem(tr(C, "pengumuman suara dimatikan (announcer.enabled = false)"))
        else:
            self._set_sound_problem(self.announcer.sink.problem())

    def _set_sound_problem(self, problem: str | None) -> None:
        if problem != self.sound_problem:  # one log line per change, not per call
            if problem:
                log.warning("sound: %s", problem)
            else:
                log.info("sound works again")
        self.sound_problem = problem
        self.window.set_sound_problem(problem)

    def close(self) -> None:
        self.feed.stop()
        self.announcer.close()
        self.window.shutdown()

    def _apply(self, snapshot: BoardSnapshot) -> None:
        fresh = self.model.update(snapshot)
        if self.model.snapshot is not None:
            self.window.show_board(self.model.snapshot)
        if fresh:
            self.window.highlight(fresh[-1])
        now = self.now()
        for call in fresh:
            if self.trace:
                self.trace("shown", {"event": call.event_id, "number": call.label, "counter": call.counter,
                                     "recall": call.recall})
            if speakable(call, now, self.config.announcer.max_age):
                self.announcer.announce(call)

    def _connection(self, connected: bool) -> None:
        self.window.set_reconnecting(not connected)
        if self.trace:
            self.trace("connected" if connected else "disconnected", {})

    def _sound_started(self, item: Announcement) -> None:
        if self.trace:
            self.trace("sound", {"event": item.call.event_id, "number": item.call.label})

    def _sound_finished(self, item: Announcement) -> None:
        if self.config.announcer.enabled:
            self._set_sound_problem(item.error or None)
        if self.trace:
            self.trace("sound_end", {"event": item.call.event_id, "number": item.call.label, "error": item.error})


def stdout_trace(kind: str, data: dict) -> None:
    """One JSON line per board event, with a monotonic time (the same clock in every
    process on Linux), for tests and the latency benchmark."""
    print(json.dumps({"kind": kind, "t": time.monotonic(), **data}), flush=True)


def make_sink(kind: str) -> AudioSink:
    if kind == "fake":
        return RecordingSink(speed=1.0)
    return QtAudioSink()


class ScreenFollower(QObject):
    """Keeps the window on the chosen screen as screens come and go."""

    def __init__(self, window: DisplayWindow, memory: ScreenMemory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.memory = memory
        self.watcher = ScreenWatcher(self)
        self.watcher.changed.connect(self.place)

    def place(self) -> None:
        screen = choose_screen(QGuiApplication.screens(), QGuiApplication.primaryScreen(), self.memory.load())
        if screen is None:
            log.warning("no screen to show the display on; waiting for one")
            return
        log.info("display on screen %s", screen.name())
        self.window.place_on(screen)

    def close(self) -> None:
        self.watcher.close()
