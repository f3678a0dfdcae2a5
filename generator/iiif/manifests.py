"""One IIIF Presentation 3 manifest per item, built offline with iiif-prezi3.

Everything comes from the record and the local tile sets: the *_from_iiif helpers would
fetch info.json over HTTP, which a build must never do.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil

from iiif_prezi3 import (Annotation, AnnotationBody, AnnotationPage, Canvas, KeyValueString, Manifest,
                         NavPlace, Provider, ServiceV3)

from ..content import Content
from ..context import BuildContext, code_digest
from ..models.archive import ROLE_LABELS, TYPE_LABELS
from .labels import both, lang_map, series_title

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
    w, h = service.size_of(long_side)
    return {"id": f"{service.service_id}/full/{w},{h}/0/default.jpg" if (w, h) != (service.width, service.height)
            else f"{service.service_id}/full/max/0/default.jpg",
            "type": "Image", "format": "image/jpeg", "width": w, "height": h,
            "service": [{"id": service.service_id, "type": "ImageService3", "profile": "level0"}]}


def metadata(content: Content, item) -> list[KeyValueString]:
    pairs = [(both("種類", "Type"), lang_map(TYPE_LABELS[item.type]))]
    for creator in item.creators:
        role = ROLE_LABELS[creator.role]
        pairs.append((lang_map(role), lang_map(creator.name) if creator.name else {"none": [creator.id]}))
    if item.series:
        pairs.append((both("シリーズ", "Series"), lang_map(series_title(content, item.series))))
    if item.date:
        pairs.append((both("年代", "Date"), {"ja": [item.date.text]}))
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


def build_manifest(content: Content, ctx: BuildContext, entry) -> Manifest:
    item = entry.item
    base = ctx.url(f"iiif/{item.id}")
    title = lang_map((item.title.ja, item.title.en))
    manifest = Manifest(id=entry.manifest_id, label=title, metadata=metadata(content, item), rights=iiif_rights(item.rights),
                        items=[])
    if item.description:
        manifest.summary = lang_map(item.description)
    institution = item.source.institution if item.source else None
    credit = (item.source.credit if item.source and item.source.credit else institution)
    manifest.requiredStatement = KeyValueString(
        label=both("出典", "Attribution"),
        value=lang_map(credit) if credit else both(ctx.config.site_name, ctx.config.site_name_en))
    manifest.provider = [Provider(id=ctx.url(""), type="Agent",
                                  label=both(ctx.config.site_name, ctx.config.site_name_en),
                                  homepage=[{"id": ctx.url(""), "type": "Text", "format": "text/html",
                                             "label": both(ctx.config.site_name, ctx.config.site_name_en)}])]
    manifest.homepage = [
        {"id": ctx.url(f"items/{item.id}/"), "type": "Text", "format": "text/html", "language": ["ja"],
         "label": {"ja": [item.title.ja]}},
        {"id": ctx.url(f"items/{item.id}/", "en"), "type": "Text", "format": "text/html", "language": ["en"],
         "label": {"en": [item.title.en or item.title.ja]}},
    ]
    manifest.thumbnail = [thumbnail(entry.images[0])]
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
        manifest.items.append(canvas)
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


def write_manifest(content: Content, ctx: BuildContext, entry) -> None:
    """Publish the item's manifest. Building one with iiif-prezi3 takes milliseconds, and an
    archive of scanned items has thousands: one made from the same inputs (record, images,
    authorities, settings, code) is linked from .cache/iiif/manifests/ instead."""
    item = entry.item
    key = hashlib.sha256("\0".join([
        code_digest(), ctx.site_url, ctx.config.site_name, ctx.config.site_name_en, item.model_dump_json(),
        repr(entry.images), content.authorities_key(item)]).encode("utf-8")).hexdigest()[:32]
    cached = ctx.cache / "iiif" / "manifests" / f"{key}.json"
    ctx.derived.setdefault("iiif-manifest-keys", set()).add(cached.name)
    if not cached.is_file():
        manifest = build_manifest(content, ctx, entry)
        data = to_json(manifest, [NAVPLACE_CONTEXT] if manifest.navPlace else None)
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, cached)
    path = ctx.static / entry.manifest_path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(cached, path)
    except OSError:
        shutil.copyfile(cached, path)


def prune_manifests(ctx: BuildContext) -> None:
    """Keep only the cached manifests this build published."""
    folder = ctx.cache / "iiif" / "manifests"
    used = ctx.derived.pop("iiif-manifest-keys", set())
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name not in used and not path.name.startswith("."):
                path.unlink(missing_ok=True)
