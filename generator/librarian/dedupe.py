"""Finding the same scan twice: identical bytes, or the same picture re-scanned or resized.

A perceptual hash (dHash: does brightness rise or fall between neighbouring cells of a 9×8
grey thumbnail) survives resizing and recompression but changes with the picture. Fingerprints
are cached by file size and modification time, so a report over hundreds of scans reads each
scan once. A scan's size is read from its header first (at most 500 megapixels, as the build
allows); one over Pillow's decompression-bomb limit is shrunk by pyvips instead, so that limit
stays as it is for everything else in the process.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pyvips
from PIL import Image

from ..cache import write_atomic
from ..errors import Text
from ..iiif.scans import MAX_PIXELS, normalise

NEAR = 6  # of 64 bits: resized or re-saved copies differ by 0–4, different prints by far more
TONE = 10  # mean grey difference (of 255) of the 8×8 thumbnails: re-saved copies differ by 1–3


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    dhash: int
    width: int
    height: int
    thumb: str = ""  # 8×8 grey thumbnail, hex: tells apart flat pictures whose dHash is all zeros


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class ScanProblem(OSError):
    """A scan that cannot be fingerprinted: what is wrong and how to fix it, in both languages."""

    def __init__(self, what: Text, fix: Text):
        super().__init__(what.en)
        self.what, self.fix = what, fix


def _header_size(path: Path) -> tuple[int, int]:
    """Width and height from the file's header, before any pixel is decoded (as the build
    checks scans), so a decompression bomb is refused here too."""
    try:
        header = pyvips.Image.new_from_file(str(path))
    except pyvips.Error as exc:
        raise ScanProblem(Text("画像として読めません（壊れているか、画像ではありません）。",
                               "it cannot be read as an image (it is damaged or not an image)."),
                          Text("JPEG・TIFF・PNG で保存し直してください。", "save it again as JPEG, TIFF or PNG.")) from exc
    width, height = header.width, header.height
    if width * height > MAX_PIXELS:
        raise ScanProblem(Text(f"{width}×{height} 画素で、上限の {MAX_PIXELS // 1_000_000} メガ画素を超えています。",
                               f"it is {width}×{height} pixels, over the limit of {MAX_PIXELS // 1_000_000} megapixels."),
                          Text("解像度を下げて保存し直すか、複数の画像に分けてください。",
                               "save it at a lower resolution, or split it into several scans."))
    return width, height


def _small_over_pillow_limit(path: Path) -> Image.Image:
    """A scan larger than Pillow's decompression-bomb limit, shrunk by pyvips (streamed, as
    the tiler reads scans) and handed to Pillow: the limit stays as it is for every other
    caller in the process. Upright as stored, like the Pillow path (EXIF rotation is not
    applied there either)."""
    thumb = pyvips.Image.thumbnail(str(path), 1024, height=1024, size="down", no_rotate=True)
    if thumb.get_typeof("orientation"):
        thumb = thumb.copy()
        thumb.remove("orientation")
    rgb = normalise(thumb)
    return Image.frombytes("RGB", (rgb.width, rgb.height), rgb.write_to_memory())


def fingerprint(path: Path) -> Fingerprint:
    width, height = _header_size(path)
    limit = Image.MAX_IMAGE_PIXELS
    try:
        if limit is not None and width * height > limit:
            small = _small_over_pillow_limit(path).convert("L")
        else:
            with Image.open(path) as im:
                width, height = im.size
                im.draft("L", (256, 256))  # JPEG: decode at a fraction of the size, much faster
                small = im.convert("L")
    except (pyvips.Error, Image.DecompressionBombError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScanProblem(Text(f"最後まで読めませんでした（途中で切れているか壊れています: {detail}）。",
                               f"it could not be read to the end (it is truncated or damaged: {detail})."),
                          Text("元のスキャンからもう一度書き出してください。", "export the scan again from the original.")) from exc
    grey = small.resize((9, 8), Image.Resampling.BOX)
    thumb = bytes(small.resize((8, 8), Image.Resampling.BOX).getdata()).hex()
    px = list(grey.getdata())
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (px[row * 9 + col] > px[row * 9 + col + 1])
    return Fingerprint(sha256(path), bits, width, height, thumb)


def distance(a: Fingerprint, b: Fingerprint) -> int:
    return bin(a.dhash ^ b.dhash).count("1")


def looks_alike(a: Fingerprint, b: Fingerprint) -> bool:
    """Same picture: the same light-dark structure and, on average, the same brightness."""
    if distance(a, b) > NEAR or not a.thumb or not b.thumb:
        return False
    pa, pb = bytes.fromhex(a.thumb), bytes.fromhex(b.thumb)
    return sum(abs(x - y) for x, y in zip(pa, pb)) / len(pa) <= TONE


class FingerprintCache:
    """Fingerprints of files, remembered in .cache/librarian/scans.json between runs."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / "librarian" / "scans.json" if cache_dir else None
        self.entries: dict[str, dict] = {}
        self.changed = False
        if self.path and self.path.exists():
            try:
                self.entries = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}  # a damaged cache is rebuilt, never trusted

    def get(self, path: Path) -> Fingerprint:
        st = path.stat()
        key = str(path.resolve())
        entry = self.entries.get(key)
        if entry and entry["size"] == st.st_size and entry["mtime_ns"] == st.st_mtime_ns:
            if "thumb" in entry["fp"]:  # an entry without a thumbnail (an older cache's) is redone
                return Fingerprint(**entry["fp"])
        fp = fingerprint(path)
        self.entries[key] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "fp": asdict(fp)}
        self.changed = True
        return fp

    def expect_copy(self, src: Path, dest: Path) -> None:
        """dest will be a copy of src (copy2 keeps size and time): known without reading it again."""
        entry = self.entries.get(str(src.resolve()))
        if entry:
            self.entries[str(dest.resolve())] = dict(entry)
            self.changed = True

    def save(self) -> None:
        if self.path and self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(self.entries))


@dataclass(frozen=True)
class Duplicate:
    a: str  # "item-id/file.jpg"
    b: str
    same_bytes: bool
    distance: int


def find_duplicates(scans: dict[str, Fingerprint]) -> list[Duplicate]:
    """Pairs of scans that are the same file or the same picture (each pair once).

    Not every pair is compared (10,000 scans would be 50 million pairs): two hashes at most
    NEAR (6) bits apart agree exactly in at least two of their eight bytes, so only scans
    sharing a byte at the same place are candidates."""
    out: list[Duplicate] = []
    by_sha: dict[str, list[str]] = {}
    for key in sorted(scans):
        by_sha.setdefault(scans[key].sha256, []).append(key)
    for keys in by_sha.values():
        out += [Duplicate(a, b, True, 0) for i, a in enumerate(keys) for b in keys[i + 1:]]
    firsts = sorted(keys[0] for keys in by_sha.values())  # one scan per distinct file
    buckets: dict[tuple[int, int], list[str]] = {}
    for key in firsts:
        h = scans[key].dhash
        for band in range(8):
            buckets.setdefault((band, (h >> (8 * band)) & 0xFF), []).append(key)
    seen: set[tuple[str, str]] = set()
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if (a, b) not in seen:
                    seen.add((a, b))
                    if looks_alike(scans[a], scans[b]):
                        out.append(Duplicate(a, b, False, distance(scans[a], scans[b])))
    return sorted(out, key=lambda d: (d.a, d.b))
