"""Item pages in real Chromium: the deep-zoom viewer draws, every tile request succeeds, the
controls are large Japanese-labelled buttons that zoom (and so do the keys), nothing leaves
the site, axe finds nothing; without JavaScript the page still shows a large image."""
from __future__ import annotations

import contextlib

import pytest

from browser import DESKTOP, PHONE, RequestLog, assert_clean, audit, axe_violations, describe, visit

pytestmark = pytest.mark.browser

MAP = "items/edo-kiriezu-kojimachi/"  # the generated 12,000 x 9,000 sample map
TWO_SCANS = "items/kanda-myojin-hikifuda/"


@contextlib.contextmanager
def open_viewer(browser, server, path, viewport):
    """The item page at path in the session's tab for this size, its viewer ready and drawing."""
    with visit(browser, server.url + path, viewport) as (page, log):
        page.wait_for_function("() => window.OpenSeadragon && document.querySelector('.openseadragon-canvas canvas')")
        yield page, log


def tiles_loaded(log) -> list[str]:
    return [u for u in log.requests if "/iiif/" in u and u.endswith("/default.jpg")]


DRAWN = """() => {
        const item = document.querySelector('[data-viewer]').osd.world.getItemAt(0);
        if (!item || !item.getFullyLoaded()) return false;
        const c = document.querySelector('.openseadragon-canvas canvas');
        const ctx = c.getContext('2d');
        const data = ctx.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < data.length; i += 4 * 97) seen.add(data[i] + ',' + data[i+1] + ',' + data[i+2]);
        return seen.size > 3;
    }"""


def canvas_has_drawing(page) -> bool:
    # Sample the drawn canvas once every visible tile is in: a drawn scan has many colours.
    page.wait_for_function(DRAWN, timeout=15000)
    return True


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_viewer_draws_tiles_and_zooms_by_button_and_keyboard(sample_site, browser, viewport):
    server, _ = sample_site
    with open_viewer(browser, server, MAP, viewport) as (page, log):
        assert canvas_has_drawing(page)
        assert not page.locator("img.viewer__still").is_visible(), "the still image should give way to the viewer"
        box = page.locator(".openseadragon-canvas").bounding_box()
        column = page.locator("article.md-content__inner").bounding_box()
        # The viewer has the map's proportions (4:3): the whole map fills it, up to most of a screen.
        assert box["width"] >= column["width"] * 0.9, (box, column)
        assert box["height"] >= min(box["width"] * 0.75 * 0.98, viewport["height"] * 0.5), (box, column)
        assert tiles_loaded(log), "the viewer requested no tiles"
        start = page.evaluate("() => document.querySelector('[data-viewer]').osd.viewport.getZoom(true)")
        page.get_by_role("button", name="拡大").click()
        after_button = page.evaluate("() => document.querySelector('[data-viewer]').osd.viewport.getZoom(false)")
        assert after_button > start * 1.3
        page.locator(".openseadragon-canvas").focus()
        page.keyboard.press("+")
        after_key = page.evaluate("() => document.querySelector('[data-viewer]').osd.viewport.getZoom(false)")
        assert after_key > after_button * 1.1
        page.keyboard.press("-")
        page.keyboard.press("-")
        page.get_by_role("button", name="全体").click()
        log.wait_until_quiet()  # the tiles of every view it passed through
        more_tiles = tiles_loaded(log)
        assert len(more_tiles) > 4, "zooming in fetched no deeper tiles"
        assert not log.failed, f"failed requests: {log.failed}"
        assert not log.foreign, f"requests to other hosts: {log.foreign}"
        violations = axe_violations(page)
        assert not violations, describe(violations)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_controls_are_large_japanese_buttons(sample_site, browser, viewport):
    server, _ = sample_site
    with open_viewer(browser, server, TWO_SCANS, viewport) as (page, log):
        names = ["拡大", "縮小", "全体", "全画面", "前の画像", "次の画像", "この部分を共有"]
        for name in names:
            button = page.get_by_role("button", name=name, exact=True)
            box = button.bounding_box()
            assert box and box["width"] >= 44 and box["height"] >= 44, (name, box)
        full = page.get_by_role("button", name="全画面", exact=True)
        full.click()
        page.wait_for_function("() => document.querySelector('[data-action=\"full-screen\"]')"
                               ".getAttribute('aria-pressed') === 'true'")
        box = page.locator(".openseadragon-canvas").bounding_box()
        assert box["height"] >= viewport["height"] * 0.6, "full screen should give the image the screen"
        full.click()
        page.wait_for_function("() => document.querySelector('[data-action=\"full-screen\"]')"
                               ".getAttribute('aria-pressed') === 'false'")
        # Keyboard: Tab reaches the buttons and Enter works (next image shows the back).
        page.get_by_role("button", name="次の画像").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('[data-status]').textContent.includes('裏')")
        assert canvas_has_drawing(page)
        assert any("/back/" in u for u in tiles_loaded(log))
        assert_clean(page, log)


def test_english_page_viewer_and_thumbnail_strip(sample_site, browser):
    server, _ = sample_site
    with open_viewer(browser, server, "en/" + TWO_SCANS, PHONE) as (page, log):
        assert page.evaluate("document.documentElement.lang") == "en"
        page.get_by_role("link", name="Back", exact=True).click()
        page.wait_for_function("() => document.querySelector('[data-status]').textContent.includes('Back (image 2 of 2)')")
        assert canvas_has_drawing(page)
        assert any("/back/" in u for u in tiles_loaded(log))
        assert_clean(page, log)


def test_without_javascript_a_large_image_is_shown(sample_site, browser):
    server, _ = sample_site
    page = browser.new_page(viewport=PHONE, java_script_enabled=False)
    log = RequestLog(page, server.url)
    page.goto(server.url + MAP, wait_until="networkidle")
    still = page.locator("img.viewer__still")
    assert still.is_visible()
    assert page.evaluate("() => document.querySelector('img.viewer__still').naturalWidth") >= 1200
    assert still.get_attribute("alt")
    assert not log.failed, log.failed
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["items/", "en/items/", "items/types/map/", "en/items/types/ukiyo-e/"])
def test_browse_pages_show_thumbnails_with_alt_text(sample_site, browser, path, viewport):
    server, _ = sample_site
    with visit(browser, server.url + path, viewport) as (page, log):
        images = page.locator(".item-grid img")
        assert images.count() >= 1
        for i in range(images.count()):
            assert images.nth(i).get_attribute("alt")
            assert images.nth(i).get_attribute("loading") == "lazy"
        violations = audit(page)
        assert not violations, describe(violations)
        assert not log.failed and not log.foreign, (log.failed, log.foreign)
