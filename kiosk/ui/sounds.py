"""The verdict sounds: a rising pair for accepted, one low tone for a warning, two low
tones for a refusal. Made here as short WAV tones, so no sound files ship and nothing
is copied from elsewhere; played through Qt Multimedia when the machine has audio."""

from __future__ import annotations

import io
import logging
import math
import shutil
import struct
import tempfile
import wave
from pathlib import Path

log = logging.getLogger(__name__)

RATE = 22050
TONES = {  # (frequency Hz, seconds) pairs; 0 Hz is a pause
    "accepted": [(880, 0.12), (0, 0.03), (1320, 0.18)],
    "warning": [(520, 0.30)],
    "refused": [(330, 0.18), (0, 0.06), (330, 0.18)],
}


def tone_wav(notes: list[tuple[int, float]], volume: float = 0.4) -> bytes:
    frames = bytearray()
    for freq, seconds in notes:
        count = int(RATE * seconds)
        fade = max(1, int(RATE * 0.01))  # 10 ms ramps: no click at the edges
        for i in range(count):
            env = min(1.0, i / fade, (count - i) / fade)
            sample = volume * env * math.sin(2 * math.pi * freq * i / RATE) if freq else 0.0
            frames += struct.pack("<h", int(sample * 32767))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))
    return buf.getvalue()


class Sounds:
    """``play(name)``; ``played`` keeps the names for the tests and the log. Disabled
    (config ``desk.sounds = false``) or without audio, it plays nothing and says so once."""

    def __init__(self, enabled: bool = True, *, output: bool = True) -> None:
        self.enabled = enabled
        self.output = output  # False: record only (tests, screenshots, benchmarks: no speaker)
        self.played: list[str] = []
        self._effects: dict[str, object] = {}
        self._folder: Path | None = None
        self.failed = False  # a sound could not be played: the rest of the day is silent

    def problem(self) -> str | None:
        """Why the desk is silent, in English for the log: switched off, no device, or
        a sound that failed; None while the sounds work (or are only recorded)."""
        if self.failed:
            return "a sound could not be played"
        if not self.enabled:
            return "switched off (desk.sounds = false)"
        if self.output:
            from PySide6.QtMultimedia import QMediaDevices

            if QMediaDevices.defaultAudioOutput().isNull():
                return "no audio output device"
        return None

    def play(self, name: str | None) -> None:
        if name is None or not self.enabled:
            return
        self.played.append(name)
        if not self.output:
            return
        try:
            effect = self._effect(name)
            effect.play()  # type: ignore[attr-defined]
        except Exception:  # no audio device or no multimedia backend: the verdict still shows
            log.warning("cannot play the %s sound; continuing without sound", name, exc_info=True)
            self.enabled = False
            self.failed = True

    def _effect(self, name: str) -> object:
        if name not in self._effects:
            from PySide6.QtCore import QUrl
            from PySide6.QtMultimedia import QSoundEffect

            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="antrean-sounds-"))
            path = self._folder / f"{name}.wav"
            path.write_bytes(tone_wav(TONES[name]))
            effect = QSoundEffect()
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effects[name] = effect
        return self._effects[name]

    def close(self) -> None:
        self._effects.clear()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
