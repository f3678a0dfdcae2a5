"""Just enough PDF reading to test Chromium's printed handouts: pages, their size, their text.

Chromium (Skia) writes plain, uncompressed object tables with Flate-compressed streams;
each font carries a ToUnicode map, and glyphs it cannot map carry /ActualText. That is all
this reads; it is not a general PDF parser (there is none among the pinned dependencies).
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
TOKEN = re.compile(rb"/Span\s*<<\s*/ActualText\s*<([0-9A-Fa-f]*)>\s*>>\s*BDC|EMC|/(F\d+)\s+[-\d.]+\s+Tf|"
                   rb"<([0-9A-Fa-f]*)>\s*Tj|\[(.*?)\]\s*TJ|\bET\b", re.S)


@dataclass
class PdfPage:
    width: float  # points
    height: float
    text: str


def _stream(obj: bytes) -> bytes:
    start = obj.index(b"stream") + len(b"stream")
    raw = obj[start:obj.rindex(b"endstream")].lstrip(b"\r\n")
    return zlib.decompress(raw) if b"/FlateDecode" in obj[:start] else raw


def _cmap(data: bytes) -> tuple[int, dict[bytes, str]]:
    space = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", data)
    width = len(space.group(1)) // 2 if space else 1
    table: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            a, b, first = int(lo, 16), int(hi, 16), int(dst, 16)
            for code in range(a, b + 1):
                table[code.to_bytes(len(lo) // 2, "big")] = chr(first + code - a)
    return width, table


def read_pdf(data: bytes) -> list[PdfPage]:
    objs = {int(m.group(1)): m.group(2) for m in OBJ.finditer(data)}
    tree = next(v for v in objs.values() if re.search(rb"/Type\s*/Pages\b", v))
    kids = [int(k) for k in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]", tree, re.S).group(1))]
    fonts: dict[int, tuple[int, dict[bytes, str]]] = {}
    pages = []
    for kid in kids:
        page = objs[kid]
        box = [float(x) for x in re.search(rb"/MediaBox\s*\[([^\]]*)\]", page).group(1).split()]
        names = dict(re.findall(rb"/(F\d+)\s+(\d+) 0 R", page))
        contents = re.search(rb"/Contents\s+(\d+) 0 R", page)
        text = _page_text(_stream(objs[int(contents.group(1))]) if contents else b"", names, objs, fonts)
        pages.append(PdfPage(box[2] - box[0], box[3] - box[1], text))
    return pages


def _page_text(stream: bytes, names: dict[bytes, bytes], objs: dict[int, bytes], fonts: dict) -> str:
    out: list[str] = []
    width, table, actual = 1, {}, None
    for m in TOKEN.finditer(stream):
        if m.group(0).startswith(b"/Span"):
            actual = bytes.fromhex(m.group(1).decode()).decode("utf-16-be")
            out.append(actual)
        elif m.group(0) == b"EMC":
            actual = None
        elif m.group(2):
            num = int(names.get(m.group(2), b"0"))
            if num not in fonts:
                ref = re.search(rb"/ToUnicode\s+(\d+) 0 R", objs.get(num, b""))
                fonts[num] = _cmap(_stream(objs[int(ref.group(1))])) if ref else (1, {})
            width, table = fonts[num]
        elif m.group(0) == b"ET":
            out.append("\n")
        elif actual is None:
            hexes = [m.group(3)] if m.group(3) is not None else re.findall(rb"<([0-9A-Fa-f]*)>", m.group(4))
            for h in hexes:
                raw = bytes.fromhex(h.decode())
                out.extend(table.get(raw[i:i + width], "") for i in range(0, len(raw), width))
    return "".join(out)
