"""The scan pipeline on real images (zxing-cpp's corpus) and on synthetic phone frames."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.devices import synthetic
from kiosk.devices.decoders import DecoderUnavailable, Symbology, ZbarDecoder, ZxingDecoder, make_decoders
from kiosk.devices.pipeline import Deduplicator, ScanPipeline, dominant_angle, read_image

# zxing-cpp's own upright thresholds (normal mode) for the folders we keep; see the
# corpus README. Our pipeline must read at least as many.
UPRIGHT_THRESHOLDS = {
    "qrcode-1": 8, "qrcode-2": 50, "qrcode-3": 18, "qrcode-4": 15, "qrcode-5": 16, "qrcode-6": 15,
    "code128-1": 6, "code128-2": 13, "code128-3": 2,
}
IMAGE_SUFFIXES = {".webp", ".png", ".jpg"}


def corpus_images(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in IMAGE_SUFFIXES)


def expected_text(image: Path) -> str:
    # Bytes, not read_text(): universal newlines would turn the codes' \r\n into \n.
    return image.with_suffix(".txt").read_bytes().decode("utf-8")


# One corpus image holds two codes: qrcode-2/16.webp is a "double QR", an inner code
# (内側, its NAME.txt) inside an outer one (外側). Reading the outer one too is right;
# any other text is a wrong read.
SECOND_CODES = {("qrcode-2", "16.webp"): "[外側QRコード]"}


def wrong_texts(image: Path, texts: list[str]) -> list[str]:
    second = SECOND_CODES.get((image.parent.name, image.name))
    return [t for t in texts if t != expected_text(image) and not (second and t.startswith(second))]


@pytest.mark.parametrize("folder", sorted(UPRIGHT_THRESHOLDS))
def test_corpus_folder_reads_at_least_zxing_cpp_upright_threshold(corpus, pipeline, folder):
    # GIVEN the real photographs of one corpus folder
    images = corpus_images(corpus / folder)
    assert images, f"{folder} is empty"
    # WHEN each goes through the still-image pipeline (every retry, then region-first)
    read, wrong = 0, []
    for image in images:
        texts = [code.text for code in pipeline.decode_still(read_image(image))]
        read += expected_text(image) in texts
        if wrong_texts(image, texts):
            wrong.append((image.name, texts))
    # THEN at least zxing-cpp's own threshold is read, and no text but the image's own
    assert read >= UPRIGHT_THRESHOLDS[folder], f"{folder}: read {read} of {len(images)}"
    assert wrong == []


def test_whole_corpus_beats_the_best_single_decoder(corpus, pipeline):
    # GIVEN every QR / Code 128 image of the corpus and zxing-cpp alone as the peer
    images = [p for folder in UPRIGHT_THRESHOLDS for p in corpus_images(corpus / folder)]
    zxing = ZxingDecoder()
    # WHEN both read them
    ours = sum(expected_text(p) in [c.text for c in pipeline.decode_still(read_image(p))] for p in images)
    peer = sum(expected_text(p) in [c.text for c in zxing.decode(read_image(p))] for p in images)
    # THEN the pipeline reads more
    assert ours > peer, (ours, peer)


@pytest.mark.parametrize("folder", ["falsepositives-1", "falsepositives-2"])
def test_false_positive_images_give_nothing(corpus, pipeline, folder):
    # GIVEN images with no QR code and no Code 128 (some with other symbologies)
    images = corpus_images(corpus / folder)
    assert images
    # WHEN they are scanned with every retry
    found = {p.name: [c.text for c in pipeline.decode_still(read_image(p))] for p in images}
    # THEN nothing at all is reported
    assert {name: texts for name, texts in found.items() if texts} == {}


PHONE_CASES = [
    (symbology, size, variation)
    for symbology in ("qr", "code128")
    for size in synthetic.FRAME_SIZES
    for variation in synthetic.variations(symbology, *size)
]


@pytest.mark.parametrize(("symbology", "size", "variation"), PHONE_CASES,
                         ids=[f"{s}-{w}x{h}-{v}" for s, (w, h), v in PHONE_CASES])
def test_phone_screen_frame_decodes_to_the_exact_booking_code(pipeline, booking_text, symbology, size, variation):
    # GIVEN a booking code shown on a phone screen, held in front of a webcam
    shot = synthetic.variations(symbology, *size)[variation]
    frame, corners = synthetic.render_shot(booking_text, shot)
    assert frame.shape[:2] == (size[1], size[0])
    # WHEN the frame is scanned
    codes = pipeline.decode_still(frame)
    # THEN exactly the booking code is read, as the right symbology, where it is
    assert [c.text for c in codes] == [booking_text]
    expected = Symbology.QR_CODE if symbology == "qr" else Symbology.CODE_128
    assert codes[0].symbology is expected
    centre = np.mean(codes[0].corners, axis=0)
    assert cv2.pointPolygonTest(corners.astype(np.float32), tuple(map(float, centre)), False) >= 0


def test_phone_frames_are_read_within_a_few_camera_frames(pipeline, booking_text):
    # GIVEN the hardest named shots (a camera gives one retry per frame, in turn)
    shots = [synthetic.variations(s, 1280, 720)[v] for s in ("qr", "code128") for v in ("rotated+", "moire")]
    for shot in shots:
        frame = synthetic.phone_frame(booking_text, shot)
        live = ScanPipeline(pipeline.decoders)
        # WHEN the same frame arrives again and again
        reads = [live.decode_frame(frame) for _ in range(live.retry_every * len(live.frame_retries) + 1)]
        # THEN within one round of retries the code is read
        assert any(booking_text in [c.text for c in r] for r in reads), shot


def test_code128_renderer_is_read_back_by_both_decoders(booking_text):
    # GIVEN our own Code 128 rendering of the booking code
    image = synthetic.render_code128(booking_text, module=2)
    # WHEN both libraries read it
    # THEN both read exactly the text (so the synthetic frames test the decoders, not the renderer)
    for decoder in (ZxingDecoder(), ZbarDecoder()):
        assert [c.text for c in decoder.decode(image)] == [booking_text], decoder.name


def test_code128_rejects_text_it_cannot_encode():
    with pytest.raises(ValueError):
        synthetic.code128_modules("kode\u00e9")
    with pytest.raises(ValueError):
        synthetic.code128_modules("")


def test_other_symbologies_are_not_reported(pipeline):
    # GIVEN a DataMatrix and an EAN-13 (symbologies a scanner might meet on a document)
    import zxingcpp

    for fmt, content in ((zxingcpp.BarcodeFormat.DataMatrix, "AP1-JKP-TEST"), (zxingcpp.BarcodeFormat.EAN13, "5901234123457")):
        image = np.asarray(zxingcpp.create_barcode(content, fmt).to_image(scale=6))
        image = cv2.copyMakeBorder(image, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255)
        # WHEN scanned  THEN nothing is reported
        assert pipeline.decode_still(image) == [], fmt


def test_blank_and_tiny_images_give_nothing(pipeline):
    for image in (np.zeros((1, 1), np.uint8), np.full((480, 640, 3), 255, np.uint8),
                  np.random.default_rng(1).integers(0, 255, (720, 1280), dtype=np.uint8)):
        assert pipeline.decode_still(image) == []
        assert pipeline.decode_frame(image) == []


def test_dominant_angle_follows_the_bars(booking_text):
    # GIVEN a Code 128 turned by a known angle
    bars = synthetic.render_code128(booking_text, module=3, height=120)
    canvas = cv2.copyMakeBorder(bars, 300, 300, 100, 100, cv2.BORDER_CONSTANT, value=255)
    h, w = canvas.shape
    for angle in (-25.0, 12.0, 30.0):
        turned = cv2.warpAffine(canvas, cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0), (w, h),
                                borderValue=255)
        # WHEN its dominant stripe direction is estimated
        # THEN it is the turn, to within two degrees (the image's y axis points down)
        assert abs(dominant_angle(turned) - (-angle)) < 2.0, angle


def test_unreadable_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "not-an-image.png"
    bad.write_text("hello")
    with pytest.raises(ValueError, match="not an image"):
        read_image(bad)
    with pytest.raises(ValueError, match="cannot open"):
        read_image(tmp_path / "missing.png")


def test_unknown_decoder_name_is_refused():
    with pytest.raises(ValueError, match="unknown decoder 'zbar'"):
        make_decoders(["zbar"])


def test_unavailable_decoder_is_skipped_when_another_remains(monkeypatch):
    # GIVEN pyzbar cannot load (libzbar0 missing)
    def broken(self):
        raise DecoderUnavailable("libzbar0 missing")

    monkeypatch.setattr(ZbarDecoder, "__init__", broken)
    # WHEN the configured order names both  THEN zxing-cpp alone remains
    assert [d.name for d in make_decoders(["pyzbar", "zxing-cpp"])] == ["zxing-cpp"]
    # AND with nothing left it is an error
    with pytest.raises(DecoderUnavailable):
        make_decoders(["pyzbar"])


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_same_code_is_not_reported_twice_within_the_window():
    # GIVEN a 3-second window
    clock = FakeClock()
    dedupe = Deduplicator(3.0, clock)
    # WHEN one code is seen on consecutive frames
    assert dedupe.admit("AP1-X")
    clock.now += 1.0
    assert not dedupe.admit("AP1-X")
    # THEN another code still passes at once
    assert dedupe.admit("AP1-Y")
    # AND the first passes again only after 3 s out of sight
    clock.now += 2.9
    assert not dedupe.admit("AP1-X")  # seen again: the window restarts
    clock.now += 3.0
    assert dedupe.admit("AP1-X")
