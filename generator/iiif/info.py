"""info.json: written on every build, because its id is the URL the site is served at."""
from __future__ import annotations

import json
from pathlib import Path

from .tiles import TileSet


def write_info(tiles: TileSet, folder: Path, service_id: str, rights: str | None = None) -> dict:
    """info.json of one scan's service; `rights` is the item's licence (canonical http:// URI)."""
    info = tiles.info(service_id, rights)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "info.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info
