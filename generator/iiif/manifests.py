"""One IIIF Presentation 3 manifest per item, built offline with iiif-prezi3.

Everything comes from the record and the local tile sets: the *_from_iiif helpers would
fetch info.json over HTTP, which a build must never do.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from iiif_prezi3 import (Annotation, AnnotationBody, AnnotationPage, Canvas, KeyValueString, Manifest,
                         NavPlace, Provider, ServiceV3)

from ..cache import Family, write_atomic
from ..content import Content
from ..context import BuildContext, code_digest
from ..models import eras
from ..models.archive import ROLE_LABELS, TYPE_LABELS
from . import discovery
from .labels import both, label_map, lang_map, series_label, title_map

TOP_COLLECTION = "iiif/collection.json"


def collection_path(kind: str, value: str) -> str:
    return f"iiif/{kind}/{value}/collection.json"


def record_path(item_id: str) -> str:
    """The item's own machine-readable record (data/items/<id>.json), linked as seeAlso."""
    return f"data/items/{item_id}.json"

NAVPLACE_CONTEXT = "http://iiif.io/api/extension/navplace/context.json"
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"


def iiif_rights(uri: str) -> str:
    """IIIF wants the canonical http:// form of Creative Commons and RightsStatements.org URIs."""
    for host in ("creativecommons.org/", "rightsstatements.org/"):
        if uri.startswith("https://" + host):
            return "http://" + uri[len("https://"):]
    return uri


def image_service(service) -> ServiceV3:
    return ServiceV3(id=service.service_id, type="ImageService3", profile="level0")


def thumbnail(service, long_side: int = 400) -> dict:
    """A downscaled copy that exists as a file, with the service a client may use instead."""
    w, h = service.size_of(long_side)
    return {"id": f"{service.service_id}/full/{w},{h}/0/default.jpg" if (w, h) != (service.width, service.height)
            else f"{service.service_id}/full/max/0/default.jpg",
            "type": "Image", "format": "image/jpeg", "width": w, "height": h,
            "service": [{"id": service.service_id, "type": "ImageService3", "profile": "level0"}]}


def download(service, label: dict) -> dict:
    """The download offered on the item page: full/max (at most TileSettings.max_size px)."""
    return {"id": f"{service.service_id}/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg",
            "label": label}


def provider(ctx: BuildContext) -> list[Provider]:
    name = both(ctx.config.site_name, ctx.config.site_name_en)
    return [Provider(id=ctx.url(""), type="Agent", label=name,
                     homepage=[{"id": ctx.url(""), "type": "Text", "format": "text/html", "label": name}])]


def nav_date(item) -> str | None:
    """The record's first year as xsd:dateTime (Japan time); none before year 1, which a
    Gregorian date-time cannot carry."""
    if not item.date or item.date.start is None or item.date.start < 1:
        return None
    return f"{item.date.start:04d}-01-01T00:00:00+09:00"


def metadata(content: Content, item) -> list[KeyValueString]:
    pairs = [(both("種類", "Type"), lang_map(TYPE_LABELS[item.type]))]
    for creator in item.creators:
        role = ROLE_LABELS[creator.role]
        pairs.append((label_map(role), lang_map(creator.name) if creator.name else {"none": [creator.id]}))
    if item.series:
        pairs.append((both("シリーズ", "Series"), series_label(content, item.series)))
    if item.date:
        date = {"ja": [item.date.text]}
        english = eras.display(item.date.text, item.date.start, item.date.end, "en")
        if english != item.date.text:
            date["en"] = [english]
        pairs.append((both("年代", "Date"), date))
    if item.place:
        pairs.append((both("場所", "Place"), lang_map(item.place.name)))
    if item.dimensions:
        size = f"{item.dimensions.height_cm:g} × {item.dimensions.width_cm:g} cm"
        pairs.append((both("寸法", "Dimensions"), {"none": [size]}))
    if item.medium:
        pairs.append((both("技法・材質", "Medium"), lang_map(item.medium)))
    if item.subjects:
        pairs.append((both("主題", "Subjects"), {"ja": ["、".join(item.subjects)]}))
    return [KeyValueString(label=label, value=value) for label, value in pairs]


def part_of(content: Content, ctx: BuildContext, item) -> list[dict]:
    """The collections the item is listed in (collections.py writes them)."""
    refs = [{"id": ctx.url(TOP_COLLECTION), "type": "Collection",
             "label": both(ctx.config.site_name, ctx.config.site_name_en)},
            {"id": ctx.url(collection_path("types", item.type)), "type": "Collection",
             "label": lang_map(TYPE_LABELS[item.type])}]
    if item.series:
        refs.append({"id": ctx.url(collection_path("series", item.series)), "type": "Collection",
                     "label": series_label(content, item.series)})
    return refs


def see_also(ctx: BuildContext, item) -> list[dict]:
    """Machine-readable records of the item: its own JSON record, and the open-data table."""
    return [
        {"id": ctx.url(record_path(item.id)), "type": "Dataset", "format": "application/json",
         "label": both("資料の記録（JSON）", "Item record (JSON)")},
        {"id": ctx.url("data/bunkazai.csv"), "type": "Dataset", "format": "text/csv",
         "label": both("オープンデータ「文化財一覧」（CSV、全資料）", "Open data: every item (CSV, the national list-of-cultural-properties format)")},
    ]


def build_manifest(content: Content, ctx: BuildContext, entry) -> Manifest:
    item = entry.item
    base = ctx.url(f"iiif/{item.id}")
    manifest = Manifest(id=entry.manifest_id, label=title_map(item.title), metadata=metadata(content, item),
                        rights=iiif_rights(item.rights), items=[])
    if item.description:
        manifest.summary = lang_map(item.description)
    institution = item.source.institution if item.source else None
    credit = (item.source.credit if item.source and item.source.credit else institution)
    manifest.requiredStatement = KeyValueString(
        label=both("出典", "Attribution"),
        value=lang_map(credit) if credit else both(ctx.config.site_name, ctx.config.site_name_en))
    manifest.provider = provider(ctx)
    english_title = {"en": [item.title.en]} if item.title.en else {"ja": [item.title.ja]}
    manifest.homepage = [
        {"id": ctx.url(f"items/{item.id}/"), "type": "Text", "format": "text/html", "language": ["ja"],
         "label": {"ja": [item.title.ja]}},
        {"id": ctx.url(f"items/{item.id}/", "en"), "type": "Text", "format": "text/html", "language": ["en"],
         "label": english_title},
    ]
    manifest.thumbnail = [thumbnail(entry.images[0])]
    manifest.partOf = part_of(content, ctx, item)
    manifest.seeAlso = see_also(ctx, item)
    when = nav_date(item)
    if when:
        manifest.navDate = when
    behavior, direction = item.viewing()
    manifest.behavior = [behavior]
    manifest.viewingDirection = direction
    downloads = []
    for n, service in enumerate(entry.images, 1):
        canvas_id = f"{base}/canvas/{n}"
        label = lang_map(service.scan.label) if service.scan.label else {"none": [str(n)]}
        body = AnnotationBody(id=f"{service.service_id}/full/max/0/default.jpg", type="Image", format="image/jpeg",
                              width=service.tiles.max_width or service.width,
                              height=service.tiles.max_height or service.height,
                              service=[image_service(service)])
        annotation = Annotation(id=f"{base}/annotation/{n}", motivation="painting", body=body, target=canvas_id)
        canvas = Canvas(id=canvas_id, label=label, width=service.width, height=service.height,
                        thumbnail=[thumbnail(service, 200)],
                        items=[AnnotationPage(id=f"{base}/page/{n}", items=[annotation])])
        size = max(service.tiles.max_width or service.width, service.tiles.max_height or service.height)
        what = (f"画像をダウンロード（{size:,}ピクセル）", f"Download image ({size:,} px)")
        if len(entry.images) > 1:
            name = service.scan.label.ja if service.scan.label else str(n)
            name_en = service.scan.label.en if service.scan.label and service.scan.label.en else str(n)
            what = (f"{what[0][:-1]}、{name}）", f"{what[1][:-1]}, {name_en})")
        canvas.rendering = [download(service, both(*what))]
        downloads.append(download(service, both(*what)))
        if service.scan.gcps:  # georef.py publishes it
            canvas.annotations = [{"id": entry.georeference_id, "type": "AnnotationPage"}]
        if item.start and service.scan.file == item.start:
            manifest.start = {"id": canvas_id, "type": "Canvas"}
        manifest.items.append(canvas)
    manifest.rendering = downloads
    if item.place and item.place.has_coordinates:
        manifest.navPlace = NavPlace(id=f"{base}/feature-collection", type="FeatureCollection", features=[{
            "id": f"{base}/feature/1", "type": "Feature",
            "properties": {"label": lang_map(item.place.name)},
            "geometry": {"type": "Point", "coordinates": [item.place.lon, item.place.lat]},
        }])
    return manifest


def to_json(resource, contexts: list[str] | None = None) -> dict:
    data = json.loads(resource.json())
    data.pop("@context", None)
    context = (contexts or []) + [PRESENTATION_CONTEXT]
    return {"@context": context if len(context) > 1 else context[0], **data}


def item_record(ctx: BuildContext, item) -> dict:
    """The item's record as open data (the shape of a record in data/items.json)."""
    record = item.model_dump(mode="json", exclude_none=True)
    record["url"] = {"ja": ctx.url(f"items/{item.id}/"), "en": ctx.url(f"items/{item.id}/", "en")}
    record["manifest"] = ctx.url(f"iiif/{item.id}/manifest.json")
    return record


def write_manifest(content: Content, ctx: BuildContext, entry, store: ManifestStore) -> str:
    """Publish the item's manifest and its JSON record, linked from the store (.cache/iiif/manifests/),
    where they are kept by their inputs (record, images, authorities, settings, code): only an
    item whose inputs changed has its manifest built again with iiif-prezi3. Returns the
    manifest's fingerprint (discovery.fingerprint)."""
    item = entry.item
    key = hashlib.sha256("\0".join([
        code_digest(), ctx.site_url, ctx.config.site_name, ctx.config.site_name_en, item.model_dump_json(),
        repr(entry.images), content.authorities_key(item)]).encode("utf-8")).hexdigest()[:32]
    cached = store.folder / f"{key}.json"
    record = cached.with_name(f"{key}.record.json")
    store.used.update({cached.name, record.name})
    prints = store.prints
    if not (cached.is_file() and record.is_file()):
        manifest = build_manifest(content, ctx, entry)
        data = to_json(manifest, [NAVPLACE_CONTEXT] if manifest.navPlace else None)
        for canvas in data["items"]:
            for page in canvas.get("annotations", []):
                if page.get("items") == []:  # a reference to georeference.json, not an empty page
                    del page["items"]
        cached.parent.mkdir(parents=True, exist_ok=True)
        for path, value in ((record, item_record(ctx, item)), (cached, data)):
            write_atomic(path, json.dumps(value, ensure_ascii=False, indent=1))
        prints.pop(key, None)
    if key not in prints:
        prints[key] = discovery.fingerprint(cached.read_text(encoding="utf-8"), ctx.site_url)
    for source, site_path in ((cached, entry.manifest_path), (record, record_path(item.id))):
        path = ctx.static / site_path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, path)
        except OSError:
            shutil.copyfile(source, path)
    return prints[key]


FINGERPRINTS = "fingerprints.json"  # in .cache/iiif/manifests/: cache key -> fingerprint


@dataclass
class ManifestStore:
    """The cached manifests (.cache/iiif/manifests/) during one build: the files this build
    published (write_manifest adds them) and each cached manifest's fingerprint, read once a
    build from FINGERPRINTS rather than from every cached manifest."""

    folder: Path
    prints: dict[str, str]  # cache key -> fingerprint
    before: dict[str, str]  # as read, to save only a change
    used: set[str] = field(default_factory=set)  # file names this build published

    @classmethod
    def open(cls, cache: Path) -> ManifestStore:
        folder = cache / "iiif" / "manifests"
        try:
            prints = json.loads((folder / FINGERPRINTS).read_text(encoding="utf-8"))
            prints = prints if isinstance(prints, dict) else {}
        except (OSError, ValueError):
            prints = {}
        return cls(folder, prints, dict(prints))

    def prune(self) -> None:
        """Keep only the cached manifests this build published (and their fingerprints)."""
        folder, used = self.folder, self.used
        Family(folder.parent, folder.name, records=(FINGERPRINTS,)).prune(used)
        prints = {k: v for k, v in self.prints.items() if f"{k}.json" in used}
        if prints != self.before and folder.is_dir():
            write_atomic(folder / FINGERPRINTS, json.dumps(prints, sort_keys=True))
