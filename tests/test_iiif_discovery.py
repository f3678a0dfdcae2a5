"""The IIIF Change Discovery stream (iiif/discovery/): one latest activity per manifest,
dated from the publication record that only a real publish advances, so harvesters see
exactly what changed, across incremental builds and in a fresh clone."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from generator.iiif import discovery
from generator.schedule.ledger import Ledger, ManifestRecord
from test_content_errors import sitegen

DAY1, DAY2, DAY3 = dt.date(2026, 11, 20), dt.date(2026, 11, 21), dt.date(2026, 11, 22)


def test_record_creates_updates_deletes_and_publishes_again():
    ledger = Ledger(items={"a": DAY1, "b": DAY1})
    discovery.record(ledger, {"a": "fa", "b": "fb"}, DAY2)
    # The first record dates what was already public from the items' first publication.
    assert ledger.manifests == {"a": ManifestRecord("fa", DAY1, DAY1), "b": ManifestRecord("fb", DAY1, DAY1)}
    assert ledger.dirty
    ledger.dirty = False
    discovery.record(ledger, {"a": "fa", "b": "fb"}, DAY2)
    assert not ledger.dirty, "nothing changed: the record is not rewritten"
    discovery.record(ledger, {"a": "fa2", "c": "fc"}, DAY2)  # a changed, b withdrawn, c new
    assert ledger.manifests["a"] == ManifestRecord("fa2", DAY1, DAY2)
    assert ledger.manifests["b"] == ManifestRecord("fb", DAY1, DAY1, DAY2)
    assert ledger.manifests["c"] == ManifestRecord("fc", DAY2, DAY2), "new after the first record: today"
    discovery.record(ledger, {"a": "fa2", "b": "fb", "c": "fc"}, DAY3)  # b back
    assert ledger.manifests["b"] == ManifestRecord("fb", DAY3, DAY3)


def site(repo: Path) -> Path:
    return repo / "site"


def stream(out: Path) -> list[dict]:
    top = json.loads((out / "iiif/discovery/all-changes.json").read_text(encoding="utf-8"))
    assert top["type"] == "OrderedCollection" and top["@context"] == discovery.CONTEXT
    items, page_id, pages = [], top["first"]["id"], 0
    while page_id:
        page = json.loads((out / page_id.split("/", 3)[3]).read_text(encoding="utf-8"))
        assert page["type"] == "OrderedCollectionPage" and page["partOf"]["id"] == top["id"]
        assert page["orderedItems"], "a page holds at least one activity"
        assert page["startIndex"] == len(items)
        items += page["orderedItems"]
        pages += 1
        last = page["id"]
        page_id = page.get("next", {}).get("id")
    assert last == top["last"]["id"] and top["totalItems"] == len(items)
    ends = [a["endTime"] for a in items]
    assert ends == sorted(ends), "oldest first, newest last"
    return items


def latest(items: list[dict]) -> dict[str, tuple[str, str]]:
    return {a["object"]["id"].split("/iiif/")[1].split("/")[0]: (a["type"], a["endTime"][:10]) for a in items}


def test_real_publishes_advance_the_stream_and_previews_do_not(tmp_path):
    import pyvips

    from iiif_repo import mini_repo

    today = dt.date.today().isoformat()
    image = (pyvips.Image.black(300, 200, bands=3) + 90).cast("uchar").copy(interpretation="srgb")
    repo = mini_repo(tmp_path / "repo", {"first": [("a.jpg", image)], "second": [("b.jpg", image)],
                                         "third": [("c.jpg", image)]})
    ledger_path = repo / "lessons/schedule/published.json"
    ledger_path.parent.mkdir(parents=True)
    ledger_path.write_text(Ledger(items={"first": DAY1, "second": DAY2}).to_json(), encoding="utf-8")
    assert sitegen(repo, "build", "--quiet").returncode == 0
    seeded = latest(stream(site(repo)))
    assert seeded == {"first": ("Create", "2026-11-20"), "second": ("Create", "2026-11-21"), "third": ("Create", today)}
    assert list(seeded) == ["first", "second", "third"]
    top = json.loads((site(repo) / "iiif/collection.json").read_text(encoding="utf-8"))
    assert top["seeAlso"][0]["id"].endswith("iiif/discovery/all-changes.json")
    before = (site(repo) / "iiif/discovery/page-0.json").read_bytes()
    assert sitegen(repo, "build", "--quiet").returncode == 0
    assert (site(repo) / "iiif/discovery/page-0.json").read_bytes() == before, "a rebuild gives the same stream"

    record = repo / "archive/first.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("Test item first", "Test item first (corrected)"),
                      encoding="utf-8")
    ledger_before = ledger_path.read_bytes()
    preview = tmp_path / "preview"
    assert sitegen(repo, "build", "--quiet", "--out", str(preview)).returncode == 0
    assert latest(stream(preview))["first"] == ("Update", today)
    assert ledger_path.read_bytes() == ledger_before, "a preview advances nothing"

    (repo / "archive/second.yml").unlink()
    assert sitegen(repo, "build", "--quiet").returncode == 0
    now = latest(stream(site(repo)))
    assert now["first"] == ("Update", today) and now["second"] == ("Delete", today)
    assert now["third"] == ("Create", today)
    # A fresh clone (no site/, no cache) continues the same stream from the committed record.
    clone = tmp_path / "clone"
    assert sitegen(repo, "build", "--quiet", "--out", str(clone)).returncode == 0
    assert latest(stream(clone)) == now
