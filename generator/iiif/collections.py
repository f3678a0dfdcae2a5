"""IIIF collections: everything (iiif/collection.json), and one per type and per series."""
from __future__ import annotations

import json

from iiif_prezi3 import Collection, CollectionRef, ManifestRef

from ..content import Content
from ..context import BuildContext
from ..models.archive import ITEM_TYPES, TYPE_LABELS
from .labels import both, lang_map, series_title
from .manifests import thumbnail, to_json


def _manifest_ref(entry) -> ManifestRef:
    ref = ManifestRef(id=entry.manifest_id, type="Manifest",
                      label=lang_map((entry.item.title.ja, entry.item.title.en)))
    ref.thumbnail = [thumbnail(entry.images[0], 200)]
    return ref


def collection_path(kind: str, value: str) -> str:
    return f"iiif/{kind}/{value}/collection.json"


def _write(ctx: BuildContext, path: str, collection: Collection) -> None:
    target = ctx.static / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(to_json(collection), ensure_ascii=False, indent=1), encoding="utf-8")


def write_collections(content: Content, ctx: BuildContext, published: dict) -> list[str]:
    entries = [e for e in published.values() if e.images]
    sub: list[tuple[str, dict, list]] = []
    for item_type in ITEM_TYPES:
        members = [e for e in entries if e.item.type == item_type]
        if members:
            sub.append((collection_path("types", item_type), lang_map(TYPE_LABELS[item_type]), members))
    for series_id in sorted({e.item.series for e in entries if e.item.series}):
        members = [e for e in entries if e.item.series == series_id]
        sub.append((collection_path("series", series_id), lang_map(series_title(content, series_id)), members))

    top_id = ctx.url("iiif/collection.json")
    written = []
    for path, label, members in sub:
        collection = Collection(id=ctx.url(path), type="Collection", label=label,
                                items=[_manifest_ref(e) for e in members])
        collection.partOf = [{"id": top_id, "type": "Collection"}]
        _write(ctx, path, collection)
        written.append(path)
    site = both(ctx.config.site_name, ctx.config.site_name_en)
    top = Collection(id=top_id, type="Collection", label=site,
                     summary=both("区が所蔵する浮世絵・古地図・文書の IIIF コレクションです。",
                                  "IIIF collection of the prints, maps and documents held by the ward."),
                     items=[CollectionRef(id=ctx.url(path), type="Collection", label=label) for path, label, _ in sub]
                     + [_manifest_ref(e) for e in entries])
    top.homepage = [{"id": ctx.url("items/"), "type": "Text", "format": "text/html", "label": site}]
    _write(ctx, "iiif/collection.json", top)
    return ["iiif/collection.json", *written]
