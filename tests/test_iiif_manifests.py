"""Manifests and collections of the sample site: valid IIIF Presentation 3 (the shared JSON
schema), bilingual, with the fields IIIF viewers and aggregators read."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema

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


def _site_file(server, out: Path, url: str) -> Path:
    assert url.startswith(server.url), url
    return out / url[len(server.url):]


def test_manifest_links_its_collections_records_and_downloads(sample_site):
    server, out = sample_site
    m = json.loads((out / "iiif/hokusai-kanagawa-oki-nami-ura/manifest.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in m["partOf"]] == [server.url + "iiif/collection.json",
                                              server.url + "iiif/types/ukiyo-e/collection.json",
                                              server.url + "iiif/series/fugaku36/collection.json"]
    for ref in m["partOf"]:
        collection = json.loads(_site_file(server, out, ref["id"]).read_text(encoding="utf-8"))
        assert m["id"] in [i["id"] for i in collection["items"]], ref["id"]
    record, table = m["seeAlso"]
    assert record["format"] == "application/json" and table["format"] == "text/csv"
    data = json.loads(_site_file(server, out, record["id"]).read_text(encoding="utf-8"))
    assert data["id"] == "hokusai-kanagawa-oki-nami-ura" and data["manifest"] == m["id"]
    assert _site_file(server, out, table["id"]).is_file()
    assert m["navDate"] == "1831-01-01T00:00:00+09:00"
    assert m["behavior"] == ["individuals"] and m["viewingDirection"] == "left-to-right"
    assert "start" not in m
    for download in m["rendering"] + m["items"][0]["rendering"]:
        assert download["format"] == "image/jpeg" and _site_file(server, out, download["id"]).is_file()
    assert m["rendering"][0]["label"]["en"] == ["Download image (2,048 px)"]
    for canvas in m["items"]:
        assert _site_file(server, out, canvas["thumbnail"][0]["id"]).is_file()


def test_collections_carry_attribution_rights_provider_and_thumbnail(sample_site):
    server, out = sample_site
    for path in sorted(out.glob("iiif/**/collection.json")):
        c = json.loads(path.read_text(encoding="utf-8"))
        assert c["requiredStatement"]["label"]["en"] == ["Attribution"], path  # Mirador 3 fails without it
        assert c["provider"][0]["type"] == "Agent"
        assert _site_file(server, out, c["thumbnail"][0]["id"]).is_file()
        manifests = [json.loads(_site_file(server, out, i["id"]).read_text(encoding="utf-8"))
                     for i in c["items"] if i["type"] == "Manifest"]
        rights = {m["rights"] for m in manifests}
        if len(rights) == 1:
            assert c["rights"] == rights.pop(), path
        else:
            assert "rights" not in c
            summary = c["metadata"][0]["value"]["en"][0]
            assert all(r in summary for r in rights), summary
    series = json.loads((out / "iiif/series/fugaku36/collection.json").read_text(encoding="utf-8"))
    assert series["partOf"][0]["id"] == server.url + "iiif/collection.json"


KANA = __import__("re").compile("[\u3040-\u30ff]")


def language_maps(node):
    if isinstance(node, dict):
        if node and all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in node.values()) \
                and set(node) <= {"ja", "en", "none"}:
            yield node
        for value in node.values():
            yield from language_maps(value)
    elif isinstance(node, list):
        for value in node:
            yield from language_maps(value)


def test_english_is_english_and_labels_are_cased(tmp_path):
    """An item without an English title: its labels are tagged ja, never Japanese tagged en;
    field names read 'Artist', not 'artist'; a series known only in Japanese is tagged ja."""
    import datetime as dt

    import pyvips

    from generator.pipeline import build
    from iiif_repo import mini_repo

    image = (pyvips.Image.black(600, 400, bands=3) + 60).cast("uchar").copy(interpretation="srgb")
    repo = mini_repo(tmp_path / "repo", {"only-japanese": [("a.jpg", image)]})
    (repo / "archive/only-japanese.yml").write_text("""id: only-japanese
type: ukiyo-e
title:
  ja: 英語の題がない資料
series: edo-meisho-zue
creators:
  - name: 歌川広重
    role: artist
date: {text: 安政4年}
rights: https://creativecommons.org/publicdomain/mark/1.0/
images:
  - file: a.jpg
""", encoding="utf-8")
    (repo / "archive/series.yml").write_text("- id: edo-meisho-zue\n  title: {ja: 江戸名所図会}\n", encoding="utf-8")
    build(repo, out=tmp_path / "site", site_url="https://example.org/", today=dt.date(2026, 11, 20), progress=False)
    m = json.loads((tmp_path / "site/iiif/only-japanese/manifest.json").read_text(encoding="utf-8"))
    assert m["label"] == {"ja": ["英語の題がない資料"]}
    assert m["homepage"][1]["label"] == {"ja": ["英語の題がない資料"]}
    assert {"label": {"ja": ["絵師"], "en": ["Artist"]}, "value": {"ja": ["歌川広重"]}} in m["metadata"]
    assert m["partOf"][-1]["label"] == {"ja": ["江戸名所図会"]}
    assert m["navDate"] == "1857-01-01T00:00:00+09:00"
    docs = [m] + [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "site").glob("iiif/**/collection.json")]
    for doc in docs:
        for lang_map in language_maps(doc):
            for text in lang_map.get("en", []):
                assert not KANA.search(text), f"Japanese tagged en: {text}"


def test_books_and_scrolls_read_right_to_left_and_start_where_the_record_says(tmp_path):
    import datetime as dt

    import pyvips

    from generator.pipeline import build
    from iiif_repo import mini_repo

    page = (pyvips.Image.black(400, 600, bands=3) + 200).cast("uchar").copy(interpretation="srgb")
    repo = mini_repo(tmp_path / "repo", {"ehon": [("p1.jpg", page), ("p2.jpg", page), ("p3.jpg", page)],
                                         "emaki": [("s1.jpg", page)], "western": [("w1.jpg", page)]}, type_="book")
    record = (repo / "archive/ehon.yml").read_text(encoding="utf-8")
    (repo / "archive/ehon.yml").write_text(record + "start: p2.jpg\n", encoding="utf-8")
    record = (repo / "archive/emaki.yml").read_text(encoding="utf-8").replace("type: book", "type: document")
    (repo / "archive/emaki.yml").write_text(record + "behavior: continuous\n", encoding="utf-8")
    record = (repo / "archive/western.yml").read_text(encoding="utf-8")
    (repo / "archive/western.yml").write_text(record + "viewing_direction: left-to-right\n", encoding="utf-8")
    build(repo, out=tmp_path / "site", site_url="https://example.org/", today=dt.date(2026, 11, 20), progress=False)

    def manifest(item_id):
        return json.loads((tmp_path / f"site/iiif/{item_id}/manifest.json").read_text(encoding="utf-8"))

    ehon, emaki, western = manifest("ehon"), manifest("emaki"), manifest("western")
    assert (ehon["behavior"], ehon["viewingDirection"]) == (["paged"], "right-to-left")
    assert ehon["start"] == {"id": "https://example.org/iiif/ehon/canvas/2", "type": "Canvas"}
    assert (emaki["behavior"], emaki["viewingDirection"]) == (["continuous"], "right-to-left")
    assert (western["behavior"], western["viewingDirection"]) == (["paged"], "left-to-right")


def test_a_start_that_is_not_a_scan_is_one_clear_message(repo):
    from test_content_errors import sitegen

    path = repo / "archive/kanda-myojin-hikifuda.yml"
    path.write_text(path.read_text(encoding="utf-8") + "start: inside.jpg\n", encoding="utf-8")
    for lang, words in (("en", "how to fix:"), ("ja", "直し方")):
        result = sitegen(repo, "check", lang=lang)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "archive/kanda-myojin-hikifuda.yml" in result.stderr and "start" in result.stderr, result.stderr
        assert "inside.jpg" in result.stderr and words in result.stderr, result.stderr
        assert "front.jpg" in result.stderr, "the message lists the scans that can be named"
