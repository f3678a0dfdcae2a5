"""The shared corpus end to end: its catalogue imported into a copy of the repo, then one build.

31 real scans are tiled here, so this is the one test that builds them (slow, once)."""
from __future__ import annotations

import csv
import html
import json
import subprocess
import sys

import pytest

from conftest import CORPUS, TODAY, link_due_tiles
from generator.cli import main

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
SCHEMA = CORPUS.parent / "schemas" / "iiif_presentation_3.json"


@pytest.mark.skipif(not (CORPUS / "items.csv").exists(), reason=f"the shared corpus is not at {CORPUS}")
def test_corpus_catalogue_imports_and_publishes_31_items(repo, tmp_path, capsys):
    import jsonschema

    assert main(["import", "--root", str(repo), str(CORPUS / "items.csv"), "--images", str(CORPUS), "--rights", CC0]) == 0
    assert "31 created" in capsys.readouterr().out
    with (CORPUS / "items.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 31

    site_url = "http://127.0.0.1:8999/"
    out = tmp_path / "site"
    # As the librarian runs it: the command, in its own process.
    link_due_tiles(repo)
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(repo), "--out", str(out),
                           "--site-url", site_url, "--today", TODAY, "--quiet"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))) if SCHEMA.exists() else None
    for row in rows:
        item_id = row["file"].rsplit(".", 1)[0]
        ja = html.unescape((out / "items" / item_id / "index.html").read_text(encoding="utf-8"))
        en = html.unescape((out / "en" / "items" / item_id / "index.html").read_text(encoding="utf-8"))
        assert row["title_ja"] in ja and row["title_en"] in en
        assert "葛飾北斎" in ja and "Katsushika Hokusai" in en  # the English-only artist column, linked
        manifest = json.loads((out / "iiif" / item_id / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["rights"].split("://")[1] == CC0.split("://")[1]  # IIIF wants http:// for CC URIs
        if validator is not None:
            errors = [e.message for e in validator.iter_errors(manifest)]
            assert not errors, f"{item_id}: {errors[:3]}"

    # Linked to the authorities: the creator's and the series' pages list every print.
    for page in ("creators/katsushika-hokusai/index.html", "series/fugaku36/index.html"):
        text = html.unescape((out / page).read_text(encoding="utf-8"))
        assert all(f"items/{r['file'].rsplit('.', 1)[0]}/" in text for r in rows), page
    with (out / "data" / "bunkazai.csv").open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.reader(f))) == 1 + 31 + 4  # header, the corpus, the four sample items
