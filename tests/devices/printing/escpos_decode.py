"""Reads back the ESC/POS the ticket renderer emits, to compare it with the ticket.

Strict on purpose: a command it does not know fails the test, so the renderer cannot
start sending something the tests never looked at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import zxingcpp
from PIL import Image, ImageOps


class DecodeError(ValueError):
    pass


@dataclass(frozen=True)
class Line:
    text: str
    align: str
    width: int
    height: int
    bold: bool


@dataclass(frozen=True)
class NativeQr:
    data: str
    module: int
    ec: int


@dataclass(frozen=True)
class Raster:
    image: Image.Image = field(compare=False)

    def qr_texts(self) -> list[str]:
        return read_qr(self.image)


@dataclass(frozen=True)
class CutMark:
    partial: bool


Item = Line | NativeQr | Raster | CutMark


def read_qr(image: Image.Image) -> list[str]:
    framed = ImageOps.expand(image.convert("L"), border=24, fill=255)
    return [r.text for r in zxingcpp.read_barcodes(framed, formats=zxingcpp.BarcodeFormat.QRCode)]


@dataclass
class _State:
    align: str = "left"
    width: int = 1
    height: int = 1
    bold: bool = False
    codepage: int = 0
    qr_data: bytes | None = None
    qr_module: int = 3
    qr_ec: int = 48


ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


def decode(data: bytes) -> list[Item]:
    items: list[Item] = []
    st = _State()
    text = bytearray()
    i = 0

    def need(n: int) -> bytes:
        if i + n > len(data):
            raise DecodeError(f"truncated command at byte {i}")
        return data[i:i + n]

    def flush_line() -> None:
        items.append(Line(text.decode("ascii"), st.align, st.width, st.height, st.bold))
        text.clear()

    while i < len(data):
        b = data[i]
        if b == 0x0A:
            flush_line()
            i += 1
        elif 0x20 <= b <= 0x7E:
            text.append(b)
            i += 1
        elif b == 0x1B:  # ESC
            cmd = need(2)[1]
            if cmd == ord("@"):
                st = _State()
                i += 2
            elif cmd == ord("a"):
                st.align = ALIGN[need(3)[2]]
                i += 3
            elif cmd == ord("E"):
                st.bold = bool(need(3)[2] & 1)
                i += 3
            elif cmd == ord("t"):
                st.codepage = need(3)[2]  # ASCII 0x20-0x7E is the same in every code page
                i += 3
            elif cmd == ord("!"):
                n = need(3)[2]
                st.width, st.height, st.bold = (2 if n & 0x20 else 1), (2 if n & 0x10 else 1), bool(n & 0x08)
                i += 3
            elif cmd == ord("d"):
                for _ in range(need(3)[2]):
                    flush_line()
                i += 3
            else:
                raise DecodeError(f"unknown ESC {cmd:#x} at byte {i}")
        elif b == 0x1D:  # GS
            cmd = need(2)[1]
            if cmd == ord("!"):
                n = need(3)[2]
                st.width, st.height = (n >> 4) + 1, (n & 0x0F) + 1
                i += 3
            elif cmd == ord("V"):
                m = need(3)[2]
                if m in (65, 66):
                    i += 4
                else:
                    i += 3
                items.append(CutMark(partial=m in (1, 49, 66)))
            elif cmd == ord("(") and need(3)[2] == ord("k"):
                head = need(5)
                length = head[3] | head[4] << 8
                body = need(5 + length)[5:]
                cn, fn = body[0], body[1]
                if cn != ord("1"):
                    raise DecodeError(f"2D code type {cn} is not QR")
                if fn == 65:
                    pass  # model
                elif fn == 67:
                    st.qr_module = body[2]
                elif fn == 69:
                    st.qr_ec = body[2]
                elif fn == 80:
                    st.qr_data = bytes(body[3:])
                elif fn == 81:
                    if st.qr_data is None:
                        raise DecodeError("QR print without data")
                    items.append(NativeQr(st.qr_data.decode("utf-8"), st.qr_module, st.qr_ec - 48))
                    st.qr_data = None
                else:
                    raise DecodeError(f"unknown GS ( k function {fn}")
                i += 5 + length
            elif cmd == ord("v") and need(3)[2] == ord("0"):
                head = need(8)
                width_bytes = head[4] | head[5] << 8
                height = head[6] | head[7] << 8
                bits = need(8 + width_bytes * height)[8:]
                # 1 bits are black dots; PIL mode "1" uses 1 for white, hence the inversion.
                image = Image.frombytes("1", (width_bytes * 8, height), bytes(255 - v for v in bits))
                items.append(Raster(image))
                i += 8 + width_bytes * height
            elif cmd == ord("r"):
                i += 3  # status request: not printed
            else:
                raise DecodeError(f"unknown GS {cmd:#x} at byte {i}")
        elif b == 0x10 and need(2)[1] == 0x04:  # DLE EOT n: real-time status, not printed
            i += 3
        else:
            raise DecodeError(f"unexpected byte {b:#x} at {i}")
    if text:
        raise DecodeError(f"text without a line feed at the end: {text!r}")
    return items


def printed_items(items: list[Item]) -> list[tuple[object, ...]]:
    """What a reader of the paper sees, in order: non-empty lines, QR contents, the cut."""
    out: list[tuple[object, ...]] = []
    for item in items:
        if isinstance(item, Line):
            if item.text:
                out.append(("text", item.text, item.align, item.width, item.bold))
        elif isinstance(item, NativeQr):
            out.append(("qr", item.data))
        elif isinstance(item, Raster):
            texts = item.qr_texts()
            if len(texts) != 1:
                raise DecodeError(f"raster image holds {len(texts)} QR codes")
            out.append(("qr", texts[0]))
        elif isinstance(item, CutMark):
            out.append(("cut",))
    return out
