"""``python main.py scan FILE…``: one JSON line per file, through the camera's pipeline."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from kiosk.cli.main import main
from kiosk.devices import synthetic


@pytest.fixture(autouse=True)
def no_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTREAN_CONFIG", str(tmp_path / "absent.toml"))


def run_scan(capsys, *argv: str) -> tuple[int, list[dict]]:
    code = main(["scan", *argv])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_images_and_video_each_give_one_json_line(tmp_path, capsys, booking_text):
    # GIVEN a phone photo with the QR code, one with the Code 128, and a video of the phone
    qr = tmp_path / "qr.png"
    cv2.imwrite(str(qr), synthetic.phone_frame(booking_text, synthetic.variations("qr", 1280, 720)["rotated+"]))
    bars = tmp_path / "bars.jpg"
    cv2.imwrite(str(bars), synthetic.phone_frame(booking_text, synthetic.variations("code128", 1280, 720)["upright"]))
    video = tmp_path / "desk.mp4"
    frame = synthetic.phone_frame(booking_text, synthetic.variations("qr", 640, 480)["upright"])
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"mp4v"), 30, (640, 480))
    for f in [np.full_like(frame, 80)] * 3 + [frame] * 6:
        writer.write(f)
    writer.release()
    # WHEN they are scanned from the command line
    code, lines = run_scan(capsys, str(qr), str(bars), str(video))
    # THEN each file has its line, with the exact code, its format and the time taken
    assert code == 0
    assert [line["file"] for line in lines] == [str(qr), str(bars), str(video)]
    assert lines[0]["codes"] == [{"text": booking_text, "format": "QRCode"}]
    assert lines[1]["codes"] == [{"text": booking_text, "format": "Code128"}]
    assert lines[2]["codes"] == [{"text": booking_text, "format": "QRCode"}]  # once, not once per frame
    assert lines[2]["frames"] == 9
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in lines)


def test_files_without_codes_or_unreadable_exit_1_with_a_reason(tmp_path, capsys):
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((100, 100), 255, np.uint8))
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    code, lines = run_scan(capsys, str(blank), str(text), str(tmp_path / "missing.jpg"), str(tmp_path))
    assert code == 1
    assert lines[0]["codes"] == [] and "error" not in lines[0]
    assert "not an image" in lines[1]["error"]
    assert lines[2]["error"] == "no such file"
    assert lines[3]["error"] == "not a file"


def test_corpus_image_through_the_command(corpus, capsys):
    image = corpus / "code128-1" / "1.png"
    expected = image.with_suffix(".txt").read_bytes().decode("utf-8")
    code, lines = run_scan(capsys, str(image), "--decoders", "pyzbar,zxing-cpp")
    assert code == 0
    assert lines[0]["codes"] == [{"text": expected, "format": "Code128"}]


def test_unknown_decoder_is_a_usage_error(tmp_path, capsys):
    code = main(["scan", str(tmp_path / "x.png"), "--decoders", "zbar"])
    captured = capsys.readouterr()
    assert code == 2
    assert "unknown decoder 'zbar'" in captured.err


def test_scanner_settings_build_the_devices(tmp_path):
    # GIVEN a config naming a demo video folder (relative to the config), a serial port and pyzbar first
    from kiosk.config import DECODER_NAMES, ConfigError, from_mapping
    from kiosk.devices.decoders import DECODERS
    from kiosk.devices.scanning import camera_from_config, serial_scanner_from_config

    (tmp_path / "frames").mkdir()
    config = from_mapping({"camera": {"source": "frames"},
                           "scanner": {"decoders": ["pyzbar", "zxing-cpp"], "serial_port": "COM3",
                                       "dedupe_seconds": 1.5}},
                          source=tmp_path / "config.toml")
    camera = camera_from_config(config)
    serial = serial_scanner_from_config(config)
    # THEN the devices follow it (nothing started)
    assert camera is not None and not camera.running
    assert camera.source.kind.value == "folder" and str(camera.source) == str(tmp_path / "frames")
    assert [d.name for d in camera.pipeline.decoders] == ["pyzbar", "zxing-cpp"]
    assert camera.dedupe.window == 1.5
    assert serial is not None and serial.port == "COM3" and serial.baudrate == 9600
    # AND the config's decoder names are the decoders that exist
    assert set(DECODER_NAMES) == set(DECODERS)
    # AND empty settings mean no device; bad values are refused naming the key
    none = from_mapping({"camera": {"source": ""}})
    assert camera_from_config(none) is None and serial_scanner_from_config(none) is None
    for bad in ({"scanner": {"decoders": ["zbar"]}}, {"scanner": {"wedge_terminator": "space"}},
                {"scanner": {"serial_baud": 1234}}, {"scanner": {"dedupe_seconds": -1}}):
        with pytest.raises(ConfigError, match="scanner."):
            from_mapping(bad)


def test_scan_reads_a_tilted_blurred_code128_only_the_region_first_reader_reads(tmp_path, capsys, booking_text):
    # GIVEN a hard phone frame of the Code 128 that the pipeline without the
    # region-first reader cannot read, but the reader can (the first such seed)
    from kiosk.devices.pipeline import ScanPipeline, to_gray
    from kiosk.devices.region_reader import RegionReader

    old = ScanPipeline.from_names(["zxing-cpp", "pyzbar"])
    old.region_reader = None
    reader = RegionReader()
    frames = (synthetic.phone_frame(booking_text, synthetic.hard_shot("code128", 1280, 720, seed)) for seed in range(12))
    frame = next((f for f in frames if booking_text not in [c.text for c in old.decode_still(f)]
                  and [c.text for c in reader.decode(to_gray(f))] == [booking_text]), None)
    assert frame is not None, "no hard frame needs the region-first reader: the set flatters again"
    path = tmp_path / "phone.jpg"
    cv2.imwrite(str(path), frame, [cv2.IMWRITE_JPEG_QUALITY, 95])
    # WHEN it is scanned from the command line
    code, lines = run_scan(capsys, str(path))
    # THEN the exact booking code comes out as Code 128
    assert code == 0
    assert lines[0]["codes"] == [{"text": booking_text, "format": "Code128"}]
