"""The desk's five status lights keep all their words at every window width: an officer
acts on "Printer: kertas habis", not on "Printer: kert"."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.ui.status_lights import DeviceState, Light

LONG = {
    "camera": "tidak terhubung; mencoba lagi (tidak ada gambar dari kamera 0)",
    "scanner": "belum ada pindaian dari pemindai USB",
    "printer": "kertas habis: isi kertas, tiket menunggu dicetak",
    "database": "tidak tersambung ke basis data; mencoba lagi tiap 5 detik",
    "sound": "suara mati: tidak ada perangkat audio",
}


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("width,columns", [(751, 3), (1024, 4), (1366, 5)])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_light_shows_all_its_words_at_the_desk_width(qtbot, make_desk, ctx, width, columns):
    desk = make_desk(ctx)
    desk.resize(width, 768)
    lights = desk.lights
    for name, words in LONG.items():
        getattr(lights, name).set_state(DeviceState(Light.FAULT, words))
    qtbot.waitUntil(lambda: desk.width() == width)
    QApplication.processEvents()
    right_edge = lights.mapTo(desk, lights.rect().bottomRight()).x()
    assert right_edge <= desk.width()
    for name, words in LONG.items():
        label = getattr(lights, name).text
        assert _plain(label.text()).endswith(words)
        # On one line it fits, or wrapped it got the height its words need at its width.
        fits = label.sizeHint().width() <= label.width() or (
            label.wordWrap() and 0 < label.heightForWidth(label.width()) <= label.height())
        assert fits and label.isVisibleTo(desk), name
    assert lights.columns == columns
