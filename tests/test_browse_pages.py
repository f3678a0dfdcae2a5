"""Browse pages of a large archive: the grid is split into pages a phone can load, with a
pager that works by keyboard and screen reader; each item is on exactly one page; English
pages lead to English item pages; and a pager page passes axe in real Chromium."""
from __future__ import annotations

import re

import pytest
import yaml

from browser import DESKTOP, PHONE, RequestLog, assert_clean
from conftest import StaticServer, TODAY, copy_repo
from generator.render.items import PER_PAGE
from test_content_errors import sitegen

EXTRA = 2 * PER_PAGE + 7  # with the sample's four items: three pages of "all items"


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    repo = copy_repo(tmp_path_factory.mktemp("browse") / "repo")
    for i in range(EXTRA):
        record = {
            "id": f"gen-{i:04d}", "type": "map" if i % 2 else "document",
            "title": {"ja": f"生成した資料 第{i}号", "en": f"Generated item no. {i}"},
            "date": {"text": f"{1800 + i % 60}年", "start": 1800 + i % 60, "end": 1800 + i % 60},
            "rights": "https://creativecommons.org/publicdomain/mark/1.0/",
            "creators": [{"id": "katsushika-hokusai", "role": "artist"}] if i % 2 == 0 else [],
        }
        (repo / "archive" / f"gen-{i:04d}.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    result = sitegen(repo, "build", "--quiet", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    server = StaticServer(repo / "site")
    yield server, repo / "site"
    server.close()


def _item_links(html: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]*items/([^"/]+)/">', html)


def test_all_items_are_spread_over_pages_each_once(large_site):
    _, site = large_site
    pages = [site / "items" / "index.html"] + sorted((site / "items" / "page").glob("*/index.html"))
    assert len(pages) == 3
    seen = [item for page in pages for item in _item_links(page.read_text(encoding="utf-8"))]
    assert len(seen) == len(set(seen)) == EXTRA + 4
    assert all(len(_item_links(p.read_text(encoding="utf-8"))) <= PER_PAGE for p in pages)
    # A type with more than one page of items is paged too.
    assert (site / "items" / "types" / "map" / "page" / "2" / "index.html").is_file()


def test_english_browse_pages_lead_to_english_item_pages(large_site):
    _, site = large_site
    for page in (site / "en" / "items" / "index.html", site / "en" / "items" / "page" / "2" / "index.html",
                 site / "en" / "items" / "types" / "map" / "index.html"):
        html = page.read_text(encoding="utf-8")
        folder = "/" + page.parent.relative_to(site).as_posix() + "/"
        hrefs = re.findall(r'<li><a href="([^"]*items/[^"/]+/)">', html)
        assert hrefs
        for href in hrefs:  # resolve the relative link as a browser would
            parts = (folder + href).split("/")
            resolved = []
            for part in parts:
                if part == "..":
                    resolved.pop()
                elif part:
                    resolved.append(part)
            assert resolved[0] == "en", f"{page} links {href} to a Japanese page"


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pager_by_keyboard_and_axe(large_site, browser, viewport):
    server, _ = large_site
    page = browser.new_page(viewport=viewport)
    log = RequestLog(page, server.url)
    page.goto(server.url + "items/", wait_until="networkidle")
    pager = page.get_by_role("navigation", name="ページ送り")
    assert pager.get_by_role("link", name="1ページ目").get_attribute("aria-current") == "page"
    next_link = pager.get_by_role("link", name="次のページ")
    next_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/items/page/2/")
    assert "2ページ目" in page.title()
    assert page.get_by_role("navigation", name="ページ送り").get_by_role("link", name="2ページ目") \
        .get_attribute("aria-current") == "page"
    box = page.get_by_role("link", name="前のページ").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert_clean(page, log)
    page.goto(server.url + "en/items/page/3/", wait_until="networkidle")
    assert page.get_by_role("navigation", name="Pages").get_by_role("link", name="Page 3").get_attribute("aria-current") == "page"
    assert not page.get_by_role("link", name="Next page").count()  # the last page
    assert_clean(page, log)
    page.close()


def test_a_long_period_shows_its_first_works_and_links_to_all_of_them(large_site):
    _, site = large_site
    overview = (site / "items" / "periods" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(era-\d+)/">この年代の資料をすべて見る（(\d+)件）</a>', overview)
    assert links, "no period has more works than the overview shows"
    for key, count in links:
        pages = [site / "items" / "periods" / key / "index.html"]
        pages += sorted((site / "items" / "periods" / key / "page").glob("*/index.html"))
        works = [w for page in pages for w in _item_links(page.read_text(encoding="utf-8"))]
        assert len(works) == len(set(works)) == int(count)
    en = (site / "en" / "items" / "periods" / links[0][0] / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../items/gen-' in en  # from /en/items/periods/<key>/ to /en/items/<id>/


def test_a_creator_with_many_works_lists_the_first_and_pages_the_rest(large_site):
    _, site = large_site
    creator = (site / "creators" / "katsushika-hokusai" / "index.html").read_text(encoding="utf-8")
    total = int(re.search(r'<a href="works/">作品をすべて見る（(\d+)件）</a>', creator).group(1))
    assert total > len(range(0, EXTRA, 2))  # the generated works and the sample's own
    pages = [site / "creators" / "katsushika-hokusai" / "works" / "index.html"]
    pages += sorted((site / "creators" / "katsushika-hokusai" / "works" / "page").glob("*/index.html"))
    works = [w for page in pages for w in _item_links(page.read_text(encoding="utf-8"))]
    assert len(works) == len(set(works)) == total
    en = (site / "en" / "creators" / "katsushika-hokusai" / "works" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../items/' in en and "Works: Katsushika Hokusai" in en
