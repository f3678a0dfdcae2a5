"""Georeferenced map sheets: a scan whose record gives ground control points (gcps: a pixel
and where it is today) gets a IIIF Georeference Extension annotation, the format Allmaps
reads, published as iiif/<item>/georeference.json and referenced from its canvas.

The item page links to a viewer that overlays the sheet on today's map from that URL; the
site itself loads nothing from that viewer's host."""
from __future__ import annotations

import json
from urllib.parse import quote

from ..context import BuildContext
from ..errors import Problem, Text

GEOREF_CONTEXT = "http://iiif.io/api/extension/georef/1/context.json"
# A viewer that takes a Georeference Annotation's URL (the item page's outbound link).
OVERLAY_VIEWER = "https://viewer.allmaps.org/?url="


def path(item_id: str) -> str:
    return f"iiif/{item_id}/georeference.json"


def outside(scan, index: int, width: int, height: int, record: str) -> list[Problem]:
    """Control points of images[index] that lie outside its width x height pixels."""
    found = []
    for j, point in enumerate(scan.gcps or []):
        if point.x > width or point.y > height:
            found.append(Problem(record, Text(
                f"基準点 {j + 1} の位置（x: {point.x:g}, y: {point.y:g}）が画像の外です"
                f"（画像は {width}×{height} ピクセル）。",
                f"control point {j + 1} (x: {point.x:g}, y: {point.y:g}) is outside the scan ({width} × {height} px)."),
                Text("x は左端から、y は上端からのピクセル数で、画像の幅・高さまでの値にしてください。",
                     "x counts pixels from the left edge and y from the top, up to the scan's width and height."),
                field=f"images[{index}].gcps[{j}]"))
    return found


def problems(entry, record: str) -> list[Problem]:
    """Control points outside their published scan."""
    files = [scan.file for scan in entry.item.images]
    return [p for service in entry.images
            for p in outside(service.scan, files.index(service.scan.file), service.width, service.height, record)]


def annotation_page(ctx: BuildContext, entry) -> dict | None:
    """The item's georeference annotations (one per scan with control points), or None."""
    items = []
    for n, service in enumerate(entry.images, 1):
        points = service.scan.gcps
        if not points:
            continue
        w, h = service.width, service.height
        canvas = ctx.url(f"iiif/{entry.item.id}/canvas/{n}")
        items.append({
            "id": ctx.url(f"iiif/{entry.item.id}/georeference/{n}"),
            "type": "Annotation",
            "motivation": "georeferencing",
            "target": {
                "type": "SpecificResource",
                "source": {"id": service.service_id, "type": "ImageService3", "width": w, "height": h,
                           "partOf": [{"id": canvas, "type": "Canvas",
                                       "partOf": [{"id": entry.manifest_id, "type": "Manifest"}]}]},
                "selector": {"type": "SvgSelector",
                             "value": f'<svg width="{w}" height="{h}"><polygon points="0,0 {w},0 {w},{h} 0,{h}" /></svg>'},
            },
            "body": {
                "type": "FeatureCollection",
                "transformation": {"type": "polynomial", "options": {"order": 1}},
                "features": [{"type": "Feature", "properties": {"resourceCoords": [p.x, p.y]},
                              "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]}} for p in points],
            },
        })
    if not items:
        return None
    return {"@context": [GEOREF_CONTEXT, "http://iiif.io/api/presentation/3/context.json"],
            "id": ctx.url(path(entry.item.id)), "type": "AnnotationPage", "items": items}


def write(ctx: BuildContext, entry) -> str | None:
    """Publish the item's georeference annotations; returns their URL (None: no control points)."""
    page = annotation_page(ctx, entry)
    if page is None:
        return None
    target = ctx.static / path(entry.item.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(page, ensure_ascii=False, indent=1), encoding="utf-8")
    return page["id"]


def overlay_link(annotation_url: str) -> str:
    """The outbound link that opens the sheet over today's map."""
    return OVERLAY_VIEWER + quote(annotation_url, safe="")
