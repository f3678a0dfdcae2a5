"""The librarian's pages in real Chromium: the staff report, authority pages, era browse and
the open-data page pass axe-core at phone and desktop sizes and load nothing from elsewhere."""
from __future__ import annotations

import pytest

from browser import DESKTOP, PHONE, audit, describe, visit

pytestmark = pytest.mark.browser

PAGES = [
    ("report/", "ja"), ("en/report/", "en"),
    ("creators/katsushika-hokusai/", "ja"), ("en/creators/katsushika-hokusai/", "en"),
    ("series/fugaku36/", "ja"), ("en/series/meisho-edo-hyakkei/", "en"),
    ("creators/", "ja"), ("en/series/", "en"),
    ("items/periods/", "ja"), ("en/items/periods/", "en"),
    ("data/", "ja"), ("en/data/", "en"),
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path,lang", PAGES)
def test_librarian_pages_are_accessible(sample_site, browser, path, lang, viewport):
    server, _ = sample_site
    with visit(browser, server.url + path, viewport) as (page, log):
        assert page.evaluate("document.documentElement.lang") == lang
        violations = audit(page)
        assert not violations, describe(violations)
        assert not log.failed and not log.foreign, (log.failed, log.foreign)


def test_report_page_is_for_staff_only(sample_site, browser):
    server, out = sample_site
    with visit(browser, server.url + "report/", DESKTOP) as (page, _):
        assert page.locator("h1").inner_text() == "品質レポート（職員用）"
        assert page.get_by_role("table").first.is_visible()
        page.goto(server.url)
        assert not page.locator("a[href*='report/']").count()  # not in the navigation
    # Nothing outside report/ links to it; the search indexes only item, lesson and class pages.
    linking = [p for p in out.rglob("*.html") if "report/" in p.read_text(encoding="utf-8") and "report" not in p.parts]
    assert linking == []


def test_authority_page_links_works_and_back(sample_site, browser):
    server, _ = sample_site
    with visit(browser, server.url + "creators/katsushika-hokusai/", PHONE) as (page, _):
        assert page.locator("h1").inner_text() == "葛飾北斎"
        assert "1760–1849" in page.locator("dl").inner_text()
        for link in page.locator(".work-list a").all():  # finger-sized targets
            box = link.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44
        page.get_by_role("link", name="冨嶽三十六景　神奈川沖浪裏").click()
        page.wait_for_load_state()
        assert page.url == server.url + "items/hokusai-kanagawa-oki-nami-ura/"
        page.goto(server.url + "en/items/periods/")
        assert page.get_by_role("heading", name="Ansei (1854–60) (1)").is_visible()
        assert "1857 (Ansei 4)" in page.locator("main").inner_text()
