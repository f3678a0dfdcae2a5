"""The search page in real Chromium, over the sample site plus the 31 shared-corpus prints:
the issue's queries, filters and their counts, the empty answer, keyboard use, 320 px, axe."""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote

import pytest

from browser import DESKTOP, PHONE, audit, axe_violations, describe, tab, visit
from conftest import SERVER_SETTINGS_COOKIE, TODAY, StaticServer, free_port
from generator.search import normalise
from generator.server_config import CSP
from generator.search.normalise import encode
from test_search_cli import GREAT_WAVES, HOKUSAI_QUERIES, corpus_repo, hokusai_ids, records

pytestmark = pytest.mark.browser


_CORPUS_SITE: list[tuple] = []


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory):
    """The sample with the shared corpus imported, built and served once a session: the modules
    that import this fixture (each a fixture of its own to pytest) share the one site."""
    from generator.pipeline import build

    if not _CORPUS_SITE:
        root = corpus_repo(tmp_path_factory.getbasetemp())
        port = free_port()
        out = tmp_path_factory.mktemp("search-site") / "site"
        build(root, out=out, site_url=f"http://127.0.0.1:{port}/", today=dt.date.fromisoformat(TODAY), progress=False)
        _CORPUS_SITE.append((StaticServer(out, port), out, root))
    yield _CORPUS_SITE[0]
    if _CORPUS_SITE:  # the first of them to finish closes it, at the end of the session
        _CORPUS_SITE.pop()[0].close()


@pytest.fixture
def page(browser):
    page = tab(browser, PHONE)
    yield page
    page.goto("about:blank")


def ask(page, server, query: str, lang: str = "ja") -> list[str]:
    """Open search/?q=… and return the result links shown (site paths), best first."""
    prefix = "en/" if lang == "en" else ""
    page.goto(f"{server.url}{prefix}search/?q={quote(query)}")
    wait_for_answer(page)
    return links(page)


def wait_for_answer(page) -> None:
    page.wait_for_function("(document.querySelector('#search-status')?.textContent || '').trim().length > 0")


def links(page) -> list[str]:
    return page.eval_on_selector_all(".search-result", "els => els.map(a => new URL(a.href).pathname)")


def item_ids(paths: list[str]) -> list[str]:
    return [p.strip("/").split("/")[-1] for p in paths if "/items/" in p]


def open_filters(page) -> None:
    page.get_by_role("button", name="結果を絞り込む").click()
    page.locator(".search-filter__option").first.wait_for()


def shown_count(page) -> int:
    import re

    return int(re.search(r"(\d+)", page.inner_text("#search-status")).group(1))


@pytest.mark.parametrize("query", HOKUSAI_QUERIES)
def test_every_spelling_of_hokusai_shows_hokusai_s_prints_first(corpus_site, page, query):
    server, _, root = corpus_site
    found = item_ids(ask(page, server, query))
    assert found, f"no results for {query}"
    assert set(found) <= hokusai_ids(root), found  # the first page of results: all Hokusai
    assert shown_count(page) >= len(hokusai_ids(root))


@pytest.mark.parametrize("query", ["富士", "富嶽"])
def test_fuji_and_fugaku_find_the_series(corpus_site, page, query):
    server, _, root = corpus_site
    found = item_ids(ask(page, server, query))
    assert found and set(found) <= records(root, "series: fugaku36")
    assert shown_count(page) >= 32


def test_the_great_wave_by_its_title(corpus_site, page):
    server, _, _ = corpus_site
    assert set(item_ids(ask(page, server, "神奈川沖浪裏"))[:2]) == GREAT_WAVES


def test_old_and_new_forms_and_a_two_character_word(corpus_site, page):
    server, _, _ = corpus_site
    assert item_ids(ask(page, server, "廣重")) == ["hiroshige-ohashi-atake-yudachi"]  # written 広重
    assert set(item_ids(ask(page, server, "富嶽 浪裏"))[:2]) == GREAT_WAVES  # the sample's title is written 冨嶽
    assert item_ids(ask(page, server, "地図")) == ["edo-kiriezu-kojimachi"]  # the same as sitegen search


def test_the_browser_normalises_queries_exactly_as_the_build_does(corpus_site, page):
    server, out, _ = corpus_site
    table = json.loads((out / "search" / "normalise.json").read_text(encoding="utf-8"))["readings"]
    ask(page, server, "北斎")
    for query in [*HOKUSAI_QUERIES, "富士", "富嶽", "神奈川沖浪裏", "廣重", "地図", "Tōkaidō", "toukaidou", "トーキョー",
                  "shimbashi", "matcha", "wave bridge", "ｽﾏﾎ", "波", "國芳の海邊"]:
        in_browser = page.evaluate("q => window.__siteSearch.queryTerms(q)", query)
        assert in_browser == normalise.query_terms(query, table), query
    for term in ["北斎", "ほ", "hokusai", "𠮷野", "ー々"]:
        assert page.evaluate("t => window.__siteSearch.encode(t)", term) == encode(term), term


def test_english_pages_search_the_english_index(corpus_site, page):
    server, _, _ = corpus_site
    found = ask(page, server, "hokusai", lang="en")
    assert found and all(p.startswith("/en/items/") for p in found)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "Great Wave" in page.inner_text("#search-results") or shown_count(page) > 10


def test_filters_narrow_and_their_counts_are_right(corpus_site, page):
    server, _, _ = corpus_site
    ask(page, server, "江戸")
    total = shown_count(page)
    assert not page.locator(".search-filter__option").count()  # until asked for: they weigh much
    open_filters(page)
    assert page.get_by_role("button", name="結果を絞り込む").get_attribute("aria-expanded") == "true"
    options = page.locator(".search-filter__option")
    assert options.count() > 1
    # Every option's count is the number of results once it is chosen.
    for i in range(min(options.count(), 4)):
        page.goto(f"{server.url}search/?q={quote('江戸')}")
        wait_for_answer(page)
        open_filters(page)
        option = page.locator(".search-filter__option").nth(i)
        label = option.inner_text()
        expected = int(label.rsplit("(", 1)[1].rstrip(")"))
        option.locator("input").check()
        page.wait_for_function("n => document.querySelector('#search-status').textContent.includes(String(n))", arg=expected)
        assert shown_count(page) == expected, label
        assert expected <= total
        assert "f=" in page.url  # the choice is in the address: the list can be shared
    page.get_by_role("button", name="絞り込みをやめる").click()
    page.wait_for_function("n => document.querySelector('#search-status').textContent.includes(String(n))", arg=total)


def test_artist_filter_keeps_only_that_artist(corpus_site, page):
    server, _, root = corpus_site
    ask(page, server, "江戸")
    open_filters(page)
    hokusai = page.get_by_role("checkbox", name="葛飾北斎")
    expected = int(page.locator(".search-filter__option", has=hokusai).inner_text().rsplit("(", 1)[1].rstrip(")"))
    assert expected < shown_count(page)  # 江戸 also finds other artists' works
    hokusai.check()
    page.wait_for_function("n => document.querySelector('#search-status').textContent.includes(String(n))", arg=expected)
    assert page.get_by_role("checkbox", name="葛飾北斎").is_checked()
    found = item_ids(links(page))
    assert found and set(found) <= hokusai_ids(root)


def test_nothing_found_says_so_kindly_and_suggests(corpus_site, page):
    server, _, _ = corpus_site
    assert ask(page, server, "存在しないことば") == []
    assert "見つかりませんでした" in page.inner_text("#search-status")
    tips = page.locator("#search-empty")
    assert tips.is_visible() and "ひらがな" in tips.inner_text()
    with page.expect_navigation():  # a suggestion is a link to the search page that asks it
        page.locator(".search-suggestions a", has_text="北斎").click()
    wait_for_answer(page)
    assert links(page), "a suggestion finds something"


def test_keyboard_alone_from_the_header_box_to_an_item(corpus_site, browser):
    server, _, root = corpus_site
    page = tab(browser, DESKTOP)
    page.goto(server.url + "lessons/")
    for _ in range(30):  # Tab until the header's search box has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    else:
        pytest.fail("the header search box cannot be reached with Tab")
    page.keyboard.type("ほくさい")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    wait_for_answer(page)
    assert page.input_value("#search-q") == "ほくさい"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('search-result')"):
            break
    else:
        pytest.fail("no result link can be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/items/**")
    assert page.url.rstrip("/").split("/")[-1] in hokusai_ids(root)
    page.goto("about:blank")


def test_typing_on_the_search_page_updates_results_and_address(corpus_site, page):
    server, _, _ = corpus_site
    page.goto(server.url + "search/")
    page.locator("#search-q").press_sequentially("hiroshige")
    page.wait_for_function("() => document.querySelector('#search-status').textContent.includes('hiroshige')")
    assert item_ids(links(page)) == ["hiroshige-ohashi-atake-yudachi"]
    assert page.url.endswith("?q=hiroshige")


def test_the_header_box_works_without_javascript(corpus_site, browser):
    server, _, _ = corpus_site
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(server.url + "items/")
    page.fill("#site-search-q", "北斎")
    page.click(".site-search__button")
    page.wait_for_load_state()
    assert page.url == server.url + "search/?q=" + quote("北斎")
    assert "JavaScript" in page.inner_text(".search-page")
    context.close()


def test_at_320px_nothing_overflows_and_targets_are_large(corpus_site, browser):
    server, _, _ = corpus_site
    page = tab(browser, {"width": 320, "height": 640})
    ask(page, server, "富士")
    open_filters(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for selector in (".search-result", ".search-filter__option", ".search-form__button", ".site-search__button",
                     ".search-filters-toggle",
                     ".search-more__button"):
        for box in [e.bounding_box() for e in page.query_selector_all(selector) if e.is_visible()]:
            assert box["height"] >= 44 and box["width"] >= 44, selector
    page.goto("about:blank")


def test_more_results_on_request(corpus_site, page):
    server, _, _ = corpus_site
    ask(page, server, "hokusai")
    first = len(links(page))
    page.locator("#search-more").click()
    page.wait_for_function("n => document.querySelectorAll('.search-result').length > n", arg=first)
    # Focus moves to the first new result, so a keyboard user continues there.
    page.wait_for_function("n => document.activeElement === document.querySelectorAll('.search-result')[n]", arg=first)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["search/?q=" + quote("北斎"), "en/search/?q=hokusai", "search/?q=" + quote("存在しないことば"),
                                  "items/hokusai-fugaku36-01/"])
def test_accessible_and_self_contained(corpus_site, browser, path, viewport):
    server, _, _ = corpus_site
    with visit(browser, server.url + path, viewport) as (page, log):
        toggle = page.locator("#search-filters-toggle")
        if "search/" in path and toggle.is_visible():
            toggle.click()
            page.locator(".search-filter__option").first.wait_for()
            violations = axe_violations(page)  # the page as the reader has changed it
        else:
            violations = audit(page)
        assert not violations, describe(violations)
        assert not log.foreign, log.foreign
        assert not log.failed, log.failed


def test_item_page_lists_related_items_of_the_same_series(corpus_site, page):
    server, _, root = corpus_site
    page.goto(server.url + "items/hokusai-fugaku36-01/")
    related = page.locator(".related-items a")
    assert related.count() >= 3
    hrefs = [related.nth(i).get_attribute("href") for i in range(related.count())]
    assert all(h.strip("./").split("/")[-1] in records(root, "series: fugaku36") for h in hrefs)


def test_search_works_under_the_site_s_content_security_policy(corpus_site, browser):
    """The CSP the build's server settings send (script-src 'self' 'wasm-unsafe-eval'): no
    inline script, Pagefind's WebAssembly allowed, nothing else."""
    server, _, _ = corpus_site
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": SERVER_SETTINGS_COOKIE, "value": "on", "url": server.url}])  # the settings' headers
    try:
        page = context.new_page()
        violations = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        response = page.goto(f"{server.url}search/?q={quote('北斎')}")
        assert response.headers.get("content-security-policy") == CSP
        page.locator(".search-result").first.wait_for()  # (a locator wait: no eval under this CSP)
        # (the count is written once the first page of results is shown: wait for it)
        page.locator("#search-status", has_text="32").wait_for()
        assert not violations, violations
    finally:
        context.close()


def test_japanese_text_in_english_results_is_marked_as_japanese(corpus_site, page):
    server, _, _ = corpus_site
    ask(page, server, "kanagawa", lang="en")
    marked = page.eval_on_selector_all(".search-result [lang=ja]", "els => els.map(e => e.textContent)")
    assert any("天保" in text for text in marked)  # the sample's date, 天保2年頃
