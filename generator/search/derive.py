"""The search derive step: records, the search documents, the reading table, the whoosh
catalogue, related items and facet counts (SearchData, which derive() returns), for the
render steps (item pages: records, related items, thumbnails) and the Pagefind step after
them (documents). No page shows the facet counts.

It also publishes the browser's query-normalisation table, the filter values' labels and the
search page's scripts.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Content
from ..context import BuildContext
from ..iiif.derive import ItemImages
from . import catalog, catalog_saved, normalise, table
from .documents import Document, documents, labels
from .records import SearchRecord, records

ASSETS = Path(__file__).parent / "assets"
# Site paths (one copy at the root, shared by /search/ and /en/search/).
TABLE_PATH = "search/normalise.json"
LABELS_PATH = "search/filters.json"  # loaded when the reader opens the filters
SCRIPT_PATH = "search/search.js"


@dataclass
class SearchData:
    records: dict[str, SearchRecord]
    readings: dict[str, str]
    related: dict[str, list[str]]
    facets: dict[str, dict[str, int]]
    thumbnails: dict[str, str] = field(default_factory=dict)  # item id -> site path of a small image
    documents: list[Document] = field(default_factory=list)  # what is searched: items, lessons, classes

    def record(self, item_id: str) -> SearchRecord | None:
        return self.records.get(item_id)


def derive(content: Content, ctx: BuildContext, iiif: dict[str, ItemImages]) -> SearchData:
    """The search data of the content, whose items' images (thumbnails) iiif publishes."""
    with catalog_saved.gc_paused():
        recs = records(content)
        thumbnails = {r.id: thumb for r in recs if (thumb := thumbnail(iiif.get(r.id)))}
        docs = documents(content, recs, thumbnails)
        readings, related, facets = _catalogue(recs, [d for d in docs if d.kind != "item"], ctx)
    data = SearchData(records={r.id: r for r in recs}, readings=readings, related=related, facets=facets,
                      thumbnails=thumbnails, documents=docs)
    target = ctx.static / TABLE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(table.browser_table(readings, warm_word(ctx.cache)), encoding="utf-8")
    (ctx.static / LABELS_PATH).write_text(json.dumps(labels(recs), ensure_ascii=False, separators=(",", ":")),
                                          encoding="utf-8")
    for asset in ASSETS.iterdir():
        if asset.suffix == ".js":
            (target.parent / asset.name).write_text(shrunk_js(asset.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copy2(asset, target.parent / asset.name)
    return data


def shrunk_js(text: str) -> str:
    """The search scripts as the first query downloads them: without their comment lines and
    indentation (the commented source is in generator/search/assets/).
    Only whole lines are touched, which is safe in scripts without multi-line strings or block
    comments (checked)."""
    if "`" in text or "/*" in text or any(line.endswith("\\") for line in text.splitlines()):
        return text
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"


def warm_word(cache: Path) -> str | None:
    """What the search page looks up as it opens (search.js, warmUp), as Pagefind indexes it:
    of the terms of titles, the one the fewest documents hold in any field (counted in the
    catalogue; the first in index order among them), for the price of one small index
    piece and a result or few."""
    fields = catalog.TEXT_FIELDS
    with catalog.open_index(cache).reader() as reader:
        # The catalogue's statistics count documents that an update replaced until it is merged
        # (a clean build's do not): counted from them, the word could differ between the two.
        # They are an upper bound of the documents holding a term now, and each replaced
        # document adds at most one per field, so only terms whose bound can still win are
        # counted document by document.
        replaced = reader.doc_count_all() - reader.doc_count()
        slack = replaced * len(fields)

        def live(field: str, term: bytes) -> int:
            if (field, term) not in reader:
                return 0
            if not replaced:
                return reader.doc_frequency(field, term)
            return sum(1 for doc in reader.postings(field, term).all_ids() if not reader.is_deleted(doc))

        bounds = sorted((sum(reader.doc_frequency(field, term) for field in fields), term)
                        for term, _info in reader.iter_field("title"))
        best: tuple[int, str] | None = None
        for bound, term in bounds:
            if best is not None and bound - slack > best[0]:
                break
            if not live("title", term):
                continue
            held = (sum(live(field, term) for field in fields), normalise.encode(term.decode("utf-8")))
            best = held if best is None else min(best, held)
    return best[1] if best else None


def _catalogue(recs: list[SearchRecord], pages: list[Document], ctx: BuildContext):
    """The reading table, related items and facet counts, with the saved whoosh catalogue
    brought up to date: reused as it is when nothing changed, updated document by document
    when some did (catalog_saved.py), always the same answer as a clean build."""
    saved = catalog_saved.refresh(recs, ctx.cache, ctx.root, pages)
    return saved.readings, saved.related, saved.facets


def thumbnail(published: ItemImages | None, long_side: int = 160) -> str | None:
    """Site path of the pages' small copy of the item's first scan (ImageService.size_path:
    the smallest copy at least long_side px, not a size info.json lists), if it has a scan."""
    if published is None or not published.images:
        return None
    return published.images[0].size_path(long_side)
