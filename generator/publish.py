"""Publish: swap a finished site into place, so readers never see a half-written one."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

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


def publish(built: Path, out: Path) -> None:
    """Move `built` to `out`. `built` must be on the same file system (a sibling of out)."""
    out = out.absolute()
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(str(out))
    if not out.exists():
        os.rename(built, out)
        return
    if _exchange(built, out):
        return  # `built` now holds the old site: the caller removes it with its scratch folder
    # Fallback: two renames; the window without a site is one system call long.
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.rename(out, old)
    os.rename(built, out)
    shutil.rmtree(old, ignore_errors=True)


def link_tree(src: Path, dest: Path) -> None:
    """Hard-link every file of src into the tree at dest (no bytes copied): cached tiles,
    rendered pages and static files go into each new site this way; a file already at dest is
    replaced. Plain string paths: tens of thousands of
    files. Where a link cannot be made (another file system), the file is copied."""
    top, out = str(src), str(dest)
    os.makedirs(out, exist_ok=True)
    for folder, dirs, files in os.walk(top):
        target = out + folder[len(top):]
        for name in dirs:
            try:
                os.mkdir(f"{target}/{name}")
            except FileExistsError:  # merging into a tree (static files beside the pages)
                pass
        for name in files:
            try:
                os.link(f"{folder}/{name}", f"{target}/{name}")
            except FileExistsError:  # replaced, never written through: it may be a link into a cache
                os.unlink(f"{target}/{name}")
                os.link(f"{folder}/{name}", f"{target}/{name}")
            except OSError:
                shutil.copy2(f"{folder}/{name}", f"{target}/{name}")
