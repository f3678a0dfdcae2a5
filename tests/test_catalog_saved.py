"""The saved catalogue kept up to date record by record: what a build derives from an updated
catalogue is exactly what a clean build derives, the index answers the same, and a build
killed midway leaves the last catalogue whole."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from generator.content import load_content
from generator.search import catalog, catalog_saved, normalise, records, table
from test_catalog_related import generated

QUERIES = ["北斎", "hokusai", "富士", "版画 第7番", "訂正", "artist:北斎 type:ukiyo-e", "広重"]


def refreshed(recs, cache: Path) -> dict:
    """Everything the build takes from the catalogue, and what the index answers."""
    return answers(catalog_saved.refresh(recs, cache, REPO), cache)


def answers(result: catalog_saved.Catalogue, cache: Path) -> dict:
    ix = catalog.open_index(cache)
    found = {q: sorted(h.id for h in catalog.search(ix, q, result.readings, limit=None)[0]) for q in QUERIES}
    ix.close()
    return {"readings": list(result.readings.items()), "related": list(result.related.items()),
            "facets": {k: list(v.items()) for k, v in result.facets.items()},
            "table": table.browser_table(result.readings), "answers": found}


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edited(recs):
    """A title fixed, one record gone, one new, one moved to another artist and year."""
    content = load_content(REPO)
    out = list(recs)
    first = out[0].item
    out[0] = records.record_for(content, first.model_copy(
        update={"title": first.title.model_copy(update={"ja": first.title.ja + "（訂正）"})}))
    del out[5]
    out.append(records.record_for(content, out[9].item.model_copy(update={"id": "print-new"})))
    hiroshige = next(i for i in content.items if i.id == "hiroshige-ohashi-atake-yudachi")
    moved = out[20].item.model_copy(update={"creators": hiroshige.creators, "date": hiroshige.date})
    out[20] = records.record_for(content, moved)
    return out


def make_records(prints: int = 60, plain: int = 20):
    """The sample records, prints of a series and an artist, and prints related by title only."""
    return (records.records(load_content(REPO)) + generated(prints, in_series=prints // 6)
            + generated(plain, artist=False, place=False, seed=2, prefix="plain", title=lambda i: f"富士と江戸{i % 4}の図{i}"))


@pytest.fixture
def recs():
    return make_records()


def test_an_updated_catalogue_equals_a_clean_one(recs, tmp_path):
    first = refreshed(recs, tmp_path / "kept")
    assert refreshed(recs, tmp_path / "kept") == first  # nothing changed
    changed = edited(recs)
    updated = refreshed(changed, tmp_path / "kept")
    clean = refreshed(changed, tmp_path / "clean")
    assert updated == clean
    assert updated != first
    # Updated, not rebuilt: the document of an unchanged record stays in the first segment.
    assert len(list((tmp_path / "kept" / "catalog" / "index").glob("*.seg"))) > 1
    # And back again, over the same kept catalogue.
    assert refreshed(recs, tmp_path / "kept") == first


def test_nothing_changed_rewrites_nothing(recs, tmp_path):
    catalog_saved.refresh(recs, tmp_path, REPO)
    before = digest(tmp_path / "catalog")
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "catalog").rglob("*")}
    catalog_saved.refresh(recs, tmp_path, REPO)
    assert digest(tmp_path / "catalog") == before
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "catalog").rglob("*")} == stamps


def test_a_build_killed_midway_leaves_the_last_catalogue(recs, tmp_path, monkeypatch):
    catalog_saved.refresh(recs, tmp_path, REPO)
    before = digest(tmp_path / "catalog")
    changed = edited(recs)
    write = catalog.write_file

    def killed(path, text):
        if path.name == catalog_saved.DERIVED:  # the index is updated, the rest not yet written
            raise KeyboardInterrupt
        write(path, text)

    monkeypatch.setattr(catalog, "write_file", killed)
    with pytest.raises(KeyboardInterrupt):
        catalog_saved.refresh(changed, tmp_path, REPO)
    monkeypatch.undo()
    assert digest(tmp_path / "catalog") == before
    # The search command still has a whole catalogue, and the next build catches up.
    assert catalog.open_saved(tmp_path, REPO) is not None
    assert refreshed(changed, tmp_path) == refreshed(changed, tmp_path / "clean")
    assert not list(tmp_path.glob(".catalog.*")), "leftovers of the killed build are removed"


def test_leftovers_of_a_killed_build_go_even_when_nothing_changed(recs, tmp_path):
    """A build killed after another had already saved these very records leaves its
    half-written folder; the next build has nothing to update but still removes it (builds
    take turns: cache.lock, so no other build can be writing it)."""
    catalog_saved.refresh(recs, tmp_path, REPO)
    for left in (tmp_path / ".catalog.new", tmp_path / ".catalog.old"):
        (left / "index").mkdir(parents=True)
        (left / "index" / "_MAIN_1.toc").write_bytes(b"half")
    catalog_saved.refresh(recs, tmp_path, REPO)
    assert not list(tmp_path.glob(".catalog.*"))


def test_a_broken_saved_catalogue_is_built_again(recs, tmp_path):
    catalog_saved.refresh(recs, tmp_path, REPO)
    for seg in (tmp_path / "catalog" / "index").glob("*.seg"):
        seg.write_bytes(b"not an index")
    (tmp_path / "catalog" / catalog_saved.DERIVED).unlink()
    changed = edited(recs)
    assert refreshed(changed, tmp_path) == refreshed(changed, tmp_path / "clean")


def test_the_reading_table_record_by_record_is_the_table_of_all_texts(recs):
    texts = [text for r in recs for key in ("title", "artist", "series", "place", "subjects")
             for text, _hand in r.field_texts()[key] if text]
    whole = normalise.vocabulary_readings(texts)
    assert list(table.reading_table(recs).items()) == list(whole.items())
    # Words met again in later texts keep their first reading, sub-words included.
    overlapping = ["神奈川沖浪裏", "奈川", "神奈川", "富士山", "富士見", "東海道五拾三次", "五拾三次之内"]
    merged = normalise.merge_readings(normalise.reading_pairs([t]) for t in overlapping)
    assert list(merged.items()) == list(normalise.vocabulary_readings(overlapping).items())


KILLED = """
import sys
sys.path[:0] = [{tests!r}, {repo!r}]
from pathlib import Path
from conftest import REPO
from generator.search import catalog_saved
import test_catalog_saved as t
recs = t.make_records(300, 40)
changed = t.edited(recs)
print("go", flush=True)
while True:
    for which in (changed, recs):
        catalog_saved.refresh(which, Path({cache!r}), REPO)
"""


def test_a_build_killed_at_any_moment_leaves_a_whole_catalogue(tmp_path):
    recs = make_records(300, 40)
    changed = edited(recs)
    # The clean answers for the records before and after the edit.
    whole = {json_key(refreshed(which, tmp_path / name)) for name, which in (("before", recs), ("after", changed))}
    cache = tmp_path / "kept"
    catalog_saved.refresh(recs, cache, REPO)
    script = KILLED.format(tests=str(Path(__file__).parent), repo=str(REPO), cache=str(cache))
    found = 0
    for delay in (0.1, 0.23, 0.37, 0.51):  # an update takes about 0.05 s: any moment of one
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "go"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        if (cache / "catalog").exists():  # else killed between the two renames: built anew next time
            # Whatever was saved is one whole catalogue: of the records before, or after.
            assert json_key(saved_answers(cache)) in whole
            found += 1
    assert found
    assert refreshed(changed, cache) == refreshed(changed, tmp_path / "clean")
    assert not list(cache.glob(".catalog.*")), "what killed builds left beside is removed"


def json_key(answers: dict) -> str:
    return json.dumps(answers, ensure_ascii=False, sort_keys=True)


def saved_answers(cache: Path) -> dict:
    """What the saved catalogue holds, read as `sitegen search` and a no-change build would."""
    folder = catalog.folder_for(cache)
    derived = json.loads((folder / catalog_saved.DERIVED).read_text(encoding="utf-8"))
    readings = json.loads((folder / catalog_saved.READINGS).read_text(encoding="utf-8"))
    return answers(catalog_saved.Catalogue(readings, derived["related"], derived["facets"]), cache)
