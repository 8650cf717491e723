"""The Indonesian voice: a call announcement composed from one WAV file per word.

Fragments live in ``resources/sounds/id`` (synthesised by ``scripts/make_voice.py``
with espeak-ng's Indonesian voice) or in a folder of human recordings with the same
names. Any WAV format is accepted and converted to 16 kHz mono 16-bit, the one format
the audio sinks play. When a fragment is missing, the whole sentence is synthesised
by espeak-ng at run time; when that fails too, the call is still shown, only silent.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kiosk.core.words import announcement_fragments, announcement_text

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
VOICE_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds" / "id"
CHIME = "chime"
ESPEAK_VOICE = "id"
ESPEAK_SPEED = 140  # words per minute; slower than the default so a full room understands

# Pauses between fragments: a short breath between words, a longer one at the comma.
WORD_GAP = 0.06
PHRASE_GAP = 0.30
CHIME_GAP = 0.35
REPEAT_GAP = 0.8


class VoiceError(RuntimeError):
    """A fragment or the synthesiser could not produce sound."""


@dataclass(frozen=True)
class AudioClip:
    """Mono 16-bit PCM at :data:`SAMPLE_RATE`."""

    samples: np.ndarray = field(repr=False)

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def pcm(self) -> bytes:
        return self.samples.astype("<i2").tobytes()

    @staticmethod
    def silence(seconds: float) -> AudioClip:
        return AudioClip(np.zeros(int(round(seconds * SAMPLE_RATE)), dtype=np.int16))

    @staticmethod
    def join(clips: list[AudioClip]) -> AudioClip:
        if not clips:
            return AudioClip.silence(0)
        return AudioClip(np.concatenate([c.samples for c in clips]).astype(np.int16))


@dataclass(frozen=True)
class Utterance:
    """What one announcement says, how it was built, and the sound to play."""

    text: str
    fragments: list[str]
    clip: AudioClip | None  # None once played: the announcer lets the samples go
    source: str  # "fragments", "espeak" or "silent"


# --- WAV input/output -------------------------------------------------------------------

def read_wav(data: bytes | Path) -> AudioClip:
    """Any PCM WAV (8/16/32-bit, mono or stereo, any rate) as a 16 kHz mono clip."""
    try:
        with wave.open(io.BytesIO(data) if isinstance(data, bytes) else str(data), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        raise VoiceError(f"not a PCM WAV file: {exc}") from None
    if width == 1:
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128) * 256
    elif width == 2:
        samples = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float64)
    elif width == 4:
        samples = np.frombuffer(raw[: len(raw) // 4 * 4], dtype="<i4").astype(np.float64) / 65536
    else:
        raise VoiceError(f"unsupported WAV sample width: {width * 8} bit")
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    return AudioClip(_to_int16(resample(samples, rate, SAMPLE_RATE)))


def write_wav(path: Path, clip: AudioClip) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(clip.pcm())


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Linear-interpolation resampling; plenty for speech at 16 kHz."""
    if rate == target or len(samples) == 0:
        return samples
    count = int(round(len(samples) * target / rate))
    positions = np.arange(count) * (rate / target)
    return np.interp(positions, np.arange(len(samples)), samples)


def trim_silence(clip: AudioClip, threshold: int = 300, keep: float = 0.01) -> AudioClip:
    """Cut leading and trailing silence so fragments join without gaps."""
    loud = np.flatnonzero(np.abs(clip.samples.astype(np.int32)) > threshold)
    if len(loud) == 0:
        return clip
    pad = int(keep * SAMPLE_RATE)
    return AudioClip(clip.samples[max(0, loud[0] - pad): loud[-1] + pad + 1])


def _to_int16(samples: np.ndarray) -> np.ndarray:
    return np.clip(np.round(samples), -32768, 32767).astype(np.int16)


# --- synthesis --------------------------------------------------------------------------

def synthesise(text: str, timeout: float = 10.0) -> AudioClip:
    """``text`` spoken by espeak-ng's Indonesian voice, trimmed, at 16 kHz."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise VoiceError("espeak-ng is not installed")
    try:
        result = subprocess.run([exe, "-v", ESPEAK_VOICE, "-s", str(ESPEAK_SPEED), "--stdout", text],
                                capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VoiceError(f"espeak-ng failed: {exc}") from None
    if result.returncode != 0 or not result.stdout:
        raise VoiceError(f"espeak-ng failed: {result.stderr.decode(errors='replace').strip()}")
    # espeak-ng writes a streaming header with a bogus length; read what is there.
    with wave.open(io.BytesIO(result.stdout), "rb") as w:
        rate = w.getframerate()
        raw = w.readframes(w.getnframes())
    samples = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float64)
    return trim_silence(AudioClip(_to_int16(resample(samples, rate, SAMPLE_RATE))))


def make_chime() -> AudioClip:
    """A two-tone ding-dong (E5 then C5) with bell-like decay, 1.1 s."""
    def tone(freq: float, seconds: float) -> np.ndarray:
        t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
        envelope = np.exp(-3.2 * t) * np.minimum(1.0, t / 0.005)
        wave_ = np.sin(2 * np.pi * freq * t) + 0.35 * np.sin(2 * np.pi * 2 * freq * t)
        return wave_ * envelope
    samples = np.concatenate([tone(659.25, 0.5), tone(523.25, 0.6)])
    return AudioClip(_to_int16(samples / np.max(np.abs(samples)) * 0.6 * 32767))


# --- the voice --------------------------------------------------------------------------

class Voice:
    """Builds the sound of a call; fragments are read once and kept in memory."""

    def __init__(self, folder: Path | None = None, *, fallback: bool = True) -> None:
        self.folder = folder or VOICE_DIR
        self.fallback = fallback
        self._cache: dict[str, AudioClip | None] = {}

    def fragment(self, name: str) -> AudioClip | None:
        """The clip for one fragment, or None when its file is missing or unreadable."""
        if name not in self._cache:
            path = self.folder / f"{name}.wav"
            clip = None
            if path.is_file():
                try:
                    clip = read_wav(path)
                except (OSError, VoiceError) as exc:
                    log.warning("voice fragment %s unreadable: %s", path, exc)
            self._cache[name] = clip
        return self._cache[name]

    def chime(self) -> AudioClip:
        return self.fragment(CHIME) or make_chime()

    def announcement(self, prefix: str, number: int, counter: int, repeat: int = 1) -> Utterance:
        """Chime, then "Nomor antrean A dua belas, silakan menuju loket tiga", said
        ``repeat`` times, as one clip (so nothing can slip in between)."""
        text = announcement_text(prefix, number, counter)
        names = announcement_fragments(prefix, number, counter)
        speech, source = self._speech(text, names)
        clips = [self.chime()]
        if speech is not None:
            for i in range(max(1, repeat)):
                clips += [AudioClip.silence(REPEAT_GAP if i else CHIME_GAP), speech]
        return Utterance(text, names, AudioClip.join(clips), source)

    def _speech(self, text: str, names: list[str]) -> tuple[AudioClip | None, str]:
        clips = [self.fragment(n) for n in names]
        if all(c is not None for c in clips):
            parts: list[AudioClip] = []
            for name, clip in zip(names, clips, strict=True):
                if parts:
                    parts.append(AudioClip.silence(PHRASE_GAP if name == "silakan_menuju_loket" else WORD_GAP))
                assert clip is not None
                parts.append(clip)
            return AudioClip.join(parts), "fragments"
        missing = [n for n, c in zip(names, clips, strict=True) if c is None]
        log.warning("voice fragments missing in %s: %s", self.folder, ", ".join(missing))
        if self.fallback:
            try:
                return synthesise(text), "espeak"
            except VoiceError as exc:
                log.warning("no voice for %r: %s", text, exc)
        return None, "silent"
