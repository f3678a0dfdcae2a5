"""Level-0 tiles for one scan, cached by what they depend on: the scan's bytes and the settings.

dzsave(layout="iiif3") writes the tile pyramid; a level-0 service also needs full/max (capped),
the whole image at each size info.json lists (the pyramid's levels: see viewer_requests),
and every tile a viewer can compute must exist (the gaps are filled). The pages' own
downscaled copies (thumbnails, the no-JavaScript image) are in the same tree, unlisted.
Tiles never depend on the site URL: info.json is written separately on every build. Each
tile set is made in a new folder that takes its place in the cache only when whole
(cache.new_folder), so no build sees (or publishes) half a tile set.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import pyvips

from ..cache import Family, new_folder, write_atomic
from .scans import ScanSource, normalise, open_scan, unreadable
from .viewer_requests import all_tile_paths, pyramid_sizes, static_paths


@dataclass(frozen=True)
class TileSettings:
    tile: int = 512
    quality: int = 85
    # full/max is capped: a 20,000 px sheet is for zooming, not for one download on a phone.
    # 2048 px is ample for reading on a phone and for an A5 print, and keeps the extra encode
    # small next to the pyramid's.
    max_size: int = 2048
    # Long sides of the pages' downscaled copies (thumbnails); the no-JavaScript image is
    # full/max itself. They are not listed in info.json's `sizes`: extra entries there would
    # make older OpenSeadragon builds take them for pyramid levels (viewer_requests).
    copies: tuple[int, ...] = (200, 400, 800)
    version: int = 4  # bump when the tile layout or encoding changes: every cache entry is rebuilt

    def key_for(self, scan: Path, page: int) -> str:
        digest = hashlib.sha256()
        with scan.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(json.dumps({"page": page, **asdict(self)}, sort_keys=True).encode())
        return digest.hexdigest()[:32]


@dataclass(frozen=True)
class TileSet:
    """A finished tile set in the cache: folder with the image tree, and what info.json needs."""

    folder: Path  # cache/tiles/<key>/image
    width: int
    height: int
    scale_factors: list[int]
    tile: int
    sizes: list[tuple[int, int]]  # listed in info.json: the pyramid's levels (pyramid_sizes)
    copies: list[tuple[int, int]]  # the pages' downscaled copies, and full/max when capped
    max_width: int | None  # set when full/max is smaller than the scan
    max_height: int | None

    @classmethod
    def load(cls, entry: Path) -> "TileSet | None":
        try:
            meta = json.loads((entry / "tiles.json").read_text(encoding="utf-8"))
            return cls(folder=entry / "image", width=meta["width"], height=meta["height"],
                       scale_factors=meta["scale_factors"], tile=meta["tile"],
                       sizes=[tuple(s) for s in meta["sizes"]], copies=[tuple(s) for s in meta["copies"]],
                       max_width=meta["max_width"], max_height=meta["max_height"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def info(self, service_id: str, rights: str | None = None) -> dict:
        """The IIIF Image API 3 info.json for this tile set, published at service_id."""
        info: dict = {
            "@context": "http://iiif.io/api/image/3/context.json",
            "id": service_id,
            "type": "ImageService3",
            "protocol": "http://iiif.io/api/image",
            "profile": "level0",
            "width": self.width,
            "height": self.height,
        }
        if self.max_width:
            info["maxWidth"], info["maxHeight"] = self.max_width, self.max_height
        if self.sizes:
            info["sizes"] = [{"width": w, "height": h} for w, h in self.sizes]
        info["tiles"] = [{"width": self.tile, "height": self.tile, "scaleFactors": self.scale_factors}]
        if rights:
            info["rights"] = rights
        return info


def cache_entry(cache: Path, key: str) -> Path:
    return family(cache).entry(key)


# A tile set no scan of the archive uses any more is kept this long after its last use (a
# scan replaced and then put back is not tiled again), then removed: a replaced 20,000 px
# map leaves hundreds of megabytes of tiles behind.
TILES_KEPT_DAYS = 30
USED_FILE = "used.json"  # in .cache/tiles/: tile set -> the day (since 1970) it was last used
SCANS_FILE = "scans.json"  # in .cache/tiles/: what each scan's key is (iiif/derive.py's ScanMemo)


def family(cache: Path) -> Family:
    """The tile sets (.cache/tiles/<key>/), beside the two files that keep track of them."""
    return Family(cache, "tiles", records=(USED_FILE, SCANS_FILE))


def prune_tiles(cache: Path, used: set[str], now: float | None = None) -> list[str]:
    """Remove the tile sets not used for TILES_KEPT_DAYS (and what killed tiling runs left);
    record today as the last use of `used`. Returns the removed keys."""
    tiles = family(cache)
    folder = tiles.folder
    if not folder.is_dir():
        return []
    today = int((time.time() if now is None else now) // 86400)
    try:
        last = json.loads((folder / USED_FILE).read_text(encoding="utf-8"))
        last = {k: v for k, v in last.items() if isinstance(v, int)} if isinstance(last, dict) else {}
    except (OSError, ValueError):
        last = {}
    kept: dict[str, int] = {}
    for entry in os.scandir(folder):
        name = entry.name
        if name.startswith(".") or not entry.is_dir(follow_symlinks=False):
            continue  # (a killed run's leftover: removed below)
        day = today if name in used else last.get(name, today)  # unused, never seen: from today
        if today - day <= TILES_KEPT_DAYS:
            kept[name] = day
    removed = [name for name in tiles.prune(kept) if not name.startswith(".")]
    if kept != last:
        try:
            write_atomic(folder / USED_FILE, json.dumps(kept, sort_keys=True))
        except OSError:
            pass  # only the ages are lost: unused tiles are kept longer
    return removed


def make_tiles(src: ScanSource, settings: TileSettings, cache: Path, key: str) -> TileSet:
    """Tile one scan into cache/tiles/<key>/ (no-op if an earlier build already did). The
    caller holds the repository's lock; calls at the same time are for different keys."""
    entry = cache_entry(cache, key)
    done = TileSet.load(entry)
    if done:
        return done
    with new_folder(entry) as tmp:
        try:
            _tile_into(src, settings, tmp)
        except pyvips.Error as exc:
            raise unreadable(src, exc) from exc
    result = TileSet.load(entry)
    assert result is not None
    return result


# Scans up to this size are decoded once into memory and both the tiles and the downscaled
# copies come from that; bigger ones stream through dzsave and the copies are decoded again
# at 1/4 or less (JPEG shrink-on-load), which is cheap, instead of holding gigabytes.
IN_MEMORY_PIXELS = 50_000_000


def _tile_into(src: ScanSource, settings: TileSettings, tmp: Path) -> None:
    image = open_scan(src, sequential=True)
    width, height = image.width, image.height
    in_memory = width * height <= IN_MEMORY_PIXELS
    if in_memory:
        image = image.copy_memory()
    out = tmp / "image"
    # The downscaled images are made on a second thread while dzsave runs: JPEG decoding inside
    # dzsave is serial, so a core is free for them and they cost (almost) no wall time.
    extras_dir = tmp / "extras"
    with ThreadPoolExecutor(max_workers=1) as side:
        extras = side.submit(_make_sizes, src, image if in_memory else None, width, height, settings, extras_dir)
        image.dzsave(str(out), layout="iiif3", tile_size=settings.tile, overlap=0, id="tiles",
                     suffix=f".jpg[Q={settings.quality},keep=none]")
        copies, biggest = extras.result()
    # dzsave's own info.json has a placeholder id and no sizes; vips-properties.xml is noise.
    scale_factors = json.loads((out / "info.json").read_text())["tiles"][0]["scaleFactors"]
    (out / "info.json").unlink()
    for stray in (tmp / "vips-properties.xml", out / "vips-properties.xml"):
        stray.unlink(missing_ok=True)
    for path in sorted(extras_dir.rglob("*.jpg")):
        target = out / path.relative_to(extras_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    capped = biggest != (width, height)
    if capped:
        # The capped full image is also a size the pages use: the same bytes under its w,h name.
        same = out / "full" / f"{biggest[0]},{biggest[1]}" / "0" / "default.jpg"
        same.parent.mkdir(parents=True, exist_ok=True)
        same.unlink(missing_ok=True)
        os.link(out / "full" / "max" / "0" / "default.jpg", same)

    max_w, max_h = (biggest if capped else (None, None))
    tileset = TileSet(folder=out, width=width, height=height, scale_factors=scale_factors, tile=settings.tile,
                      sizes=pyramid_sizes(width, height, scale_factors, max_w, max_h), copies=copies,
                      max_width=max_w, max_height=max_h)
    _fill_gaps(src, tileset, settings)
    (tmp / "tiles.json").write_text(json.dumps({
        "width": width, "height": height, "scale_factors": scale_factors, "tile": settings.tile,
        "sizes": tileset.sizes, "copies": copies, "max_width": max_w, "max_height": max_h,
        "scan": src.shown, "page": src.page,
    }), encoding="utf-8")


def dzsave_scale_factors(width: int, height: int, tile: int) -> list[int]:
    """The scale factors dzsave gives: halve until the whole image fits in one tile."""
    k = 0
    while math.ceil(width / 2 ** k) > tile or math.ceil(height / 2 ** k) > tile:
        k += 1
    return [2 ** i for i in range(k + 1)]


def _make_sizes(src: ScanSource, image: pyvips.Image | None, width: int, height: int, settings: TileSettings,
                folder: Path) -> tuple[list[tuple[int, int]], tuple[int, int]]:
    """Into folder: full/max (capped), the pages' copies and the listed pyramid sizes.
    Returns (copies, full/max size)."""
    cap = min(settings.max_size, max(width, height))
    biggest = (image.thumbnail_image(cap, height=cap, size="down") if image is not None
               else _downscaled(src, cap)).copy_memory()
    _save(biggest, folder / "full" / "max" / "0" / "default.jpg", settings)
    capped = (biggest.width, biggest.height) != (width, height)
    # The listed sizes come from the full-resolution pixels when they are in memory, else
    # from the capped image (they are never larger than it).
    source = image if image is not None else biggest
    limit = (biggest.width, biggest.height) if capped else (None, None)
    for w, h in pyramid_sizes(width, height, dzsave_scale_factors(width, height, settings.tile), *limit):
        if w <= settings.tile and h <= settings.tile:
            continue  # the pyramid's top tile, which dzsave writes as full/w,h
        _save(source.thumbnail_image(w, height=h, size="force"), folder / "full" / f"{w},{h}" / "0" / "default.jpg",
              settings)
    copies = []
    for long_side in settings.copies:
        if long_side >= max(biggest.width, biggest.height):
            continue
        small = biggest.thumbnail_image(long_side, height=long_side)
        copies.append((small.width, small.height))
        _save(small, folder / "full" / f"{small.width},{small.height}" / "0" / "default.jpg", settings)
    if capped:
        copies.append((biggest.width, biggest.height))
    return copies, (biggest.width, biggest.height)


def _downscaled(src: ScanSource, long_side: int) -> pyvips.Image:
    # thumbnail() shrinks while decoding (JPEG at 1/2, 1/4, 1/8): far cheaper than a full decode.
    options = "[fail_on=truncated" + (f",page={src.page}" if src.path.suffix.lower() in (".tif", ".tiff") else "") + "]"
    thumb = pyvips.Image.thumbnail(str(src.path) + options, long_side, height=long_side, size="down")
    return normalise(thumb).copy_memory()


def _save(image: pyvips.Image, path: Path, settings: TileSettings) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.jpegsave(str(path), Q=settings.quality, keep="none")


def _fill_gaps(src: ScanSource, tiles: TileSet, settings: TileSettings) -> int:
    """Render any image a viewer would ask for that dzsave did not write (rounding at edges),
    for every OpenSeadragon build in use; `w,` names are links to the `w,h` image."""
    info = tiles.info("tiles")
    wanted = sorted(all_tile_paths(info) | set(static_paths(info)))
    missing = [p for p in wanted if not (tiles.folder / p).is_file()]
    render = [p for p in missing if not p.split("/")[1].endswith(",")]
    if render:
        image = open_scan(src, sequential=False)
        for rel in render:
            region, size = rel.split("/")[:2]
            x, y, w, h = (0, 0, tiles.width, tiles.height) if region == "full" else map(int, region.split(","))
            part = image.crop(x, y, w, h)
            if size != "max":
                sw, sh = map(int, size.split(","))
                part = part.thumbnail_image(sw, height=sh, size="force")
            _save(part, tiles.folder / rel, settings)
    for w, h in tiles.sizes:
        link = tiles.folder / "full" / f"{w}," / "0" / "default.jpg"
        if not link.is_file():
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(tiles.folder / "full" / f"{w},{h}" / "0" / "default.jpg", link)
    return len(missing)
