"""The IIIF derive step: check every scan, tile what the cache lacks (in parallel), publish.

Output: each scan's tile set, hard-linked whole from the cache into the site at
iiif/<item>/<image>/ (publish.Assembly.link_whole); and under ctx.static: each service's
fresh info.json beside it, iiif/<item>/manifest.json (and georeference.json), the item's
record data/items/<item>.json, collection.json, the per-type and per-series collections and
the Change Discovery stream. derive() returns each item's ItemImages (item id -> ItemImages)
for the pages.
"""
from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pyvips

from ..cache import write_atomic
from ..content import Content
from ..context import BuildContext
from ..errors import ContentErrors, Problem
from ..models.archive import Item, ScanRef
from ..schedule import ledger
from . import collections, discovery, georef, manifests
from .info import write_info
from .scans import ScanError, ScanSource, check
from .tiles import TileSet, TileSettings, cache_entry, make_tiles, prune_tiles

SETTINGS = TileSettings()


@dataclass
class ImageService:
    """One published scan: its IIIF service and the static copies the pages link to."""

    scan: ScanRef
    image_id: str  # folder name under iiif/<item>/
    path: str  # site path of the service, e.g. "iiif/<item>/<image>"
    service_id: str  # absolute URL (info.json id)
    tiles: TileSet

    @property
    def width(self) -> int:
        return self.tiles.width

    @property
    def height(self) -> int:
        return self.tiles.height

    def size_path(self, long_side: int) -> str:
        """Site path of the pages' copy closest to long_side (or full/max if none is as big)."""
        for w, h in self.tiles.copies:
            if max(w, h) >= long_side:
                return f"{self.path}/full/{w},{h}/0/default.jpg"
        return f"{self.path}/full/max/0/default.jpg"

    def size_of(self, long_side: int) -> tuple[int, int]:
        for w, h in self.tiles.copies:
            if max(w, h) >= long_side:
                return w, h
        return (self.tiles.max_width or self.width, self.tiles.max_height or self.height)

    @property
    def full_path(self) -> str:
        return f"{self.path}/full/max/0/default.jpg"


@dataclass
class ItemImages:
    item: Item
    images: list[ImageService] = field(default_factory=list)
    manifest_path: str = ""
    manifest_id: str = ""
    georeference_id: str = ""  # the Georeference Annotation's URL, when a scan has control points


def image_ids(item: Item) -> list[str]:
    """Folder name per scan: the file name without extension, unless two scans share it."""
    stems = [Path(s.file).stem for s in item.images]
    return [stem if stems.count(stem) == 1 else s.file.replace(".", "-") for stem, s in zip(stems, item.images)]


def sources(content: Content, item: Item) -> list[ScanSource]:
    record = content.sources.get(item.id, f"archive/{item.id}.yml")
    return [ScanSource(path=content.scan_path(item, scan), record=record, field=f"images[{i}].file",
                       page=scan.page or 0) for i, scan in enumerate(item.images)]


def check_scans(content: Content, known: ScanMemo | None = None) -> tuple[list[tuple[Item, int, ScanSource]], list[Problem]]:
    """Read every scan's header (no pixels): the scans that can be published, and the problems
    of those that cannot. `sitegen check` runs this too. A scan `known` has passed with the
    same size, time and inode is not read again."""
    problems: list[Problem] = []
    good: list[tuple[Item, int, ScanSource]] = []
    for item in content.items:
        for i, src in enumerate(sources(content, item)):
            if known is None or known.key(src) is None:
                try:
                    width, height = check(src)
                except ScanError as exc:
                    problems.append(exc.problem)
                    continue
                problems.extend(georef.outside(item.images[i], i, width, height, src.record))
            good.append((item, i, src))
    return good, problems


class ScanMemo:
    """What the last build learnt about each scan, by its file's size, time and inode (as
    git's index does): it passed the checks, and its tile-cache key. Hashing every scan on
    every build reads gigabytes for an archive of large maps; an unchanged file is not read."""

    def __init__(self, cache: Path) -> None:
        self.path = cache / "tiles" / "scans.json"
        try:
            self.before = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.before = {}
        self.now: dict[str, list] = {}

    @staticmethod
    def _id(src: ScanSource) -> str:
        return f"{src.path.resolve()}#{src.page}"

    @staticmethod
    def _signature(src: ScanSource) -> list[int] | None:
        try:
            st = src.path.stat()
        except OSError:
            return None
        return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]

    def key(self, src: ScanSource) -> str | None:
        hit = self.before.get(self._id(src))
        sig = self._signature(src)
        return hit[1] if hit and sig and hit[0] == sig else None

    def remember(self, src: ScanSource) -> str:
        """The scan's tile-cache key (read from the file only when it is new or changed)."""
        key = self.key(src) or SETTINGS.key_for(src.path, src.page)
        sig = self._signature(src)
        if sig:
            self.now[self._id(src)] = [sig, key]
        return key

    def save(self) -> None:
        if self.now == self.before:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(self.now, sort_keys=True))


# Every tile set has it (level 0 lists full/max): a site that holds it as the cache's file
# holds that whole tile set (publish.Assembly.link_whole).
TILE_MARK = "full/max/0/default.jpg"


def derive(content: Content, ctx: BuildContext, record: ledger.Ledger) -> dict[str, ItemImages]:
    """Publish every item's scans; record is the publication record (schedule.derive's), by
    which the Change Discovery stream is dated."""
    memo = ScanMemo(ctx.cache)
    good, problems = check_scans(content, memo)
    if problems:
        raise ContentErrors(problems)
    jobs = [(item, i, src, memo.remember(src)) for item, i, src in good]
    memo.save()

    results: dict[str, TileSet] = {}
    todo = []
    for _, _, src, key in jobs:
        done = TileSet.load(cache_entry(ctx.cache, key))
        if done:
            results[key] = done
        elif key not in {k for _, k in todo}:
            todo.append((src, key))
    problems = _tile_all(todo, ctx, results, len(jobs))
    if problems:
        raise ContentErrors(problems)
    prune_tiles(ctx.cache, {key for _, _, _, key in jobs})

    published: dict[str, ItemImages] = {}
    for item in content.items:
        published[item.id] = ItemImages(item=item)
    for item, i, src, key in jobs:
        image_id = image_ids(item)[i]
        path = f"iiif/{item.id}/{image_id}"
        service = ImageService(scan=item.images[i], image_id=image_id, path=path, service_id=ctx.url(path),
                               tiles=results[key])
        ctx.assembly.link_whole(service.tiles.folder, ctx.site / path, TILE_MARK)
        write_info(service.tiles, ctx.static / path, service.service_id, manifests.iiif_rights(item.rights))
        published[item.id].images.append(service)
    problems = [p for entry in published.values()
                for p in georef.problems(entry, content.sources.get(entry.item.id, f"archive/{entry.item.id}.yml"))]
    if problems:
        raise ContentErrors(problems)
    prints = {}
    store = manifests.ManifestStore.open(ctx.cache)
    for entry in published.values():
        if entry.images:
            entry.manifest_path = f"iiif/{entry.item.id}/manifest.json"
            entry.manifest_id = ctx.url(entry.manifest_path)
            entry.georeference_id = georef.write(ctx, entry) or ""
            prints[entry.item.id] = manifests.write_manifest(content, ctx, entry, store)
    store.prune()
    discovery.record(record, prints, ctx.today)
    stream = discovery.write_stream(ctx, record)
    collections.write_collections(content, ctx, published, discovery.link(ctx) if stream else None)
    return published


def _tile_all(todo: list[tuple[ScanSource, str]], ctx: BuildContext, results: dict[str, TileSet],
              total: int) -> list[Problem]:
    problems: list[Problem] = []
    if not todo:
        _progress(ctx, f"IIIF: {total} scans, all tiles already made (cache)", end=True)
        return problems
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(cores, len(todo))
    # Threads, not processes: libvips does its work outside the GIL, so each thread keeps a
    # core busy, and nothing has to be pickled or re-imported. Each thread gets its share of
    # libvips' own worker threads: one big scan uses every core, a batch one core per scan.
    previous = pyvips.concurrency_get()
    pyvips.concurrency_set(max(1, cores // workers))
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(make_tiles, src, SETTINGS, ctx.cache, key): key for src, key in todo}
            cached = total - len(todo)
            for n, future in enumerate(as_completed(futures), 1):
                try:
                    results[futures[future]] = future.result()
                except ScanError as exc:
                    problems.append(exc.problem)
                _bar(ctx, n, len(todo), cached)
    finally:
        pyvips.concurrency_set(previous)
    return problems


def _bar(ctx: BuildContext, done: int, total: int, cached: int) -> None:
    width = 24
    filled = width * done // total
    note = f" ({cached} cached)" if cached else ""
    _progress(ctx, f"IIIF tiles [{'#' * filled}{'.' * (width - filled)}] {done}/{total} scans{note}",
              end=done == total)


def _progress(ctx: BuildContext, text: str, end: bool) -> None:
    if not ctx.progress:
        return
    if sys.stderr.isatty():
        print("\r" + text, end="\n" if end else "", file=sys.stderr, flush=True)
    elif end:
        print(text, file=sys.stderr, flush=True)
