"""One item's IIIF manifest as a function of its record and its scans' sizes, without a build.

Each test reads a small record with the YAML loader and the Item model, describes its scans
as tiling would (sizes only: no scan is tiled) and publishes the manifest with
manifests.write_manifest into tmp_path, as the IIIF step does. Every manifest made here is
checked against the shared IIIF Presentation 3 JSON schema and iiif-prezi3's model. What
the sample site's manifests hold after a real build is in test_iiif_manifests.py.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import jsonschema
import pytest
from iiif_prezi3 import Manifest

from generator.config import SiteConfig, Ward
from generator.content import Content
from generator.context import BuildContext
from generator.iiif import manifests
from generator.iiif.derive import ImageService, ItemImages, image_ids
from generator.iiif.tiles import TileSet, TileSettings
from generator.models.archive import Item
from generator.models.authorities import Series
from generator.yamlfile import parse_yaml

SCHEMA = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas" / "iiif_presentation_3.json"
SITE = "https://example.org/archive/"  # a site in a folder: every address keeps it

PRINT = """\
id: kanagawa
type: ukiyo-e
title: {ja: 神奈川沖浪裏, en: Under the Wave off Kanagawa}
series: fugaku36
creators:
  - {name: 葛飾北斎, role: artist}
date: 天保2年頃
place: {name: {ja: 神奈川沖, en: Off Kanagawa}, lat: 35.45, lon: 139.65}
dimensions: {height_cm: 25.7, width_cm: 37.9}
subjects: [波, 富士山]
rights: https://creativecommons.org/publicdomain/mark/1.0/
source: {institution: {ja: 千代田区立図書館, en: Chiyoda Public Library}}
images:
  - file: print.jpg
"""


def tiles(width: int, height: int, settings: TileSettings = TileSettings()) -> TileSet:
    """What tiling records of a scan of this size: full/max capped at settings.max_size, and
    the pages' copies smaller than it."""
    scale = min(1.0, settings.max_size / max(width, height))
    biggest = (round(width * scale), round(height * scale))
    copies = []
    for long_side in settings.copies:
        if long_side < max(biggest):
            s = long_side / max(width, height)
            copies.append((max(1, round(width * s)), max(1, round(height * s))))
    capped = biggest != (width, height)
    if capped:
        copies.append(biggest)
    return TileSet(folder=Path("/nonexistent"), width=width, height=height, scale_factors=[1], tile=settings.tile,
                   sizes=[], copies=copies, max_width=biggest[0] if capped else None,
                   max_height=biggest[1] if capped else None)


def item(record: str) -> Item:
    data, _ = parse_yaml(record, "archive/x.yml")
    return Item.model_validate(data)


def published(tmp_path: Path, record: str, sizes: dict[str, tuple[int, int]] | None = None,
              series: dict[str, Series] | None = None, georeference: str = "") -> dict:
    """The manifest published for the record (scans 6000 x 4000 px unless sizes says), checked
    against the Presentation 3 schema and iiif-prezi3's model."""
    it = item(record)
    config = SiteConfig(root=tmp_path, site_name="千代田区デジタルアーカイブ", site_name_en="Chiyoda Digital Archive",
                        site_url=SITE, description="", description_en="", copyright="", ward=Ward())
    ctx = BuildContext(root=tmp_path, config=config, site_url=SITE, work=tmp_path / "work", cache=tmp_path / ".cache",
                       today=dt.date(2026, 11, 20), progress=False)
    content = Content(root=tmp_path, items=[it], series=series or {})
    entry = ItemImages(item=it, manifest_path=f"iiif/{it.id}/manifest.json", georeference_id=georeference)
    entry.manifest_id = ctx.url(entry.manifest_path)
    for scan, image_id in zip(it.images, image_ids(it)):
        path = f"iiif/{it.id}/{image_id}"
        entry.images.append(ImageService(scan=scan, image_id=image_id, path=path, service_id=ctx.url(path),
                                         tiles=tiles(*(sizes or {}).get(scan.file, (6000, 4000)))))
    manifests.write_manifest(content, ctx, entry, manifests.ManifestStore.open(ctx.cache))
    text = (ctx.static / entry.manifest_path).read_text(encoding="utf-8")
    data = json.loads(text)
    if SCHEMA.exists():
        errors = [e.message for e in schema_validator().iter_errors(data)]
        assert not errors, errors[:3]
    Manifest.model_validate_json(text)
    return data


@functools.lru_cache(maxsize=1)
def schema_validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def body(canvas: dict) -> dict:
    return canvas["items"][0]["items"][0]["body"]


def test_the_shared_schema_is_there_to_judge_the_manifests():
    # The schema lives beside the repository (../shared/schemas/); without it the other tests
    # here check iiif-prezi3's model only.
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} is not on this machine")
    assert json.loads(SCHEMA.read_text(encoding="utf-8"))["$schema"].startswith("http://json-schema.org/")


# --- labels and statements ------------------------------------------------------------------------
def test_the_label_is_the_title_in_japanese_and_english(tmp_path):
    m = published(tmp_path, PRINT)
    assert m["label"] == {"ja": ["神奈川沖浪裏"], "en": ["Under the Wave off Kanagawa"]}
    assert m["homepage"] == [
        {"id": SITE + "items/kanagawa/", "type": "Text", "format": "text/html", "language": ["ja"],
         "label": {"ja": ["神奈川沖浪裏"]}},
        {"id": SITE + "en/items/kanagawa/", "type": "Text", "format": "text/html", "language": ["en"],
         "label": {"en": ["Under the Wave off Kanagawa"]}}]


def test_a_title_without_english_is_never_japanese_tagged_english(tmp_path):
    m = published(tmp_path, PRINT.replace("title: {ja: 神奈川沖浪裏, en: Under the Wave off Kanagawa}",
                                          "title: {ja: 神奈川沖浪裏}"))
    assert m["label"] == {"ja": ["神奈川沖浪裏"]}
    assert m["homepage"][1]["id"] == SITE + "en/items/kanagawa/" and m["homepage"][1]["label"] == {"ja": ["神奈川沖浪裏"]}


def test_metadata_names_each_field_in_both_languages(tmp_path):
    m = published(tmp_path, PRINT, series={"fugaku36": Series(id="fugaku36", title={"ja": "冨嶽三十六景",
                                                                                    "en": "Thirty-six Views of Mount Fuji"})})
    fields = {entry["label"]["en"][0]: entry["value"] for entry in m["metadata"]}
    assert list(fields) == ["Type", "Artist", "Series", "Date", "Place", "Dimensions", "Subjects"]
    assert fields["Type"] == {"ja": ["浮世絵"], "en": ["Ukiyo-e print"]}
    assert fields["Artist"] == {"ja": ["葛飾北斎"]}
    assert fields["Series"] == {"ja": ["冨嶽三十六景"], "en": ["Thirty-six Views of Mount Fuji"]}
    assert fields["Date"] == {"ja": ["天保2年頃"], "en": ["c. 1831 (Tenpō 2)"]}
    assert fields["Dimensions"] == {"none": ["25.7 × 37.9 cm"]}
    assert fields["Subjects"] == {"ja": ["波、富士山"]}
    assert {"label": {"ja": ["種類"], "en": ["Type"]}, "value": fields["Type"]} in m["metadata"]


@pytest.mark.parametrize("written, rights", [
    ("https://creativecommons.org/publicdomain/mark/1.0/", "http://creativecommons.org/publicdomain/mark/1.0/"),
    ("CC BY 4.0", "http://creativecommons.org/licenses/by/4.0/"),
    ("https://rightsstatements.org/vocab/NoC-NC/1.0/", "http://rightsstatements.org/vocab/NoC-NC/1.0/"),
])
def test_rights_are_the_canonical_uri_iiif_asks_for(tmp_path, written, rights):
    m = published(tmp_path, PRINT.replace("https://creativecommons.org/publicdomain/mark/1.0/", written))
    assert m["rights"] == rights


@pytest.mark.parametrize("source, attribution", [
    ("source: {institution: {ja: 千代田区立図書館, en: Chiyoda Public Library}, credit: {ja: 千代田区立図書館所蔵}}",
     {"ja": ["千代田区立図書館所蔵"]}),
    ("source: {institution: {ja: 千代田区立図書館, en: Chiyoda Public Library}}",
     {"ja": ["千代田区立図書館"], "en": ["Chiyoda Public Library"]}),
    ("", {"ja": ["千代田区デジタルアーカイブ"], "en": ["Chiyoda Digital Archive"]}),
])
def test_the_attribution_is_the_credit_else_the_institution_else_the_site(tmp_path, source, attribution):
    m = published(tmp_path, PRINT.replace("source: {institution: {ja: 千代田区立図書館, en: Chiyoda Public Library}}",
                                          source))
    assert m["requiredStatement"] == {"label": {"ja": ["出典"], "en": ["Attribution"]}, "value": attribution}
    assert m["provider"][0]["label"] == {"ja": ["千代田区デジタルアーカイブ"], "en": ["Chiyoda Digital Archive"]}
    assert m["provider"][0]["id"] == SITE


# --- canvases -------------------------------------------------------------------------------------
def test_a_canvas_has_the_scan_s_full_size_and_a_download_capped_for_phones(tmp_path):
    m = published(tmp_path, PRINT, sizes={"print.jpg": (6000, 4000)})
    (canvas,) = m["items"]
    service = SITE + "iiif/kanagawa/print"
    assert (canvas["id"], canvas["width"], canvas["height"]) == (SITE + "iiif/kanagawa/canvas/1", 6000, 4000)
    assert body(canvas) == {"id": service + "/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg",
                            "width": 2048, "height": 1365,
                            "service": [{"id": service, "type": "ImageService3", "profile": "level0"}]}
    assert canvas["items"][0]["items"][0]["target"] == canvas["id"]
    assert canvas["items"][0]["items"][0]["motivation"] == "painting"
    assert canvas["label"] == {"none": ["1"]}
    assert canvas["thumbnail"][0]["id"] == service + "/full/200,133/0/default.jpg"
    assert m["rendering"] == canvas["rendering"] == [
        {"id": service + "/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg",
         "label": {"ja": ["画像をダウンロード（2,048ピクセル）"], "en": ["Download image (2,048 px)"]}}]


def test_a_scan_smaller_than_the_cap_is_offered_at_its_own_size(tmp_path):
    m = published(tmp_path, PRINT, sizes={"print.jpg": (300, 200)})
    (canvas,) = m["items"]
    assert (canvas["width"], canvas["height"]) == (300, 200)
    assert (body(canvas)["width"], body(canvas)["height"]) == (300, 200)
    assert m["rendering"][0]["label"]["en"] == ["Download image (300 px)"]
    # No 400 px copy of a 300 px scan: the thumbnail is the image itself.
    assert m["thumbnail"][0]["id"] == SITE + "iiif/kanagawa/print/full/max/0/default.jpg"
    assert (m["thumbnail"][0]["width"], m["thumbnail"][0]["height"]) == (300, 200)


def test_the_thumbnail_is_a_published_copy_with_its_service(tmp_path):
    m = published(tmp_path, PRINT, sizes={"print.jpg": (2400, 1640)})
    (thumb,) = m["thumbnail"]
    assert thumb == {"id": SITE + "iiif/kanagawa/print/full/400,273/0/default.jpg", "type": "Image",
                     "format": "image/jpeg", "width": 400, "height": 273,
                     "service": [{"id": SITE + "iiif/kanagawa/print", "type": "ImageService3", "profile": "level0"}]}


TWO_SIDES = PRINT.replace("  - file: print.jpg\n", """\
  - file: front.jpg
    label: {ja: 表, en: Front}
  - file: back.jpg
    label: {ja: 裏}
""")


def test_each_scan_is_a_canvas_in_the_record_s_order_with_its_own_label_and_size(tmp_path):
    m = published(tmp_path, TWO_SIDES, sizes={"front.jpg": (1200, 1800), "back.jpg": (1100, 1700)})
    assert [(c["label"], c["width"], c["height"]) for c in m["items"]] == [
        ({"ja": ["表"], "en": ["Front"]}, 1200, 1800), ({"ja": ["裏"]}, 1100, 1700)]
    assert [body(c)["service"][0]["id"] for c in m["items"]] == [SITE + "iiif/kanagawa/front",
                                                                 SITE + "iiif/kanagawa/back"]
    assert [c["id"] for c in m["items"]] == [SITE + "iiif/kanagawa/canvas/1", SITE + "iiif/kanagawa/canvas/2"]
    assert [d["label"]["en"][0] for d in m["rendering"]] == ["Download image (1,800 px, Front)",
                                                             "Download image (1,700 px, 2)"]
    assert m["rendering"][1]["label"]["ja"] == ["画像をダウンロード（1,700ピクセル、裏）"]
    assert m["thumbnail"][0]["service"][0]["id"] == SITE + "iiif/kanagawa/front"  # the first scan
    assert "start" not in m


# --- how viewers show it --------------------------------------------------------------------------
PAGES = "images:\n  - file: p1.jpg\n  - file: p2.jpg\n  - file: p3.jpg\n"


@pytest.mark.parametrize("type_, more, behavior, direction", [
    ("ukiyo-e", "", "individuals", "left-to-right"),
    ("map", "", "individuals", "left-to-right"),
    ("book", "", "paged", "right-to-left"),  # a Japanese book: pages turned from the right
    ("book", "viewing_direction: left-to-right\n", "paged", "left-to-right"),
    ("document", "behavior: continuous\n", "continuous", "right-to-left"),  # a scroll
    ("document", "behavior: paged\n", "paged", "right-to-left"),
])
def test_behavior_and_reading_direction(tmp_path, type_, more, behavior, direction):
    record = PRINT.replace("type: ukiyo-e", f"type: {type_}").replace("images:\n  - file: print.jpg\n", PAGES) + more
    m = published(tmp_path, record)
    assert (m["behavior"], m["viewingDirection"]) == ([behavior], direction)
    assert len(m["items"]) == 3


def test_a_book_opens_at_the_page_the_record_names(tmp_path):
    record = PRINT.replace("type: ukiyo-e", "type: book").replace("images:\n  - file: print.jpg\n", PAGES)
    m = published(tmp_path, record + "start: p2.jpg\n")
    assert m["start"] == {"id": SITE + "iiif/kanagawa/canvas/2", "type": "Canvas"}


@pytest.mark.parametrize("date, nav_date", [
    ("date: 天保2年頃", "1831-01-01T00:00:00+09:00"),
    ("date: 1857", "1857-01-01T00:00:00+09:00"),
    ("date: 文化年間", "1804-01-01T00:00:00+09:00"),  # a range: its first year
    ("date: 不明", None),  # unreadable: no date rather than a guess
    ("date: {text: 紀元前1世紀, start: -100, end: -1}", None),  # before year 1: not an xsd:dateTime
    ("", None),
])
def test_nav_date_is_the_first_year_in_japan_time(tmp_path, date, nav_date):
    m = published(tmp_path, PRINT.replace("date: 天保2年頃", date))
    assert m.get("navDate") == nav_date


# --- where it points ------------------------------------------------------------------------------
def test_every_address_is_under_the_site_s_url(tmp_path):
    m = published(tmp_path, PRINT)
    assert m["id"] == SITE + "iiif/kanagawa/manifest.json"
    assert [(p["id"], p["type"]) for p in m["partOf"]] == [
        (SITE + "iiif/collection.json", "Collection"), (SITE + "iiif/types/ukiyo-e/collection.json", "Collection"),
        (SITE + "iiif/series/fugaku36/collection.json", "Collection")]
    assert m["partOf"][2]["label"] == {"none": ["fugaku36"]}  # a series the authority does not know: its id
    assert [(s["id"], s["format"]) for s in m["seeAlso"]] == [
        (SITE + "data/items/kanagawa.json", "application/json"), (SITE + "data/bunkazai.csv", "text/csv")]
    urls = [v for v in _strings(m) if v.startswith("http")]
    assert all(u.startswith(SITE) or u.startswith(("http://iiif.io/", "http://creativecommons.org/")) for u in urls), \
        [u for u in urls if not u.startswith(SITE)]


def test_an_item_without_a_series_is_part_of_the_top_and_type_collections_only(tmp_path):
    m = published(tmp_path, PRINT.replace("series: fugaku36\n", "").replace("type: ukiyo-e", "type: map"))
    assert [p["id"] for p in m["partOf"]] == [SITE + "iiif/collection.json", SITE + "iiif/types/map/collection.json"]
    assert m["partOf"][1]["label"] == {"ja": ["地図"], "en": ["Map"]}


def test_the_item_s_json_record_is_published_beside_it_and_names_the_manifest(tmp_path):
    published(tmp_path, PRINT)
    record = json.loads((tmp_path / "work/static/data/items/kanagawa.json").read_text(encoding="utf-8"))
    assert record["id"] == "kanagawa" and record["manifest"] == SITE + "iiif/kanagawa/manifest.json"
    assert record["url"] == {"ja": SITE + "items/kanagawa/", "en": SITE + "en/items/kanagawa/"}


def test_a_place_with_coordinates_is_a_nav_place_point_in_lon_lat_order(tmp_path):
    m = published(tmp_path, PRINT)
    assert m["@context"] == ["http://iiif.io/api/extension/navplace/context.json",
                             "http://iiif.io/api/presentation/3/context.json"]
    (feature,) = m["navPlace"]["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [139.65, 35.45]}
    assert feature["properties"]["label"] == {"ja": ["神奈川沖"], "en": ["Off Kanagawa"]}
    m = published(tmp_path / "no-coordinates", PRINT.replace(", lat: 35.45, lon: 139.65", ""))
    assert "navPlace" not in m and m["@context"] == "http://iiif.io/api/presentation/3/context.json"


def test_a_georeferenced_sheet_links_its_annotation_page(tmp_path):
    sheet = PRINT.replace("type: ukiyo-e", "type: map").replace("  - file: print.jpg\n", """\
  - file: sheet.jpg
    gcps:
      - {x: 120, y: 80, lat: 35.6852, lon: 139.7528}
      - {x: 5900, y: 140, lat: 35.6850, lon: 139.7610}
      - {x: 3000, y: 3900, lat: 35.6801, lon: 139.7570}
""")
    georeference = SITE + "iiif/kanagawa/georeference.json"
    m = published(tmp_path, sheet, georeference=georeference)
    assert m["items"][0]["annotations"] == [{"id": georeference, "type": "AnnotationPage"}]
    m = published(tmp_path / "plain", PRINT)
    assert "annotations" not in m["items"][0]


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node
