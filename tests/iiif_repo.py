"""A small private repository for IIIF tests: the repo's settings, one record per scan given."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

RECORD = """id: {id}
type: {type}
title:
  ja: 試験資料 {id}
  en: Test item {id}
rights: https://creativecommons.org/publicdomain/mark/1.0/
images:
{images}"""


def mini_repo(root: Path, items: dict[str, list[tuple[str, object]]], type_: str = "ukiyo-e",
              pages: dict[str, int] | None = None) -> Path:
    """items: id -> [(file name, pyvips image or bytes)]. Scans are written as given."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "archive").mkdir(exist_ok=True)
    if (REPO / "node_modules").exists() and not (root / "node_modules").exists():
        (root / "node_modules").symlink_to(REPO / "node_modules")
    for item_id, scans in items.items():
        folder = root / "images" / item_id
        folder.mkdir(parents=True, exist_ok=True)
        lines = []
        for name, data in scans:
            write_scan(folder / name, data)
            lines.append(f"  - file: {name}\n")
            if pages and name in pages:
                lines.append(f"    page: {pages[name]}\n")
        (root / "archive" / f"{item_id}.yml").write_text(
            RECORD.format(id=item_id, type=type_, images="".join(lines)), encoding="utf-8")
    return root


def write_scan(path: Path, data) -> None:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        data.write_to_file(str(path))


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def tile_files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every tile image under a folder with its identity (inode, mtime): a re-encode changes it."""
    out = {}
    for dirpath, _, files in os.walk(folder):
        for name in files:
            if name.endswith(".jpg"):
                st = os.stat(os.path.join(dirpath, name))
                out[os.path.relpath(os.path.join(dirpath, name), folder)] = (st.st_ino, st.st_mtime_ns)
    return out
