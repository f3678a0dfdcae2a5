"""The repository's cache (.cache/): its one lock, its one way to write a file or a folder,
and its one way to key and prune a family of entries.

What is cached where (every family is safe to delete: it is made again, only slower):
- content/items-<code>/<n>.pickle: validated item records, by the bytes of each record file;
  <code> is the models' code, other versions are removed (content.py).
- librarian/title-facts.pickle: what the plausibility checks worked out of titles and
  readings, by the texts, keeping what the last run used; librarian/scans.json: scan
  fingerprints for the duplicate checks, by path, size and time (librarian/).
- lesson-pictures/<bytes>-<code>-<kind>: lesson pictures as published (sanitised, EXIF
  dropped), by their bytes; those no lesson uses are removed (lessons/pictures.py).
- tiles/<key>/: a scan's IIIF tiles, by the scan's bytes, page and the tiling settings;
  tiles/scans.json remembers each scan's key by size, time and inode, tiles/used.json the
  day each tile set was last used: those unused for 30 days are removed (iiif/tiles.py).
- iiif/manifests/<key>.json (and .record.json): manifests, by all their inputs; those this
  build did not publish are removed (iiif/manifests.py).
- catalog/: the whoosh catalogue, replaced whole when records change (search/catalog_saved.py).
- pagefind/pages/ and pagefind/bundles/<digest>/: the search index's pages and Pagefind's
  bundles, by the documents and the code; the two newest bundles are kept (search/pagefind.py).
- opendata/lines.pickle: each item's open-data lines, by the item (librarian/opendata.py).
- render/docs/ and render/<lang>/: the docs tree with each page's input key, and the HTML
  with the engine's key; everything is rendered again when that key changes (render/).
- site-spare/<out>/: the site the last publish replaced, recycled by the next build
  (publish.Assembly); trash/: scratch folders being deleted; preview/: `sitegen serve`'s site.

The lock (`.cache/lock`, an fcntl lock, held with `lock(root)`) is taken by every command
that writes .cache/: build (pipeline.build, and so each rebuild of `sitegen serve`, which
does not hold it while idle), check, search, import, add and report. While one holds it, the
others wait (saying so once on stderr). Holding it, a command is the only one writing the
cache, so scratch names need no process id and no liveness check.

After a kill: no entry is half-written in place (files are written with write_atomic,
folders with new_folder), except in the trees written file by file (render/docs/, the HTML,
pagefind/pages/), which are trusted only through a key file that is removed while they
change and written back last. What the killed command left is removed by the next one: a
`.<name>.new` or `.<name>.old` folder when the same entry is made again or its family is
pruned, a `.<name>.<random>.tmp` file when its family is pruned (elsewhere, such a small
hidden file may stay), a build's `.site.build` scratch folder by the next build.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import threading
from pathlib import Path
from typing import Iterable, Iterator

from .errors import Text
from .files import remove

LOCK = "lock"  # in .cache/


def write_atomic(path: Path, data: bytes | str) -> None:
    """Make path hold data (text is written as UTF-8): afterwards it holds all of it, and
    before, or after a kill on the way, what it held before (never part). The bytes go to a
    new temporary file in the same folder, which then replaces path (os.replace): a link
    at path (a file shared with a cache or a published site, or a symbolic link) is
    replaced, never written through. The temporary name is unique, so two writers of one
    file never mix their bytes."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    while True:
        tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def leftovers(path: Path) -> tuple[Path, Path]:
    """The scratch names new_folder uses beside path: the new folder and the one it replaces."""
    return path.with_name(f".{path.name}.new"), path.with_name(f".{path.name}.old")


def remove_leftovers(path: Path) -> None:
    """Remove what a killed new_folder(path) left beside path (the caller holds the lock)."""
    for left in leftovers(path):
        _remove(left)


@contextlib.contextmanager
def new_folder(path: Path) -> Iterator[Path]:
    """An empty folder to fill (`.<name>.new` beside path); when the block ends without an
    error it replaces path whole, else it is removed and path stays as it was. A kill inside
    the block leaves path as it was; a kill between the two renames of the replacement
    leaves no path (and the old one aside): the next use makes it again. The caller holds
    the lock (the scratch names are fixed: a killed run's leftovers are removed first)."""
    fresh, old = leftovers(path)
    remove_leftovers(path)
    fresh.mkdir(parents=True)
    try:
        yield fresh
        if os.path.lexists(path):
            os.rename(path, old)
        os.rename(fresh, path)
    except BaseException:
        _remove(fresh)
        raise
    _remove(old)


class Family:
    """A family of cache entries: a folder under .cache/ whose entries (files or folders)
    are named by a content key (a hash of what they are made from), so an entry is either
    the right one or absent. `records` names the family's own bookkeeping files in the
    folder, which prune keeps."""

    def __init__(self, cache: Path, name: str, records: Iterable[str] = ()) -> None:
        self.folder = cache / name
        self.records = frozenset(records)

    def entry(self, key: str) -> Path:
        return self.folder / key

    def prune(self, keep: Iterable[str]) -> list[str]:
        """Remove every entry not named in keep (entries this build did not use, and what a
        killed command left); the names removed, sorted. The caller holds the lock."""
        wanted = set(keep) | self.records
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        gone = sorted(name for name in names if name not in wanted)
        for name in gone:
            _remove(self.folder / name)
        return gone


def _remove(path: Path) -> None:
    """Remove a file, link or folder (whole), if it is there; a cache entry that cannot be
    removed stays (it costs room, not correctness)."""
    with contextlib.suppress(OSError):
        remove(path)


# --- the lock -----------------------------------------------------------------------------
class _Held:
    """This process's hold on one repository's lock: held once (flock), entered by nested
    lock() calls of the thread that holds it, and waited for by other threads."""

    def __init__(self) -> None:
        self.thread = threading.RLock()
        self.depth = 0
        self.file = None


_HELD: dict[str, _Held] = {}
_HELD_GUARD = threading.Lock()
WAITING = Text("このリポジトリでは別の sitegen コマンドが動いています。終わるまで待っています…",
               "another sitegen command is running in this repository; waiting for it to finish…")


@contextlib.contextmanager
def lock(root: Path) -> Iterator[None]:
    """Hold the repository's lock (.cache/lock) for the block: sitegen commands of one
    repository that write .cache/ take turns. Waiting for another, say so once on stderr.
    Nested calls (in the thread that holds it) enter at once. Where .cache/ cannot be made
    (no such repository, a read-only one), nothing can be written there either: the block
    runs without the lock. A killed holder's lock is released by the system."""
    cache = Path(os.path.realpath(root)) / ".cache"
    with _HELD_GUARD:
        held = _HELD.setdefault(str(cache), _Held())
    with held.thread:
        if held.depth == 0:
            held.file = _acquire(cache)
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.file is not None:
                held.file.close()  # (releases the lock)
                held.file = None


def _acquire(cache: Path):
    try:
        cache.mkdir(exist_ok=True)  # not its parents: a --root that is no repository stays absent
        file = open(cache / LOCK, "a")
    except OSError:
        return None
    try:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(WAITING, file=sys.stderr, flush=True)
        fcntl.flock(file, fcntl.LOCK_EX)
    except OSError:  # a file system without locks: as without .cache/
        file.close()
        return None
    return file
