"""The search derive step: records, the reading table, the whoosh catalogue, related items and
facet counts, for the render steps (ctx.derived["search"]) and the Pagefind step after them.

It also publishes the browser's query-normalisation table and the search page's script.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Content
from ..context import BuildContext
from . import catalog, table
from .records import SearchRecord, records

ASSETS = Path(__file__).parent / "assets"
# Site paths (one copy at the root, shared by /search/ and /en/search/).
TABLE_PATH = "search/normalise.json"
SCRIPT_PATH = "search/search.js"


@dataclass
class SearchData:
    records: dict[str, SearchRecord]
    readings: dict[str, str]
    related: dict[str, list[str]]
    facets: dict[str, dict[str, int]]
    thumbnails: dict[str, str] = field(default_factory=dict)  # item id -> site path of a small image
    # The pages Pagefind indexes, by kind: item ids, lesson slugs, course ids.
    pages: dict[str, set[str]] = field(default_factory=dict)

    def record(self, item_id: str) -> SearchRecord | None:
        return self.records.get(item_id)


def derive(content: Content, ctx: BuildContext) -> None:
    recs = records(content)
    readings, related, facets = _catalogue(recs, ctx)
    data = SearchData(records={r.id: r for r in recs}, readings=readings, related=related, facets=facets,
                      thumbnails={r.id: thumb for r in recs if (thumb := thumbnail(ctx, r.id))},
                      pages={"items": {r.id for r in recs},
                             "lessons": {lesson.slug for lesson in content.lessons},
                             "classes": {course.id for course in content.courses}})
    ctx.derived["search"] = data
    target = ctx.static / TABLE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(table.browser_table(readings), encoding="utf-8")
    for asset in ASSETS.iterdir():
        shutil.copy2(asset, target.parent / asset.name)


def _catalogue(recs: list[SearchRecord], ctx: BuildContext):
    """The reading table, related items and facet counts, from the whoosh catalogue. When no
    record changed since the last build (same records, same normaliser), the catalogue and
    what was derived from it are reused: a rebuild after a lesson edit need not re-index the
    archive and ask it ten thousand related-item questions."""
    key = hashlib.sha256((catalog.VERSION + "\0" + repr(recs)).encode("utf-8")).hexdigest()
    derived = catalog.folder_for(ctx.cache) / "derived.json"
    try:
        saved = json.loads(derived.read_text(encoding="utf-8"))
        if saved["key"] == key:
            readings = json.loads((derived.parent / "readings.json").read_text(encoding="utf-8"))
            return readings, saved["related"], saved["facets"]
    except (OSError, ValueError, KeyError):
        pass
    readings = table.reading_table(recs)
    ix = catalog.save(recs, readings, ctx.cache, ctx.root)
    related, facets = catalog.related(recs), catalog.facets(recs)
    derived.write_text(json.dumps({"key": key, "related": related, "facets": facets}, ensure_ascii=False),
                       encoding="utf-8")
    return readings, related, facets


def thumbnail(ctx: BuildContext, item_id: str, long_side: int = 160) -> str | None:
    """Site path of a small listed size of the item's first scan (IIIF step), if there is one."""
    published = ctx.derived.get("iiif", {}).get(item_id)
    images = getattr(published, "images", None)
    if not images:
        return None
    return images[0].size_path(long_side)
