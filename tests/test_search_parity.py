"""The search page and `sitegen search` give the same answers, over the sample content plus the
31 shared-corpus prints: the bundle the pinned Pagefind builds is asked only through
pagefind.js's documented functions (options, init, search, result.data) in real Chromium and
compared with the catalogue's ranking (ranking.py), item by item and score by score; and
held-out queries of every kind a reader types find their print among the first five, in
the browser and on the command line alike."""
from __future__ import annotations

import json

import pytest

from generator.search import catalog
from test_search_browser import corpus_site  # noqa: F401 (the built corpus site, shared)
from test_search_cli import GREAT_WAVES, HOKUSAI_QUERIES

pytestmark = pytest.mark.browser

FUGAKU = {f"hokusai-fugaku36-{n:02d}" for n in range(1, 37)} | {"hokusai-kanagawa-oki-nami-ura"}
HIROSHIGE = "hiroshige-ohashi-atake-yudachi"
# (query, the prints a reader typing it is looking for): readings, romaji with and without
# long vowels, kunrei spellings, old and variant kanji, half- and full-width forms, and the
# beginnings of English words. Written from the records' titles, not from the index.
HELD_OUT = [
    ("かながわおきなみうら", GREAT_WAVES), ("がいふうかいせい", {"hokusai-fugaku36-02"}),
    ("すわこ", {"hokusai-fugaku36-35"}), ("えのしま", {"hokusai-fugaku36-17"}),
    ("りょうごくばし", {"hokusai-fugaku36-12"}), ("きりえず", {"edo-kiriezu-kojimachi"}),
    ("ひきふだ", {"kanda-myojin-hikifuda"}), ("うしぼり", {"hokusai-fugaku36-36"}), ("ゆうだち", {HIROSHIGE}),
    ("ほどがや", {"hokusai-fugaku36-26"}),
    ("ryogoku", {"hokusai-fugaku36-12"}), ("ryougoku", {"hokusai-fugaku36-12"}), ("Ryōgoku", {"hokusai-fugaku36-12"}),
    ("tokaido yoshida", {"hokusai-fugaku36-19"}), ("toukaidou yoshida", {"hokusai-fugaku36-19"}),
    ("koushuu inume", {"hokusai-fugaku36-08"}), ("myojin", {"kanda-myojin-hikifuda"}),
    ("myoujin", {"kanda-myojin-hikifuda"}), ("kojimachi", {"edo-kiriezu-kojimachi"}),
    ("koujimachi", {"edo-kiriezu-kojimachi"}), ("onmayagashi", {"hokusai-fugaku36-12"}),
    ("shichiri", {"hokusai-fugaku36-30"}),
    ("sitiri", {"hokusai-fugaku36-30"}), ("tukuda", {"hokusai-fugaku36-29"}), ("huzi", FUGAKU),
    ("hukagawa", {"hokusai-fugaku36-04"}), ("zyousyuu", {"hokusai-fugaku36-36"}), ("sinsyuu suwa", {"hokusai-fugaku36-35"}),
    ("廣重", {HIROSHIGE}), ("兩國", {"hokusai-fugaku36-12"}), ("冨士", FUGAKU), ("三嶋", {"hokusai-fugaku36-33"}),
    ("駿臺", {"hokusai-fugaku36-05"}), ("梅澤", {"hokusai-fugaku36-31"}), ("七里濱", {"hokusai-fugaku36-30"}),
    ("ﾎｸｻｲ", FUGAKU), ("ｅｎｏｓｈｉｍａ", {"hokusai-fugaku36-17"}), ("ＳＵＷＡ", {"hokusai-fugaku36-35"}),
    ("ｶﾅｶﾞﾜ", GREAT_WAVES), ("ｽﾐﾀﾞｶﾞﾜ", {"hokusai-fugaku36-12", "hokusai-fugaku36-22"}),
    ("snow", {"hokusai-fugaku36-14"}), ("sun", {"hokusai-fugaku36-12"}), ("rain", {"hokusai-fugaku36-03"}),
    ("watermil", {"hokusai-fugaku36-16"}), ("cushio", {"hokusai-fugaku36-06"}),
    ("bridg", {"hokusai-fugaku36-04", "hokusai-fugaku36-12", HIROSHIGE}),
    ("moun fuji", {"hokusai-fugaku36-35", "hokusai-kanagawa-oki-nami-ura"}), ("barri", {"hokusai-fugaku36-22"}),
    ("shor", {"hokusai-fugaku36-18"}),
]
# More queries held to the same answers: the tests' own, words left out of the query, words
# that match the beginning of another, function words, one kanji, several words.
MORE = [*HOKUSAI_QUERIES, "富士", "富嶽", "神奈川沖浪裏", "地図", "江戸", "波", "北斎 東海道", "北斎 zzzyzzy",
        "the great wave", "bridges", "hokus", "sumida river", "スマホ", "電話", "1831", "天保", "x"]
PAGE = """async ([queries]) => {
    const table = await (await fetch("/search/normalise.json")).json();
    window.SiteNormaliser.setTable(table);
    const pagefind = await import("/pagefind/pagefind.js");
    await pagefind.options({ranking: table.ranking});
    await pagefind.init();
    const out = {};
    for (const q of queries) {
        const terms = window.SiteNormaliser.queryTerms(q);
        if (!terms.length) { out[q] = []; continue; }
        const found = await pagefind.search(terms.map(window.SiteNormaliser.encode).join(" "));
        out[q] = await Promise.all(found.results.map(async r => [(await r.data()).url, r.score]));
    }
    return out;
}"""


def browser_answers(browser, server, queries: list[str]) -> dict[str, list[tuple[str, float]]]:
    """Each query's results as pagefind.js gives them, in its order: (site path, score)."""
    page = browser.new_page()
    try:
        page.goto(server.url + "items/")  # any page of the site: only Pagefind and the normaliser are loaded
        page.add_script_tag(url=server.url + "search/normalise.js")
        return {q: [(url, score) for url, score in rows] for q, rows in page.evaluate(PAGE, [queries]).items()}
    finally:
        page.close()


def cli_answers(root, queries: list[str]) -> dict[str, list[tuple[str, float]]]:
    ix = catalog.open_index(root / ".cache")
    readings = json.loads((root / ".cache" / "catalog" / "readings.json").read_text(encoding="utf-8"))
    try:
        return {q: [(h.id, h.score) for h in catalog.search(ix, q, readings, limit=None)[0]] for q in queries}
    finally:
        ix.close()


def items_of(rows: list[tuple[str, float]]) -> list[tuple[str, float]]:
    return [(url.strip("/").split("/")[-1], score) for url, score in rows if url.startswith("/items/")]


@pytest.fixture(scope="module")
def answers(corpus_site, browser):  # noqa: F811
    server, _, root = corpus_site
    queries = [q for q, _ in HELD_OUT] + MORE
    return browser_answers(browser, server, queries), cli_answers(root, queries)


@pytest.mark.parametrize("query", [q for q, _ in HELD_OUT] + MORE)
def test_the_search_page_and_the_command_line_find_the_same_items_with_the_same_scores(answers, query):
    in_browser, on_cli = answers
    browser_items, cli_items = items_of(in_browser[query]), on_cli[query]
    assert [i for i, _ in sorted(browser_items)] == [i for i, _ in sorted(cli_items)], query
    cli_score = dict(cli_items)
    for item, score in browser_items:
        assert score == pytest.approx(cli_score[item], rel=1e-4, abs=1e-5), (query, item)
    # Both best first (Pagefind orders equal scores as it likes: compared as scores).
    for rows in (in_browser[query], cli_items):
        scores = [s for _, s in rows]
        assert all(a >= b - 1e-5 for a, b in zip(scores, scores[1:])), query


def test_held_out_queries_find_their_print_in_the_first_five(answers):
    in_browser, on_cli = answers
    missed = {"browser": [], "cli": []}
    for query, wanted in HELD_OUT:
        # The browser: the first five results the reader sees (lessons and classes included).
        if not {url.strip("/").split("/")[-1] for url, _ in in_browser[query][:5]} & wanted:
            missed["browser"].append(query)
        if not {item for item, _ in on_cli[query][:5]} & wanted:
            missed["cli"].append(query)
    for where, queries in missed.items():
        assert len(queries) <= 0.05 * len(HELD_OUT), f"{where}: {len(HELD_OUT) - len(queries)}/{len(HELD_OUT)}; missed {queries}"


def test_a_word_nothing_has_is_left_out_as_on_the_search_page(answers):
    in_browser, on_cli = answers
    # Pagefind's rule, and the command line's: a query word no page has does not empty the answer.
    assert items_of(in_browser["北斎 zzzyzzy"]) and on_cli["北斎 zzzyzzy"]
    assert {i for i, _ in on_cli["北斎 東海道"]} < {i for i, _ in on_cli["北斎"]}


def test_an_updated_index_answers_as_a_clean_build_s(repo, browser, tmp_path):
    """One record changed, one removed, one added: the index the next build makes from its
    kept pages (.cache/pagefind/pages) answers as one made from nothing does."""
    import datetime as dt
    import shutil

    from conftest import TODAY, StaticServer, free_port
    from generator.pipeline import build

    def site(out, port):
        build(repo, out=out, site_url=f"http://127.0.0.1:{port}/", today=dt.date.fromisoformat(TODAY), progress=False)

    ports = free_port(), free_port()
    site(tmp_path / "before", ports[0])
    record = repo / "archive" / f"{HIROSHIGE}.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("大はしあたけの夕立", "大はしあたけの雪"), encoding="utf-8")
    (repo / "archive" / "kanda-myojin-hikifuda.yml").unlink()
    shutil.rmtree(repo / "images" / "kanda-myojin-hikifuda", ignore_errors=True)
    site(tmp_path / "updated", ports[0])
    shutil.rmtree(repo / ".cache" / "pagefind")
    site(tmp_path / "clean", ports[1])
    queries = ["雪", "夕立", "ゆうだち", "ひきふだ", "広重", "北斎", "スマホ", "bridg"]
    answers = []
    for out, port in zip(("updated", "clean"), ports):
        server = StaticServer(tmp_path / out, port)
        try:
            answers.append(browser_answers(browser, server, queries))
        finally:
            server.close()
    updated, clean = answers
    assert {q: sorted(r) for q, r in updated.items()} == {q: sorted(r) for q, r in clean.items()}
    assert [u for u, _ in updated["雪"] if HIROSHIGE in u] and not items_of(updated["ひきふだ"])


def test_the_search_page_opening_empty_searches_a_word_of_few_pages_itself(corpus_site, browser):  # noqa: F811
    """The browser compiles Pagefind's engine at the first search. The search page makes that
    search itself as it opens empty, for the word the build chose (search/normalise.json's
    `warm`, a title word of the fewest pages): one index piece, a page or few; the reader's
    query then finds its answers as before."""
    server, _, root = corpus_site
    page = browser.new_page()
    try:
        pieces: list[str] = []
        page.on("request", lambda r: pieces.append(r.url) if "/pagefind/index/" in r.url else None)
        page.goto(server.url + "search/", wait_until="networkidle")
        warm = page.evaluate("async () => (await (await fetch('/search/normalise.json')).json()).warm")
        assert len(pieces) == 1 and warm
        found = page.evaluate("async (w) => (await (await import('/pagefind/pagefind.js')).search(w)).results.length", warm)
        ix = catalog.open_index(root / ".cache")
        try:
            with ix.reader() as reader:
                fewest = min(sum(reader.doc_frequency(f, t) for f in catalog.TEXT_FIELDS) for t, _ in reader.iter_field("title"))
        finally:
            ix.close()
        assert 1 <= found <= fewest
        page.locator("#search-q").fill("北斎")
        page.wait_for_function("document.querySelector('#search-status').textContent.includes('北斎')")
        assert page.locator(".search-result").count() >= 1
    finally:
        page.close()
