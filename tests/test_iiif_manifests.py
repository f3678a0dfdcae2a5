"""Manifests and collections of the sample site: valid IIIF Presentation 3 (the shared JSON
schema), bilingual, with the fields IIIF viewers and aggregators read."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

SCHEMA = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas" / "iiif_presentation_3.json"


def documents(out: Path) -> list[Path]:
    return sorted(out.glob("iiif/*/manifest.json")) + sorted(out.glob("iiif/**/collection.json"))


def assert_valid_documents(out: Path, manifests: int) -> list[Path]:
    """Every manifest and collection validates against the shared Presentation 3 schema and
    parses as iiif-prezi3's model of its type."""
    from iiif_prezi3 import Collection, Manifest

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    docs = documents(out)
    assert len([d for d in docs if d.name == "manifest.json"]) == manifests
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        errors = [e.message for e in validator.iter_errors(json.loads(text))]
        assert not errors, f"{doc.relative_to(out)}: {errors[:3]}"
        (Manifest if doc.name == "manifest.json" else Collection).model_validate_json(text)
    return docs


def test_every_manifest_and_collection_validates(sample_site):
    _, out = sample_site
    docs = assert_valid_documents(out, manifests=4)
    assert {d.relative_to(out).as_posix() for d in docs} >= {
        "iiif/collection.json", "iiif/types/map/collection.json", "iiif/types/ukiyo-e/collection.json",
        "iiif/series/fugaku36/collection.json"}


def test_manifest_fields(sample_site):
    server, out = sample_site
    m = json.loads((out / "iiif/kanda-myojin-hikifuda/manifest.json").read_text(encoding="utf-8"))
    assert m["id"] == server.url + "iiif/kanda-myojin-hikifuda/manifest.json"
    assert m["label"]["ja"] == ["神田明神祭礼の引札（見本）"]
    assert [c["label"] for c in m["items"]] == [{"ja": ["表"], "en": ["Front"]}, {"ja": ["裏"], "en": ["Back"]}]
    for n, canvas in enumerate(m["items"]):
        info = json.loads((out / f"iiif/kanda-myojin-hikifuda/{['front', 'back'][n]}/info.json").read_text())
        assert (canvas["width"], canvas["height"]) == (info["width"], info["height"])
        body = canvas["items"][0]["items"][0]["body"]
        assert body["service"][0]["id"] == info["id"] and body["service"][0]["type"] == "ImageService3"
        assert canvas["items"][0]["items"][0]["target"] == canvas["id"]
    assert m["rights"].startswith("http://rightsstatements.org/")
    assert m["requiredStatement"]["label"]["en"] == ["Attribution"]
    assert m["provider"][0]["type"] == "Agent"
    assert m["summary"]["ja"]
    assert {h["id"] for h in m["homepage"]} == {server.url + "items/kanda-myojin-hikifuda/",
                                                server.url + "en/items/kanda-myojin-hikifuda/"}
    thumb = m["thumbnail"][0]
    assert thumb["service"][0]["profile"] == "level0"
    assert (out / thumb["id"][len(server.url):]).is_file()
    labels = {entry["label"]["en"][0] for entry in m["metadata"]}
    assert {"Type", "Date", "Place", "Subjects"} <= labels
    # navPlace with its JSON-LD context, coordinates as GeoJSON (lon, lat)
    assert m["@context"] == ["http://iiif.io/api/extension/navplace/context.json",
                             "http://iiif.io/api/presentation/3/context.json"]
    point = m["navPlace"]["features"][0]["geometry"]
    assert point == {"type": "Point", "coordinates": [139.7679, 35.702]}


def test_collections_list_items_by_type_and_series(sample_site):
    server, out = sample_site
    top = json.loads((out / "iiif/collection.json").read_text(encoding="utf-8"))
    manifests = [i["id"] for i in top["items"] if i["type"] == "Manifest"]
    assert len(manifests) == 4
    subs = {i["id"] for i in top["items"] if i["type"] == "Collection"}
    assert server.url + "iiif/types/map/collection.json" in subs
    assert server.url + "iiif/series/fugaku36/collection.json" in subs
    series = json.loads((out / "iiif/series/fugaku36/collection.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in series["items"]] == [server.url + "iiif/hokusai-kanagawa-oki-nami-ura/manifest.json"]
    from generator.content import load_content
    authority = load_content(Path(__file__).resolve().parent.parent).series.get("fugaku36")
    assert series["label"]["ja"] == [authority.title.ja if authority else "fugaku36"]
    for ref in top["items"]:
        assert (out / ref["id"][len(server.url):]).is_file(), ref["id"]


def test_manifests_are_built_offline(tmp_path, monkeypatch):
    """No network during the build (iiif-prezi3's *_from_iiif helpers would fetch info.json)."""
    import datetime as dt
    import socket

    import pyvips

    from generator.pipeline import build
    from iiif_repo import mini_repo

    def refuse(*args, **kwargs):
        raise AssertionError(f"the build opened a network connection: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    image = (pyvips.Image.black(600, 400, bands=3) + [120, 80, 40]).cast("uchar").copy(interpretation="srgb")
    repo = mini_repo(tmp_path / "repo", {"offline": [("a.jpg", image)]})
    build(repo, out=tmp_path / "site", site_url="https://example.org/archive/", today=dt.date(2026, 11, 20),
          progress=False)
    m = json.loads((tmp_path / "site/iiif/offline/manifest.json").read_text(encoding="utf-8"))
    assert m["items"][0]["width"] == 600
    assert m["items"][0]["items"][0]["items"][0]["body"]["service"][0]["id"] == \
        "https://example.org/archive/iiif/offline/a"
