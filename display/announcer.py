"""The announcer: chime and spoken call, strictly one announcement after another.

Requests are composed into sound on one background worker (reading fragments or
running espeak-ng must not stall the board) in arrival order, then played on the
GUI thread through an :class:`~display.audio.AudioSink`, one at a time. A sink that
fails or raises is logged and the queue moves on: the board never waits on audio.
"""

from __future__ import annotations

import logging
import queue
import time
from collections import deque
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from display.audio import AudioSink
from display.model import CallEvent
from display.voice import Utterance, Voice
from kiosk.config import AnnouncerSettings
from kiosk.devices.worker import BackgroundWorker

log = logging.getLogger(__name__)


@dataclass
class Announcement:
    call: CallEvent
    requested: float = field(default_factory=time.monotonic)  # time.monotonic()
    utterance: Utterance | None = None
    started: float | None = None
    ended: float | None = None
    error: str = ""


class _Composer(BackgroundWorker):
    """Turns requests into sound, in order, off the GUI thread."""

    def __init__(self, voice: Voice, repeat: int, on_ready) -> None:
        super().__init__("announcer-voice")
        self.voice = voice
        self.repeat = repeat
        self.on_ready = on_ready
        self.requests: queue.Queue[Announcement] = queue.Queue()

    def run(self) -> None:
        while not self.stopping:
            try:
                item = self.requests.get(timeout=0.1)
            except queue.Empty:
                continue
            call = item.call
            try:
                item.utterance = self.voice.announcement(call.service, call.number, call.counter, self.repeat)
            except Exception as exc:  # a bad fragment file must not end the announcer
                log.exception("could not compose the announcement of %s", call.label)
                item.error = f"voice: {exc}"
            if not self.stopping:
                self.on_ready(item)


class Announcer(QObject):
    """Queue of announcements; emits ``started`` and ``finished`` with each :class:`Announcement`."""

    started = Signal(object)
    finished = Signal(object)
    _ready = Signal(object)  # from the composer thread to the GUI thread

    def __init__(self, sink: AudioSink, settings: AnnouncerSettings, voice: Voice | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.sink = sink
        self.sink.finished.connect(self._sink_finished)
        self._pending: deque[Announcement] = deque()
        self._current: Announcement | None = None
        self._ready.connect(self._composed)
        self._composer = _Composer(voice or Voice(), settings.repeat, self._ready.emit)
        self._composer.start()
        self.history: list[Announcement] = []

    @property
    def busy(self) -> bool:
        return self._current is not None or bool(self._pending)

    def announce(self, call: CallEvent) -> Announcement | None:
        """Queue a call (or recall); returns the request, or None when the announcer is off."""
        if not self.settings.enabled:
            return None
        item = Announcement(call)
        self.history.append(item)
        self._composer.requests.put(item)
        return item

    def close(self) -> None:
        self._composer.stop()
        self.sink.stop()
        self._pending.clear()
        self._current = None

    def _composed(self, item: Announcement) -> None:
        self._pending.append(item)
        self._play_next()

    def _play_next(self) -> None:
        while self._current is None and self._pending:
            item = self._pending.popleft()
            if item.utterance is None:
                self._end(item)
                continue
            self._current = item
            item.started = time.monotonic()
            self.started.emit(item)
            try:
                self.sink.play(item.utterance.clip, self.settings.volume)
            except Exception as exc:  # an unplugged device raises here; the board goes on
                log.warning("audio output failed for %s: %s", item.call.label, exc)
                item.error = str(exc) or type(exc).__name__
                self._current = None
                self._end(item)

    def _sink_finished(self, error: str) -> None:
        item, self._current = self._current, None
        if item is not None:
            if error:
                log.warning("audio output failed for %s: %s", item.call.label, error)
                item.error = error
            self._end(item)
        self._play_next()

    def _end(self, item: Announcement) -> None:
        item.ended = time.monotonic()
        self.finished.emit(item)
