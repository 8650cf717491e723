"""Audio output behind one small interface: a Qt sink for speakers, a recording fake.

A sink plays one clip at a time, on the GUI thread, without blocking it, and always
reports the end of a clip through ``finished`` — with an error text when the device
failed — so the announcer never waits forever on a broken or unplugged device.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QTimer, Signal

from display.voice import SAMPLE_RATE, AudioClip

log = logging.getLogger(__name__)


class AudioSink(QObject):
    """Plays clips; emits ``finished("")`` when a clip ended, ``finished(error)`` when it failed."""

    finished = Signal(str)

    def play(self, clip: AudioClip, volume: float) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Cut the current clip (at shutdown); no ``finished`` follows."""

    def problem(self) -> str | None:
        """Why nothing can be heard before anything is played (no device), or None."""
        return None


class QtAudioSink(AudioSink):
    """Speakers through Qt Multimedia's ``QAudioSink`` (PCM pushed from memory)."""

    # Extra time allowed beyond a clip's length before the device is taken as hung.
    WATCHDOG_SLACK = 3.0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sink = None
        self._buffer: QBuffer | None = None
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(lambda: self._end("audio device did not finish the clip"))
        # The state is polled: PySide6 6.11 cannot deliver stateChanged (it fails to convert
        # its QAudio::State argument), so a slot on it would never run.
        self._poll = QTimer(self)
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._check_state)

    def problem(self) -> str | None:
        from PySide6.QtMultimedia import QMediaDevices

        return "no audio output device" if QMediaDevices.defaultAudioOutput().isNull() else None

    def play(self, clip: AudioClip, volume: float) -> None:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            QTimer.singleShot(0, self, lambda: self.finished.emit("no audio output device"))
            return
        fmt = QAudioFormat()
        fmt.setSampleRate(SAMPLE_RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not device.isFormatSupported(fmt):
            QTimer.singleShot(0, self, lambda: self.finished.emit(
                f"audio device {device.description()} cannot play 16 kHz mono"))
            return
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(clip.pcm()))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = QAudioSink(device, fmt, self)
        self._sink.setVolume(volume)
        self._watchdog.start(int((clip.duration * 1.5 + self.WATCHDOG_SLACK) * 1000))
        self._sink.start(self._buffer)
        self._poll.start()

    def _check_state(self) -> None:
        from PySide6.QtMultimedia import QtAudio

        if self._sink is None:
            return
        state = self._sink.state()
        if state == QtAudio.State.IdleState:
            self._end("")
        elif state == QtAudio.State.StoppedState and self._sink.error() != QtAudio.Error.NoError:
            self._end(f"audio device error: {self._sink.error().name}")

    def _end(self, error: str) -> None:
        self._release()
        self.finished.emit(error)

    def stop(self) -> None:
        self._release()

    def _release(self) -> None:
        self._watchdog.stop()
        self._poll.stop()
        sink, buffer = self._sink, self._buffer
        self._sink = self._buffer = None
        if sink is not None:
            sink.stop()
            sink.deleteLater()
        if buffer is not None:
            buffer.close()
            buffer.deleteLater()


@dataclass
class PlayedClip:
    clip: AudioClip
    volume: float
    started: float  # time.monotonic()
    ended: float | None = None
    error: str = ""


class RecordingSink(AudioSink):
    """A fake sink that behaves like a sound card: each clip takes time (its length,
    scaled by ``speed``), and it can fail or be broken. Records what it played, and
    records an overlap if asked to play while it is still playing."""

    def __init__(self, speed: float = 0.01, *, fail_with: str = "", broken: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.speed = speed
        self.fail_with = fail_with
        self.broken = broken
        self.played: list[PlayedClip] = []
        self.overlaps = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._done)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def play(self, clip: AudioClip, volume: float) -> None:
        if self.broken:
            raise OSError("sound card unplugged")
        if self.playing:
            self.overlaps += 1
        self.played.append(PlayedClip(clip, volume, time.monotonic()))
        self._timer.start(max(1, int(clip.duration * self.speed * 1000)))

    def _done(self) -> None:
        current = self.played[-1]
        current.ended = time.monotonic()
        current.error = self.fail_with
        self.finished.emit(self.fail_with)

    def stop(self) -> None:
        self._timer.stop()

    def problem(self) -> str | None:
        return "sound card unplugged" if self.broken else None
