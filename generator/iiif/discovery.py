"""The IIIF Change Discovery API 1.0 stream, for aggregators: iiif/discovery/all-changes.json
(an Activity Streams OrderedCollection) and its pages iiif/discovery/page-<n>.json.

One activity per manifest, its latest (the API's "level 1"): Create when it was first
published, Update when what it says last changed, Delete when its item was withdrawn, in
date order. The dates come from the publication record (lessons/schedule/published.json,
`manifests`), which only a real publish advances, so rebuilds give the same stream and a
fresh clone continues it. A date's activities carry the end of that day (Japan time) as
endTime: a harvester that crawled earlier that day still finds what was published later.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from ..context import BuildContext
from ..schedule.ledger import Ledger, ManifestRecord

CONTEXT = "http://iiif.io/api/discovery/1/context.json"
STREAM = "iiif/discovery/all-changes.json"  # collection.json is the name of Presentation collections
PAGE_SIZE = 100


def fingerprint(manifest_json: str, site_url: str) -> str:
    """What a harvester would see change: the manifest, whatever URL the site is built for."""
    return hashlib.sha256(manifest_json.replace(site_url, "/").encode("utf-8")).hexdigest()[:16]


def record(ledger: Ledger, published: dict[str, str], today: dt.date) -> None:
    """Bring the record's manifests up to this build: published maps item id -> fingerprint."""
    # The first build that keeps this record dates the manifests already public from their
    # items' first publication; later, a manifest never seen before is new today.
    seeding = not ledger.manifests
    for item_id, fp in published.items():
        old = ledger.manifests.get(item_id)
        if old is None:
            created = min(ledger.items.get(item_id, today), today) if seeding else today
            ledger.manifests[item_id] = ManifestRecord(fp, created, created)
        elif old.deleted is not None:
            ledger.manifests[item_id] = ManifestRecord(fp, today, today)  # published again
        elif old.fingerprint != fp:
            ledger.manifests[item_id] = ManifestRecord(fp, old.created, max(today, old.changed))
        else:
            continue
        ledger.dirty = True
    for item_id, old in ledger.manifests.items():
        if item_id not in published and old.deleted is None:
            ledger.manifests[item_id] = ManifestRecord(old.fingerprint, old.created, old.changed, today)
            ledger.dirty = True


def _end_of(day: dt.date) -> str:
    return f"{day.isoformat()}T23:59:59+09:00"


def activities(ctx: BuildContext, ledger: Ledger) -> list[dict]:
    listed = []
    for item_id, r in ledger.manifests.items():
        kind, day = (("Delete", r.deleted) if r.deleted else ("Update", r.changed) if r.changed > r.created
                     else ("Create", r.created))
        listed.append((day, item_id, {"type": kind, "object": {"id": ctx.url(f"iiif/{item_id}/manifest.json"),
                                                               "type": "Manifest"}, "endTime": _end_of(day)}))
    return [a for _, _, a in sorted(listed, key=lambda x: (x[0], x[1]))]


def write_stream(ctx: BuildContext, ledger: Ledger) -> str | None:
    """Write the collection and its pages; returns the collection's site path (None when no
    manifest was ever published: a page must hold at least one activity)."""
    items = activities(ctx, ledger)
    if not items:
        return None
    folder = ctx.static / "iiif" / "discovery"
    folder.mkdir(parents=True, exist_ok=True)
    pages = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)]
    stream_id = ctx.url(STREAM)

    def page_ref(n: int) -> dict:
        return {"id": ctx.url(f"iiif/discovery/page-{n}.json"), "type": "OrderedCollectionPage"}

    for n, ordered in enumerate(pages):
        page = {"@context": CONTEXT, **page_ref(n), "partOf": {"id": stream_id, "type": "OrderedCollection"},
                "startIndex": n * PAGE_SIZE}
        if n > 0:
            page["prev"] = page_ref(n - 1)
        if n < len(pages) - 1:
            page["next"] = page_ref(n + 1)
        page["orderedItems"] = ordered
        _write(folder / f"page-{n}.json", page)
    _write(ctx.static / STREAM, {
        "@context": CONTEXT, "id": stream_id, "type": "OrderedCollection", "totalItems": len(items),
        "seeAlso": [{"id": ctx.url("data/items.json"), "type": "Dataset", "format": "application/json",
                     "label": {"ja": ["すべての資料の記録"], "en": ["Every item record"]}}],
        "first": page_ref(0), "last": page_ref(len(pages) - 1)})
    return STREAM


def _write(path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def link(ctx: BuildContext) -> dict:
    """How a IIIF collection refers to the stream (as a machine-readable companion)."""
    return {"id": ctx.url(STREAM), "type": "Dataset", "format": "application/ld+json", "profile": CONTEXT,
            "label": {"ja": ["変更の一覧（IIIF Change Discovery API 1.0）"],
                      "en": ["Changes (IIIF Change Discovery API 1.0)"]}}
