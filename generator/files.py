"""Files for sites being put together: trees of hard links from the caches.

A site is assembled from content-addressed caches (tiles, rendered pages, search bundles) by
hard links, so no byte is copied and nothing is written through a link: a file that must
change is replaced by a new one.
"""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path


def link_tree(src: Path, dest: Path) -> list[str]:
    """Hard-link every file of src into the tree at dest (no bytes copied): cached tiles,
    rendered pages and static files go into each new site this way. dest may already hold a
    tree (the recycled site, see publish.Assembly): a file there that is the very same file is kept,
    any other is replaced, never written through (it may be a link into a cache or into the
    published site); a folder where a file belongs, or a file where a folder belongs, is
    removed first. Where a link cannot be made (another file system), the file is copied.
    Returns every path placed (folders included, dest first). Plain strings: tens of
    thousands of files."""
    top, out = str(src), str(dest)
    _folder(out, parents=True)
    placed = [out]
    device = os.stat(top).st_dev
    stack = [(top, out)]
    while stack:
        folder, target = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path = f"{target}/{entry.name}"
                placed.append(path)
                if entry.is_dir(follow_symlinks=False):
                    _folder(path)
                    stack.append((entry.path, path))
                else:
                    _place(entry.path, entry.inode(), device, path)
    return placed


def _folder(path: str, parents: bool = False) -> None:
    try:
        os.mkdir(path)
    except FileNotFoundError:
        if not parents:
            raise
        os.makedirs(path, exist_ok=True)
    except FileExistsError:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            os.unlink(path)
            os.mkdir(path)


def _place(src: str, inode: int, device: int, path: str) -> None:
    try:
        os.link(src, path)
        return
    except FileExistsError:
        there = os.lstat(path)
        if there.st_ino == inode and there.st_dev == device:
            return  # already this very file (a recycled site)
        if stat.S_ISREG(there.st_mode) and _same_bytes(src, path, there.st_size):
            return  # a new file with the same bytes (made again): the one there stays
        remove(path, there)
        try:
            os.link(src, path)
            return
        except OSError:
            pass
    except OSError:  # another file system, or one without hard links
        if os.path.lexists(path):
            remove(path)
    shutil.copy2(src, path)  # (to a new file: whatever was there is gone)


def _same_bytes(src: str, path: str, size: int) -> bool:
    """Whether two files hold the same bytes. Files made again each build (the static files,
    a new search bundle's pieces of unchanged pages) mostly hold the bytes they had: reading
    two small files is cheaper than replacing one, and readers' caches of it stay valid."""
    try:
        if os.stat(src).st_size != size:
            return False
        with open(src, "rb") as a, open(path, "rb") as b:
            while True:
                block = a.read(1 << 20)
                if block != b.read(1 << 20):
                    return False
                if not block:
                    return True
    except OSError:
        return False


def remove(path: str | os.PathLike, there: os.stat_result | None = None) -> None:
    """Remove a file, a link or a whole folder (there: its lstat, when known); nothing when
    it is not there."""
    try:
        there = there or os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(there.st_mode):
        shutil.rmtree(path)
    else:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
