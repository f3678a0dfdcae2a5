"""IIIF collections: everything (iiif/collection.json), and one per type and per series.

Each carries what viewers show for a collection (attribution, rights, provider, thumbnail);
Mirador 3 fails on a collection without requiredStatement, so every one has it."""
from __future__ import annotations

import json
from collections import Counter

from iiif_prezi3 import Collection, CollectionRef, KeyValueString, ManifestRef

from ..content import Content
from ..context import BuildContext
from ..models.archive import ITEM_TYPES, TYPE_LABELS
from .labels import both, lang_map, series_label, title_map
from .manifests import TOP_COLLECTION, collection_path, iiif_rights, provider, thumbnail, to_json


def _manifest_ref(entry) -> ManifestRef:
    ref = ManifestRef(id=entry.manifest_id, type="Manifest", label=title_map(entry.item.title))
    ref.thumbnail = [thumbnail(entry.images[0], 200)]
    return ref


def _write(ctx: BuildContext, path: str, collection: Collection) -> None:
    target = ctx.static / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(to_json(collection), ensure_ascii=False, indent=1), encoding="utf-8")


def _describe(ctx: BuildContext, collection: Collection, members: list) -> None:
    """Attribution, provider, thumbnail and rights: one licence as `rights`; several as a
    metadata entry that counts the items under each (each manifest has its own)."""
    site = both(ctx.config.site_name, ctx.config.site_name_en)
    collection.requiredStatement = KeyValueString(label=both("出典", "Attribution"), value=site)
    collection.provider = provider(ctx)
    if members:
        collection.thumbnail = [thumbnail(members[0].images[0], 200)]
    rights = Counter(iiif_rights(e.item.rights) for e in members)
    if len(rights) == 1:
        collection.rights = next(iter(rights))
    elif rights:
        listed = [f"{uri} ({n})" for uri, n in sorted(rights.items(), key=lambda r: (-r[1], r[0]))]
        collection.metadata = [KeyValueString(
            label=both("利用条件", "Rights"),
            value={"ja": ["資料ごとに異なります（各マニフェストの rights）: " + "、".join(listed)],
                   "en": ["Differs by item (see each manifest's rights): " + ", ".join(listed)]})]


def write_collections(content: Content, ctx: BuildContext, published: dict, changes: dict | None = None) -> list[str]:
    """`changes`: the link to the Change Discovery stream, given on the top collection."""
    entries = [e for e in published.values() if e.images]
    sub: list[tuple[str, dict, list]] = []
    for item_type in ITEM_TYPES:
        members = [e for e in entries if e.item.type == item_type]
        if members:
            sub.append((collection_path("types", item_type), lang_map(TYPE_LABELS[item_type]), members))
    for series_id in sorted({e.item.series for e in entries if e.item.series}):
        members = [e for e in entries if e.item.series == series_id]
        sub.append((collection_path("series", series_id), series_label(content, series_id), members))

    top_id = ctx.url(TOP_COLLECTION)
    site = both(ctx.config.site_name, ctx.config.site_name_en)
    written = []
    for path, label, members in sub:
        collection = Collection(id=ctx.url(path), type="Collection", label=label,
                                items=[_manifest_ref(e) for e in members])
        _describe(ctx, collection, members)
        collection.partOf = [{"id": top_id, "type": "Collection", "label": site}]
        _write(ctx, path, collection)
        written.append(path)
    top = Collection(id=top_id, type="Collection", label=site,
                     summary=both("区が所蔵する浮世絵・古地図・文書の IIIF コレクションです。",
                                  "IIIF collection of the prints, maps and documents held by the ward."),
                     items=[CollectionRef(id=ctx.url(path), type="Collection", label=label) for path, label, _ in sub]
                     + [_manifest_ref(e) for e in entries])
    _describe(ctx, top, entries)
    top.homepage = [{"id": ctx.url("items/"), "type": "Text", "format": "text/html", "label": site}]
    if changes:
        top.seeAlso = [changes]
    _write(ctx, TOP_COLLECTION, top)
    return [TOP_COLLECTION, *written]
