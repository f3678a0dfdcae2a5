"""Georeferenced map sheets: ground control points in the record become a IIIF Georeference
Extension annotation (what Allmaps reads), referenced from the canvas; bad points are one
clear message naming the record and field, and nothing is published."""
from __future__ import annotations

import json

import pytest
import pyvips

from iiif_repo import mini_repo
from test_content_errors import sitegen, tree_digest

GCPS = """    gcps:
      - {x: 10, y: 20, lat: 35.6852, lon: 139.7528}
      - {x: 590, y: 30, lat: 35.6850, lon: 139.7610}
      - {x: 300, y: 390, lat: 35.6801, lon: 139.7570}
"""


def map_repo(tmp_path, gcps: str = GCPS):
    image = (pyvips.Image.black(600, 400, bands=3) + 150).cast("uchar").copy(interpretation="srgb")
    repo = mini_repo(tmp_path / "repo", {"kiriezu": [("sheet.jpg", image)], "plain": [("p.jpg", image)]}, type_="map")
    record = repo / "archive/kiriezu.yml"
    record.write_text(record.read_text(encoding="utf-8") + gcps, encoding="utf-8")
    return repo


def test_control_points_become_a_georeference_annotation(tmp_path):
    repo = map_repo(tmp_path)
    result = sitegen(repo, "build", "--quiet", "--site-url", "https://example.org/archive/")
    assert result.returncode == 0, result.stderr
    site = repo / "site"
    page = json.loads((site / "iiif/kiriezu/georeference.json").read_text(encoding="utf-8"))
    assert page["@context"][0] == "http://iiif.io/api/extension/georef/1/context.json"
    assert page["id"] == "https://example.org/archive/iiif/kiriezu/georeference.json"
    annotation = page["items"][0]
    assert annotation["motivation"] == "georeferencing"
    source = annotation["target"]["source"]
    assert source["id"] == "https://example.org/archive/iiif/kiriezu/sheet" and source["type"] == "ImageService3"
    assert (source["width"], source["height"]) == (600, 400)
    features = annotation["body"]["features"]
    assert [f["properties"]["resourceCoords"] for f in features] == [[10, 20], [590, 30], [300, 390]]
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [139.7528, 35.6852]}  # GeoJSON: lon, lat
    manifest = json.loads((site / "iiif/kiriezu/manifest.json").read_text(encoding="utf-8"))
    assert manifest["items"][0]["annotations"] == [{"id": page["id"], "type": "AnnotationPage"}]
    assert not (site / "iiif/plain/georeference.json").exists()
    assert "annotations" not in json.loads((site / "iiif/plain/manifest.json").read_text())["items"][0]
    from test_iiif_manifests import assert_valid_documents
    assert_valid_documents(site, manifests=2)
    # The item page links a viewer that overlays the sheet on today's map (a plain link: the
    # page itself loads nothing from that host).
    from urllib.parse import quote
    link = "https://viewer.allmaps.org/?url=" + quote(page["id"], safe="")
    for lang, words in (("", "今の地図と重ねる"), ("en/", "Compare with today")):
        html = (site / f"{lang}items/kiriezu/index.html").read_text(encoding="utf-8")
        assert f'href="{link}"' in html and words in html
        assert "allmaps" not in (site / f"{lang}items/plain/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("gcps,field,words", [
    (GCPS.replace("x: 590", "x: 5900"), "images[0].gcps[1]", "outside the scan"),
    ("    gcps:\n      - {x: 10, y: 20, lat: 35.6, lon: 139.7}\n      - {x: 50, y: 20, lat: 35.7, lon: 139.8}\n",
     "images[0]", "three or more"),
    ("    gcps:\n      - {x: 0, y: 0, lat: 35.6, lon: 139.7}\n      - {x: 10, y: 10, lat: 35.7, lon: 139.8}\n"
     "      - {x: 20, y: 20, lat: 35.8, lon: 139.9}\n", "images[0]", "one line"),
    (GCPS.replace("lat: 35.6852", "lat: 135.6852"), "lat", ""),
])
def test_bad_control_points_are_one_clear_message(tmp_path, gcps, field, words):
    repo = map_repo(tmp_path)
    assert sitegen(repo, "build", "--quiet").returncode == 0
    before = tree_digest(repo / "site")
    record = repo / "archive/kiriezu.yml"
    record.write_text(record.read_text(encoding="utf-8").replace(GCPS, gcps), encoding="utf-8")
    result = sitegen(repo, "build", "--quiet")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "archive/kiriezu.yml" in result.stderr and field in result.stderr, result.stderr
    assert words in result.stderr and "how to fix:" in result.stderr, result.stderr
    assert tree_digest(repo / "site") == before, "the published site is untouched"
    check = sitegen(repo, "check")  # before any build: from the scan's header
    assert check.returncode == 1 and field in check.stderr and words in check.stderr, check.stderr
