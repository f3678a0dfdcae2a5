"""The search page's index as builds make it: made by Pagefind from the search documents, kept
in .cache/pagefind/ by what it was made from, published whole as Pagefind wrote it; one
changed record rewrites one document; Pagefind failing stops the build with one message."""
from __future__ import annotations

import asyncio
import concurrent.futures
import os
import subprocess
from pathlib import Path

from conftest import TODAY
from runner import sitegen_process
from test_content_errors import tree_digest

RECORD = "hiroshige-ohashi-atake-yudachi"


def build(repo: Path, **env: str) -> subprocess.CompletedProcess:
    # Its own process: Pagefind's service and its event loop, as a librarian's build runs them.
    return sitegen_process(repo, "build", "--quiet", "--today", TODAY, env={**os.environ, "SITEGEN_LANG": "en", **env})


def _run(coroutine):
    """asyncio.run in a thread of its own: the session's browser keeps an event loop in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def files(folder: Path) -> dict[str, os.stat_result]:
    return {p.relative_to(folder).as_posix(): p.stat() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_site_publishes_the_bundle_pagefind_wrote_whole_and_reuses_it(repo):
    assert build(repo).returncode == 0
    store = repo / ".cache" / "pagefind"
    bundles = [p for p in (store / "bundles").iterdir()]
    assert len(bundles) == 1
    made, published = files(bundles[0]), files(repo / "site" / "pagefind")
    # Every file Pagefind wrote, and nothing else, linked into the site (never copied or changed).
    assert made.keys() == published.keys()
    assert all(made[p].st_ino == published[p].st_ino for p in made)
    assert {"pagefind.js", "pagefind-entry.json"} <= made.keys()
    # One page for Pagefind per item, lesson and class, in both languages at once.
    pages = {p.parent.relative_to(store / "pages").as_posix() for p in (store / "pages").rglob("index.html")}
    assert {f"items/{RECORD}", "lessons/denwa-no-kakekata", "classes/hajimete-sumaho"} <= pages
    assert not any(p.startswith("en/") for p in pages)
    before = files(store)
    assert build(repo).returncode == 0  # nothing changed: Pagefind does not run, nothing is written
    assert {p: s.st_mtime_ns for p, s in files(store).items()} == {p: s.st_mtime_ns for p, s in before.items()}


def test_one_changed_record_rewrites_its_own_document_only(repo):
    assert build(repo).returncode == 0
    store = repo / ".cache" / "pagefind"
    pages = {p: s.st_mtime_ns for p, s in files(store / "pages").items()}
    first = {p.name for p in (store / "bundles").iterdir()}
    record = repo / "archive" / f"{RECORD}.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("大はしあたけの夕立", "大はしあたけの夕立（訂正）"),
                      encoding="utf-8")
    assert build(repo).returncode == 0
    now = {p: s.st_mtime_ns for p, s in files(store / "pages").items()}
    assert [p for p in now if now[p] != pages.get(p)] == [f"items/{RECORD}/index.html"]
    assert "訂正" in (store / "pages" / "items" / RECORD / "index.html").read_text(encoding="utf-8")
    bundles = {p.name for p in (store / "bundles").iterdir()}
    assert len(bundles) == 2 and first < bundles  # the one before is kept (a build going back finds it)
    record.write_text(record.read_text(encoding="utf-8").replace("（訂正）", "（再訂正）"), encoding="utf-8")
    assert build(repo).returncode == 0
    assert len(list((store / "bundles").iterdir())) == 2 and not first & {p.name for p in (store / "bundles").iterdir()}


def test_pagefind_failing_stops_the_build_with_one_message_and_the_site_stays(repo):
    assert build(repo).returncode == 0
    site = tree_digest(repo / "site")
    record = repo / "archive" / f"{RECORD}.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("大はしあたけの夕立", "大はしあたけの夕立（訂正）"),
                      encoding="utf-8")
    # The documented way to point the Python API at a Pagefind binary: here, one that is not there.
    result = build(repo, PAGEFIND_BINARY_PATH=str(repo / "no-such-pagefind"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "search index (Pagefind)" in result.stderr and "how to fix" in result.stderr.lower()
    assert tree_digest(repo / "site") == site
    assert not [p for p in (repo / ".cache" / "pagefind" / "bundles").iterdir() if p.name.startswith(".")]


def test_pagefind_is_stopped_only_when_every_file_it_wrote_holds_its_bytes(tmp_path):
    """Pagefind's service answers write_files before its writer thread has written each file;
    stopped then, it leaves empty files (an empty pagefind.js: a search page that answers
    nothing). The step waits for the bytes, and stops the build when a file stays empty."""
    import threading

    import pytest

    from generator.errors import BuildError
    from generator.search import pagefind

    (tmp_path / "fragment").mkdir()
    (tmp_path / "fragment" / "a.pf_fragment").write_bytes(b"x")
    (tmp_path / "pagefind.js").write_bytes(b"")
    threading.Timer(0.3, lambda: (tmp_path / "pagefind.js").write_bytes(b"export {}")).start()
    _run(pagefind._written(tmp_path))
    assert (tmp_path / "pagefind.js").read_bytes() == b"export {}"
    (tmp_path / "fragment" / "b.pf_fragment").write_bytes(b"")
    with pytest.raises(BuildError, match="b.pf_fragment"):
        _run(pagefind._written(tmp_path, timeout=0.2))
