"""Generate the bundled Indonesian voice fragments and the chime.

    python scripts/make_voice.py [--out resources/sounds/id]

One 16 kHz mono WAV per fragment name of ``kiosk.core.words.fragment_texts()``,
spoken by espeak-ng's Indonesian voice and trimmed of silence, plus ``chime.wav``.
Human recordings can replace any file by saving a WAV under the same name.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from display.voice import CHIME, VOICE_DIR, VoiceError, make_chime, synthesise, write_wav  # noqa: E402
from kiosk.core.words import fragment_texts  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=VOICE_DIR, help="folder to write the WAV files into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_wav(args.out / f"{CHIME}.wav", make_chime())
    for name, text in sorted(fragment_texts().items()):
        try:
            clip = synthesise(text)
        except VoiceError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            return 1
        write_wav(args.out / f"{name}.wav", clip)
        print(f"{name}.wav  {clip.duration:.2f} s  {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
