"""The spoken call: its words, its fragment files and the sound built from them."""

from __future__ import annotations

import shutil
import wave

import numpy as np
import pytest

from display.voice import SAMPLE_RATE, VOICE_DIR, AudioClip, Voice, read_wav, write_wav
from kiosk.core.words import announcement_fragments, announcement_text, fragment_texts

CASES = {
    0: "nol",
    1: "satu",
    10: "sepuluh",
    11: "sebelas",
    12: "dua belas",
    19: "sembilan belas",
    20: "dua puluh",
    21: "dua puluh satu",
    99: "sembilan puluh sembilan",
    100: "seratus",
    101: "seratus satu",
    110: "seratus sepuluh",
    111: "seratus sebelas",
    999: "sembilan ratus sembilan puluh sembilan",
}


@pytest.mark.parametrize("number, words", CASES.items())
def test_spoken_text_and_fragments_of_a_number(number, words):
    # GIVEN ticket A<number> called to loket 3
    # WHEN the announcement is composed
    text = announcement_text("A", number, 3)
    fragments = announcement_fragments("A", number, 3)
    # THEN the sentence says the number in Indonesian words, and the fragments are
    # those words, one file each, between the fixed phrases
    assert text == f"Nomor antrean A {words}, silakan menuju loket tiga"
    assert fragments == ["nomor_antrean", "huruf_a", *words.split(), "silakan_menuju_loket", "tiga"]


def test_the_example_call_of_the_design():
    assert announcement_text("a", 12, 3) == "Nomor antrean A dua belas, silakan menuju loket tiga"
    assert announcement_fragments("B", 7, 12) == [
        "nomor_antrean", "huruf_b", "tujuh", "silakan_menuju_loket", "dua", "belas"]


@pytest.mark.parametrize("prefix", ["", "AB", "1", "é"])
def test_a_prefix_that_is_not_one_letter_is_refused(prefix):
    with pytest.raises(ValueError):
        announcement_fragments(prefix, 1, 1)


def test_every_fragment_a_call_can_need_is_bundled_as_16khz_mono():
    # GIVEN the bundled voice folder
    # THEN each fragment name (and the chime) has a small 16 kHz mono WAV
    for name in [*fragment_texts(), "chime"]:
        path = VOICE_DIR / f"{name}.wav"
        assert path.is_file(), f"missing voice fragment {path.name}"
        with wave.open(str(path)) as w:
            assert (w.getnchannels(), w.getframerate(), w.getsampwidth()) == (1, SAMPLE_RATE, 2), name
            assert 0.1 < w.getnframes() / SAMPLE_RATE < 3.0, name


def test_an_announcement_is_chime_then_the_fragments_in_order():
    # GIVEN the bundled voice
    voice = Voice()
    # WHEN a call is composed
    utterance = voice.announcement("A", 12, 3)
    # THEN it starts with the chime and contains every fragment, in order
    samples = utterance.clip.samples
    chime = voice.chime().samples
    assert utterance.source == "fragments"
    assert np.array_equal(samples[: len(chime)], chime)
    position = len(chime)
    for name in utterance.fragments:
        part = voice.fragment(name).samples
        found = _find(samples, part, position)
        assert found >= position, f"{name} not found after the previous fragment"
        position = found + len(part)


def test_repeat_says_the_call_again_after_one_chime():
    voice = Voice()
    once = voice.announcement("A", 12, 3, repeat=1).clip
    twice = voice.announcement("A", 12, 3, repeat=2).clip
    speech = once.duration - voice.chime().duration
    assert twice.duration == pytest.approx(once.duration + speech + 0.8 - 0.35, abs=0.01)


def test_human_recordings_in_other_formats_replace_a_fragment(tmp_path):
    # GIVEN a voice folder where "tiga" is a 44.1 kHz stereo recording
    for path in VOICE_DIR.glob("*.wav"):
        shutil.copy(path, tmp_path / path.name)
    tone = (np.sin(np.arange(44100) * 2 * np.pi * 440 / 44100) * 8000).astype("<i2")
    with wave.open(str(tmp_path / "tiga.wav"), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(np.repeat(tone, 2).tobytes())
    # WHEN it is loaded
    clip = Voice(tmp_path).fragment("tiga")
    # THEN it is converted to one second of 16 kHz mono
    assert len(clip.samples) == SAMPLE_RATE


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_missing_fragment_falls_back_to_espeak(tmp_path):
    # GIVEN a voice folder without "belas"
    for path in VOICE_DIR.glob("*.wav"):
        if path.stem != "belas":
            shutil.copy(path, tmp_path / path.name)
    # WHEN A12 is announced
    utterance = Voice(tmp_path).announcement("A", 12, 3)
    # THEN the sentence is synthesised at run time
    assert utterance.source == "espeak"
    assert utterance.clip.duration > 2


def test_without_fragments_or_synthesiser_the_call_is_only_a_chime(tmp_path):
    utterance = Voice(tmp_path, fallback=False).announcement("A", 12, 3)
    assert utterance.source == "silent"
    assert utterance.clip.duration == pytest.approx(Voice(tmp_path).chime().duration)


def test_a_corrupt_fragment_is_treated_as_missing(tmp_path):
    (tmp_path / "tiga.wav").write_bytes(b"RIFF garbage")
    assert Voice(tmp_path).fragment("tiga") is None


def test_wav_round_trip(tmp_path):
    clip = AudioClip(np.arange(-1000, 1000, dtype=np.int16))
    write_wav(tmp_path / "x.wav", clip)
    assert np.array_equal(read_wav(tmp_path / "x.wav").samples, clip.samples)


def _find(haystack: np.ndarray, needle: np.ndarray, start: int) -> int:
    window = needle[: min(200, len(needle))]
    for i in range(start, len(haystack) - len(window) + 1):
        if haystack[i] == window[0] and np.array_equal(haystack[i: i + len(window)], window):
            return i
    return -1
