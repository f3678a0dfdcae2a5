"""Publish: swap a finished site into place, so readers never see a half-written one."""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
from pathlib import Path

from .cache import write_atomic
from .errors import BuildError, Text
from .files import link_tree, remove

# Every site sitegen publishes carries this file: an output folder without it is not ours,
# and is never replaced (its files would be moved into .cache/ and later deleted).
MARKER = ".sitegen-site"
_MARKER_HEAD = "This folder is written by sitegen; each build replaces it whole.\n"
# Repository folders a site may never be built into (sources, code, history).
_PROTECTED = ("archive", "images", "lessons", "generator", "tests", "bench", ".git", "node_modules")

_RENAME_EXCHANGE = 2
_libc = None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    global _libc
    try:
        if _libc is None:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = _libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD = -100
    rc = fn(AT_FDCWD, os.fsencode(str(a)), AT_FDCWD, os.fsencode(str(b)), _RENAME_EXCHANGE)
    return rc == 0


def publish(built: Path, out: Path) -> bool:
    """Move `built` to `out`. `built` must be on the same file system (a sibling of out).
    True when the sites were exchanged: `built` then holds the site that was published."""
    out = out.absolute()
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(str(out))
    if not out.exists():
        os.rename(built, out)
        return False
    if _exchange(built, out):
        return True
    # Fallback: two renames; the window without a site is one system call long.
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.rename(out, old)
    os.rename(built, out)
    shutil.rmtree(old, ignore_errors=True)
    return False


def check_output(out: Path, root: Path) -> None:
    """Refuse an output folder that sitegen must not replace: one holding the repository or
    its sources, a file, a link, or a folder with files sitegen did not write. A folder is
    ours when it is absent, empty, or carries MARKER listing every top-level entry in it."""
    shown = str(out)

    def refuse(ja: str, en: str, fix_ja: str, fix_en: str) -> BuildError:
        return BuildError(Text(f"出力先 {shown} には書けません: {ja}", f"cannot build into {shown}: {en}"),
                          Text(fix_ja, fix_en))

    other = Text("空のフォルダか、まだないフォルダを --out に指定してください（既定は site/）。",
                 "give --out an empty or new folder (the default is site/).")
    real, top = Path(os.path.realpath(out)), Path(os.path.realpath(root))
    if top == real or top.is_relative_to(real):
        raise refuse("リポジトリ全体を置き換えてしまいます。", "it holds the repository itself.", other.ja, other.en)
    for name in _PROTECTED:
        if real.is_relative_to(top / name):
            raise refuse(f"{name}/ の中です。", f"it is inside {name}/.", other.ja, other.en)
    if os.path.islink(out):
        raise refuse("リンクです（サイトを作るたびにフォルダごと置き換えるため、リンク先は使えません）。",
                     "it is a link (each build replaces the folder itself, not what a link points to).",
                     "リンクではなく、リンク先のフォルダを --out に指定してください。",
                     "give --out the folder the link points to.")
    if not os.path.lexists(out):
        return
    if not out.is_dir():
        raise refuse("フォルダではなくファイルです。", "it is a file, not a folder.", other.ja, other.en)
    entries = set(os.listdir(out))
    if not entries:
        return
    try:
        listed = set((out / MARKER).read_text(encoding="utf-8").splitlines()[1:])
    except (OSError, UnicodeDecodeError):
        if real == top / "site":
            return  # the repository's own site/, built before sites were marked
        raise refuse("sitegen が作ったフォルダではありません（中のファイルは消えてしまいます）。",
                     "it holds files that sitegen did not write (they would be replaced and deleted).",
                     other.ja, other.en) from None
    foreign = sorted(entries - listed - {MARKER})
    if foreign:
        names = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise refuse(f"sitegen が作っていないファイルがあります: {names}",
                     f"it holds files that sitegen did not write: {names}",
                     "サイトは作るたびに丸ごと置き換わります。これらのファイルを別の場所へ移してから、もう一度作ってください。",
                     "each build replaces the whole folder: move these files elsewhere, then build again.")


def write_marker(site: Path) -> str:
    """Mark a site as sitegen's, listing its top-level entries; the path written."""
    names = sorted(n for n in os.listdir(site) if n != MARKER)
    path = site / MARKER
    write_atomic(path, _MARKER_HEAD + "".join(f"{n}\n" for n in names))  # a new file: never through a link
    return str(path)


class Assembly:
    """The site a build puts together in its scratch folder before publishing it.

    A large archive's site has tens of thousands of files and folders, slow to make anew on
    every build (making folders is slow) and as slow to delete. So the site published before
    the current one is kept (.cache/site-spare/) and recycled: its folders stay, a file that
    is already the right one (the same hard link) stays, others are linked anew, and at the
    end everything this build did not place is removed, so the result is exactly what a new tree would be. The
    published site is never touched: the recycled tree is the one readers left one build ago,
    and nothing in it is written through. Only a site that was published whole becomes the
    spare (a killed build's half-made tree is swept away), and every file is checked and
    everything else removed, so the result does not depend on which tree it started from."""

    def __init__(self, folder: Path, spare: Path | None):
        self.folder = folder
        self.spare = spare
        self.placed: set[str] = set()
        self.whole: set[str] = set()  # folders kept whole as they were (link_whole)
        self.recycled = False
        if spare is not None and spare.is_dir():
            try:
                os.rename(spare, folder)
                self.recycled = True
            except OSError:
                pass
        if not self.recycled:
            folder.mkdir(parents=True, exist_ok=True)

    def link_tree(self, src: Path, dest: Path) -> None:
        self.placed.update(link_tree(src, dest))

    def link_whole(self, src: Path, dest: Path, mark: str) -> None:
        """link_tree for a tree that never changes once made (a tile set in the cache, named
        by what it was made from). When the recycled site has its file `mark` as this very
        file, the site has the whole tree (it was published whole): it is kept as it is,
        without looking at each of its files (a large map has thousands of tiles)."""
        if self.recycled:
            try:
                made, there = os.stat(f"{src}/{mark}"), os.lstat(f"{dest}/{mark}")
                if made.st_ino == there.st_ino and made.st_dev == there.st_dev:
                    self.placed.add(str(dest))
                    self.whole.add(str(dest))
                    return
            except OSError:
                pass
        self.link_tree(src, dest)

    def add(self, paths) -> None:
        self.placed.update(paths)

    def prune(self) -> int:
        """Remove what this build did not place; the number of files and folders removed."""
        if not self.recycled:
            return 0
        keep = set(self.placed)
        top = str(self.folder)
        for path in self.placed:  # the folders above what was placed
            parent = os.path.dirname(path)
            while len(parent) > len(top) and parent not in keep:
                keep.add(parent)
                parent = os.path.dirname(parent)
        removed = 0
        stack = [top]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.path not in keep:
                        remove(entry.path, entry.stat(follow_symlinks=False))
                        removed += 1
                    elif entry.is_dir(follow_symlinks=False) and entry.path not in self.whole:
                        stack.append(entry.path)
        return removed

    def keep_replaced(self, replaced: Path) -> None:
        """After publishing: the site that was replaced is the next build's spare."""
        if self.spare is None:
            return
        try:
            self.spare.parent.mkdir(parents=True, exist_ok=True)
            os.rename(replaced, self.spare)
        except OSError:
            pass  # not kept: the caller discards it with the scratch folder


def spare_for(cache: Path, out: Path) -> Path | None:
    """Where the site replaced by a publish of `out` is kept for the next build: in the cache
    when it is on the same file system as out (a rename, not a copy); else nowhere."""
    try:
        if os.stat(cache).st_dev != os.stat(out.parent).st_dev:
            return None
    except OSError:
        return None
    name = hashlib.sha256(str(out).encode("utf-8")).hexdigest()[:16]
    return cache / "site-spare" / name
