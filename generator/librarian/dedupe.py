"""Finding the same scan twice: identical bytes, or the same picture re-scanned or resized.

A perceptual hash (dHash: does brightness rise or fall between neighbouring cells of a 9×8
grey thumbnail) survives resizing and recompression but changes with the picture. Fingerprints
are cached by file size and modification time, so a report over hundreds of scans reads each
scan once.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image

Image.MAX_IMAGE_PIXELS = None  # map scans are legitimately huge; they are our own files
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


def fingerprint(path: Path) -> Fingerprint:
    with Image.open(path) as im:
        width, height = im.size
        im.draft("L", (256, 256))  # JPEG: decode at a fraction of the size, much faster
        small = im.convert("L")
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
            if "thumb" in entry["fp"]:  # entries from before thumbnails were kept are redone
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
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.entries), encoding="utf-8")
            tmp.replace(self.path)


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
