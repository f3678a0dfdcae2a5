"""The search index in shards (issue 8): pagefind/ and pagefind/shard-<n>/, each made from its
own pages and kept in the cache; the same pages give the same bytes; a sharded index answers
as one index would, in real Chromium."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.errors import BuildError
from generator.search import pagefind, pagefind_bundle, pagefind_parts
from generator.search.pagefind import encode

ARTISTS = ["葛飾北斎", "歌川広重", "歌川国芳", "喜多川歌麿"]
PLACES = ["江戸", "品川", "日本橋", "箱根", "京都"]


def item_page(i: int, lang: str, extra: str = "") -> str:
    artist, place = ARTISTS[i % len(ARTISTS)], PLACES[i % len(PLACES)]
    title = f"{place}の景 第{i}番" if lang == "ja" else f"View of {place}, no. {i}"
    return (f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title></head><body>'
            f'<header>ヘッダー</header><article><h1>{title}</h1><p class="search-names">{artist}</p>'
            f"<p>{place}を描いた作品。整理番号{1000 + i}。{extra}</p>"
            f'<span data-pagefind-filter="artist" hidden>{artist}</span>'
            f'<span data-pagefind-filter="place" hidden>{place}</span>'
            f'<span data-pagefind-meta="artist" hidden>{artist}</span></article></body></html>')


def make_site(site: Path, ids: list[int], changed: dict[int, str] | None = None) -> dict[str, set[str]]:
    """A built site's item pages (both languages) and the ids the index step is told of."""
    for i in ids:
        for lang, prefix in (("ja", ""), ("en", "en/")):
            page = site / f"{prefix}items/item-{i:03d}/index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            text = item_page(i, lang, (changed or {}).get(i, ""))
            if not page.exists() or page.read_text(encoding="utf-8") != text:
                page.unlink(missing_ok=True)  # a new file, as the render step writes one
                page.write_text(text, encoding="utf-8")
    return {"items": {f"item-{i:03d}" for i in ids}, "lessons": set(), "classes": set()}


def index_into(site: Path, known: dict[str, set[str]], cache: Path) -> dict[str, str]:
    """Run the index step; the published pagefind/ as {path: sha256 of its bytes}."""
    import shutil

    shutil.rmtree(site / "pagefind", ignore_errors=True)
    pagefind.build_index(site, site.parent / "scratch", known, cache)
    out = site / "pagefind"
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def sharded(monkeypatch):
    monkeypatch.setattr(pagefind, "SHARD_ITEMS", 10)  # 40 items: 4 shards


@pytest.fixture
def runs(monkeypatch):
    """The (shard, language) of each Pagefind run."""
    made = []
    real = pagefind_parts._run_part

    def counted(store, count, part, args):
        made.append((part.shard, part.lang))
        return real(store, count, part, args)

    monkeypatch.setattr(pagefind_parts, "_run_part", counted)
    return made


def test_a_small_site_is_one_bundle_as_before(tmp_path):
    site = tmp_path / "site"
    known = make_site(site, list(range(12)))
    files = index_into(site, known, tmp_path / "cache")
    assert json.loads((site / "pagefind" / "shards.json").read_text()) == []
    assert not [f for f in files if f.startswith("shard-")]
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {"en": 12, "ja": 12}
    assert "pagefind.js" in files and not [f for f in files if f.startswith("pagefind-ui")]


def test_items_are_split_into_shards_by_their_id(tmp_path, sharded):
    site = tmp_path / "site"
    known = make_site(site, list(range(40)))
    files = index_into(site, known, tmp_path / "cache")
    shards = json.loads((site / "pagefind" / "shards.json").read_text())
    assert len(shards) == 3 and all((site / "pagefind" / s / "pagefind-entry.json").is_file() for s in shards)
    assert not [f for f in files if f.startswith("shard-") and f.endswith(("pagefind.js", ".pagefind"))]
    counts = []
    for folder in [site / "pagefind"] + [site / "pagefind" / s for s in shards]:
        entry = json.loads((folder / "pagefind-entry.json").read_text())
        assert entry["languages"]["ja"]["page_count"] == entry["languages"]["en"]["page_count"]  # both pages of an item
        counts.append(entry["languages"]["ja"]["page_count"])
    assert sum(counts) == 40
    assert counts == [sum(1 for i in range(40) if pagefind.shard_of(f"items/item-{i:03d}/index.html", "items", 4) == k)
                      for k in range(4)]


@pytest.mark.parametrize("items", [12, 40], ids=["one shard", "four shards"])
def test_the_same_pages_give_the_same_bytes(tmp_path, sharded, items):
    site = tmp_path / "site"
    known = make_site(site, list(range(items)))
    first = index_into(site, known, tmp_path / "cache-1")
    second = index_into(site, known, tmp_path / "cache-2")
    assert first == second
    assert index_into(site, known, tmp_path / "cache-1") == first  # and from the cache


def test_one_changed_item_runs_pagefind_for_its_shard_only_and_equals_a_clean_build(tmp_path, sharded, runs):
    site = tmp_path / "site"
    known = make_site(site, list(range(40)))
    index_into(site, known, tmp_path / "cache")
    assert len(runs) == 8  # 4 shards, 2 languages
    runs.clear()
    assert index_into(site, known, tmp_path / "cache") and runs == []  # nothing changed: nothing run
    make_site(site, list(range(40)), changed={7: "新発見の語句ぶんめいかいか"})
    incremental = index_into(site, known, tmp_path / "cache")
    shard = pagefind.shard_of("items/item-007/index.html", "items", 4)
    assert sorted(runs) == [(shard, "en"), (shard, "ja")]
    assert incremental == index_into(site, known, tmp_path / "clean")


def test_added_and_removed_items_equal_a_clean_build(tmp_path, sharded):
    import shutil

    site = tmp_path / "site"
    index_into(site, make_site(site, list(range(40))), tmp_path / "cache")
    for prefix in ("", "en/"):
        shutil.rmtree(site / f"{prefix}items/item-003")
    known = make_site(site, [i for i in range(43) if i != 3])
    incremental = index_into(site, known, tmp_path / "cache")
    assert incremental == index_into(site, known, tmp_path / "clean")
    words = [set(p.read_text().split("\n")) for p in (tmp_path / "cache" / "pagefind" / "parts").glob("*/words.txt")]
    assert not any(encode("1003") in w for w in words)  # the removed item's own number
    assert any(encode("1042") in w for w in words)  # an added one's


def test_pages_are_prepared_once(tmp_path, monkeypatch):
    calls = []
    real = pagefind.prepare
    monkeypatch.setattr(pagefind, "prepare", lambda html, kind, lang: calls.append(kind) or real(html, kind, lang))
    site = tmp_path / "site"
    known = make_site(site, list(range(12)))
    index_into(site, known, tmp_path / "cache")
    assert len(calls) == 24
    calls.clear()
    index_into(site, known, tmp_path / "cache")
    assert calls == []
    make_site(site, list(range(12)), changed={5: "追記"})
    index_into(site, known, tmp_path / "cache")
    assert len(calls) == 2
    # A page whose bytes are the same but which is a new file (a copy of the site) is read
    # and hashed again, not prepared again.
    calls.clear()
    page = site / "items/item-001/index.html"
    text = page.read_bytes()
    page.unlink()
    page.write_bytes(text)
    index_into(site, known, tmp_path / "cache")
    assert calls == []


def test_the_cache_keeps_only_what_the_site_uses(tmp_path, sharded):
    site = tmp_path / "site"
    cache = tmp_path / "cache"
    known = make_site(site, list(range(40)))
    index_into(site, known, cache)
    make_site(site, list(range(40)), changed={i: f"変更{i}" for i in range(40)})
    index_into(site, known, cache)
    store = cache / "pagefind"
    assert len(list((store / "parts").iterdir())) == 8
    assert len(list((store / "prepared").glob("*/*.html"))) == 80
    assert sorted(p.name for p in store.iterdir()) == ["joined", "parts", "prepared", "trees"]


def test_every_shard_knows_every_word(tmp_path, sharded):
    """A word of one item is in every shard's index (with no pages where it is not), so that
    every shard drops or keeps a query's terms as one index would."""
    site = tmp_path / "site"
    index_into(site, make_site(site, list(range(40))), tmp_path / "cache")
    word = encode("1017")  # item-017's own number: in one shard's pages only
    shards = [site / "pagefind"] + [site / "pagefind" / s for s in json.loads((site / "pagefind" / "shards.json").read_text())]
    holders = []
    for folder in shards:
        entry = json.loads((folder / "pagefind-entry.json").read_text())
        ranges = pagefind_bundle.chunk_ranges(folder, entry["languages"]["ja"]["hash"])
        pages = None
        for _, _, name in ranges:
            for found, found_pages, _ in pagefind_bundle.decode(pagefind_bundle.read(folder / "index" / f"{name}.pf_index"))[0]:
                if found == word:
                    pages = found_pages
        assert pages is not None, folder
        holders.append(bool(pages))
    assert holders.count(True) == 1


def test_nothing_to_index_is_a_build_error_in_both_languages(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(BuildError) as failed:
        pagefind.build_index(site, tmp_path / "scratch", {"items": set()}, tmp_path / "cache")
    assert "検索索引（Pagefind）を作れませんでした" in failed.value.format("ja")
    assert "building the search index (Pagefind) failed" in failed.value.format("en")
    assert "make site" in failed.value.format("en")


# ---- in the browser ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    """The corpus site built twice from one repo: as one index, and in shards of 10 items."""
    from conftest import TODAY, StaticServer, free_port
    from generator.pipeline import build
    from test_search_cli import corpus_repo

    root = corpus_repo(tmp_path_factory.mktemp("shards"))
    servers = []
    counts = []
    # (sharded, with chunks so small that one character's words run over several of them)
    for shard_items, chunk_bytes in ((pagefind.SHARD_ITEMS, pagefind_parts.CHUNK_BYTES), (10, 1500)):
        port = free_port()
        out = tmp_path_factory.mktemp(f"site-{shard_items}") / "site"
        before = pagefind.SHARD_ITEMS, pagefind_parts.CHUNK_BYTES
        pagefind.SHARD_ITEMS, pagefind_parts.CHUNK_BYTES = shard_items, chunk_bytes
        try:
            build(root, out=out, site_url=f"http://127.0.0.1:{port}/", today=dt.date.fromisoformat(TODAY), progress=False)
        finally:
            pagefind.SHARD_ITEMS, pagefind_parts.CHUNK_BYTES = before
        servers.append(StaticServer(out, port))
        counts.append(len(json.loads((out / "pagefind" / "shards.json").read_text())) + 1)
    assert counts[0] == 1 and counts[1] > 2
    yield servers[0], servers[1], counts[1]
    for server in servers:
        server.close()


def answer(browser, server, query: str, lang: str = "ja", filters: bool = True) -> dict:
    """What the search page shows for a query: the status, every result (all pages of them)
    and, with the filters open, each filter option's label."""
    from test_search_browser import wait_for_answer

    page = browser.new_page()
    prefix = "en/" if lang == "en" else ""
    page.goto(f"{server.url}{prefix}search/?q={quote(query)}")
    wait_for_answer(page)
    status = page.inner_text("#search-status")
    total = int((re.search(r"\d+", status) or [0])[0])
    while page.locator("#search-more").is_visible():  # every page of results
        n = page.locator(".search-result").count()
        page.locator("#search-more").click()
        page.wait_for_function("n => document.querySelectorAll('.search-result').length === n", arg=min(n + 10, total))
    results = page.eval_on_selector_all(".search-result", "els => els.map(a => new URL(a.href).pathname)")
    options = []
    if filters and page.locator("#search-filters-toggle").is_visible():
        page.locator("#search-filters-toggle").click()
        page.locator(".search-filter__option").first.wait_for()
        options = page.eval_on_selector_all(".search-filter__option", "els => els.map(e => e.textContent)")
    page.close()
    return {"status": status, "results": results, "options": sorted(options)}


QUERIES = [("北斎", "ja"), ("ほくさい", "ja"), ("江戸", "ja"), ("富士", "ja"), ("神奈川沖浪裏", "ja"), ("廣重", "ja"),
           ("地図", "ja"), ("浪裏 北斎", "ja"), ("波", "ja"), ("の", "ja"), ("存在しないことば", "ja"), ("hokusai", "en"),
           ("kanagawa", "en"), ("mount fuji", "en")]


@pytest.mark.browser
@pytest.mark.parametrize("query,lang", QUERIES)
def test_a_sharded_index_answers_as_one_index(two_sites, browser, query, lang):
    one, sharded, _ = two_sites
    whole, parts = answer(browser, one, query, lang), answer(browser, sharded, query, lang)
    assert parts["status"] == whole["status"]
    assert sorted(parts["results"]) == sorted(whole["results"])
    assert parts["options"] == whole["options"]  # the filters and their counts


def shard_of_result(path: str, count: int) -> int:
    return pagefind.shard_of(path.strip("/") + "/index.html", "items", count)


@pytest.mark.browser
def test_a_query_finds_items_of_every_shard_and_the_filter_counts_are_right(two_sites, browser):
    _, sharded, count = two_sites
    found = answer(browser, sharded, "北斎")
    items = [p for p in found["results"] if "/items/" in p]
    assert {shard_of_result(p, count) for p in items} == set(range(count))
    assert int(re.search(r"\d+", found["status"]).group()) == len(found["results"])
    # Each option's count is the number of results once it is chosen.
    from test_search_browser import wait_for_answer

    page = browser.new_page()
    for label in found["options"][:6]:
        page.goto(f"{sharded.url}search/?q={quote('北斎')}")
        wait_for_answer(page)
        page.locator("#search-filters-toggle").click()
        option = page.locator(".search-filter__option", has_text=label)
        option.first.wait_for()
        expected = int(label.rsplit("(", 1)[1].rstrip(")"))
        option.first.locator("input").check()
        page.wait_for_function("n => document.querySelector('#search-status').textContent.includes(String(n))",
                               arg=expected)
        assert len(page.locator(".search-result").all()) == min(expected, 10)
    page.close()
