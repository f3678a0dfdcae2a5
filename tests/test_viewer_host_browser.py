"""The item viewer wherever the site is served and on what it spends, in real Chromium.

- Built for one address (site_url) and served from another origin or from a folder of another
  host (a mirror, a staging host, `make site` and a local server), the viewer loads its tiles
  from where the page is, with no request to the production host or any other; every link in
  the page that stays in the site works there.
- The page fetches no image the viewer then hides: the first picture is the viewer's own
  smallest level (fetched once), and the sharp view comes from the smallest level that fills
  the viewer at the screen's pixel density, no sharper.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest

from browser import DESKTOP, PHONE, RequestLog, axe_violations, describe
from conftest import StaticServer
from test_item_pages_browser import canvas_has_drawing

pytestmark = pytest.mark.browser

MAP = "items/edo-kiriezu-kojimachi/"
TWO_SCANS = "items/kanda-myojin-hikifuda/"
PRINT = "items/hokusai-kanagawa-oki-nami-ura/"
TILE = re.compile(r"/iiif/[^/]+/[^/]+/(full|\d+,\d+,\d+,\d+)/(\d+),(\d+)/0/default\.jpg$")


@pytest.fixture(scope="module")
def mirrors(sample_site, tmp_path_factory):
    """The sample site as built (for http://127.0.0.1:<port>/), served again from another origin
    (http://localhost:<other port>/) and from a folder of it (…/mirror/site/)."""
    _, out = sample_site
    above = tmp_path_factory.mktemp("mirror-root")
    (above / "mirror").mkdir()
    (above / "mirror" / "site").symlink_to(out, target_is_directory=True)
    origin, folder = StaticServer(out), StaticServer(above)
    yield {"origin": f"http://localhost:{origin.port}/", "sub-path": f"http://localhost:{folder.port}/mirror/site/"}
    origin.close()
    folder.close()


def in_site_links(page, base: str) -> list[str]:
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    return sorted({h.split("#")[0] for h in hrefs if h.startswith(base)})


@pytest.mark.parametrize("where,path,viewport", [
    ("origin", MAP, DESKTOP), ("sub-path", TWO_SCANS, PHONE), ("sub-path", "en/" + MAP, DESKTOP),
], ids=["other-origin-map", "sub-path-two-scans-phone", "sub-path-english-map"])
def test_served_from_elsewhere_the_viewer_loads_tiles_from_there_only(sample_site, mirrors, browser, where, path, viewport):
    server, _ = sample_site
    base = mirrors[where]
    production = urlparse(server.url).netloc
    page = browser.new_page(viewport=viewport)
    log = RequestLog(page, base)  # "foreign": any host but the mirror's
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_selector("[data-viewer][data-ready=true]")
    assert canvas_has_drawing(page)
    if path == TWO_SCANS:
        page.get_by_role("button", name="次の画像").click()
        page.wait_for_function("() => document.querySelector('[data-status]').textContent.includes('裏')")
        page.wait_for_load_state("networkidle")
        assert canvas_has_drawing(page)
    tiles = [u for u in log.requests if "/iiif/" in u]
    assert tiles and all(u.startswith(base + "iiif/") for u in tiles), tiles
    if path == TWO_SCANS:
        assert any("/back/" in u for u in tiles)
    assert not [u for u in log.requests if urlparse(u).netloc == production], "no request to the production host"
    assert not log.foreign and not log.failed, (log.foreign, log.failed)
    # Every link that stays in the site works from here; none leads to the production host.
    anchors = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert not [a for a in anchors if urlparse(a).netloc == production], "links lead to the production host"
    for link in in_site_links(page, base):
        response = page.request.get(link)
        assert response.ok, (link, response.status)
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.close()


# What the viewer draws: its image's size and the size it is drawn at, in device pixels.
DRAWN = """() => {
    const t = document.querySelector('[data-viewer]').osd.world.getItemAt(0);
    const a = t.imageToViewerElementCoordinates(new OpenSeadragon.Point(0, 0));
    const b = t.imageToViewerElementCoordinates(new OpenSeadragon.Point(t.source.width, t.source.height));
    return {width: t.source.width, levels: t.source.maxLevel - t.source.minLevel + 1,
            drawn: Math.max((b.x - a.x) / t.source.width, (b.y - a.y) / t.source.height) * devicePixelRatio};
}"""


@pytest.mark.parametrize("path", [MAP, PRINT], ids=["map", "print"])
@pytest.mark.parametrize("screen", [
    dict(viewport=PHONE, device_scale_factor=3, has_touch=True, is_mobile=True), dict(viewport=DESKTOP),
], ids=["phone", "desktop"])
def test_no_hidden_image_and_the_first_view_from_the_smallest_tiles_that_fill_it(sample_site, browser, path, screen):
    server, out = sample_site
    context = browser.new_context(**screen)
    page = context.new_page()
    log = RequestLog(page, server.url)
    page.goto(server.url + path, wait_until="networkidle")
    page.wait_for_selector("[data-viewer][data-ready=true]")
    page.wait_for_function("() => document.querySelector('[data-viewer]').osd.world.getItemAt(0).getFullyLoaded()")
    page.wait_for_load_state("networkidle")
    first = page.evaluate("document.querySelector('.viewer__first').src")
    images = [u for u in log.requests if u.endswith(".jpg")]
    assert images.count(first) == 1, "the first picture is fetched once: the viewer draws it from the cache"
    assert not page.locator(".viewer__first").is_visible(), "the viewer has taken over"
    drawn = page.evaluate(DRAWN)
    # Pyramid levels are halvings: the level that fills the view is the smallest at least as
    # large as the image is drawn (in device pixels).
    needed = 1.0
    while needed / 2 >= drawn["drawn"] * 0.99:
        needed /= 2
    scales = []
    for url in images:
        m = TILE.search(url)
        assert m, f"not a tile of the viewer: {url}"
        region, width = m.group(1), int(m.group(2))
        region_width = drawn["width"] if region == "full" else int(region.split(",")[2])
        scales.append(width / region_width)
    assert max(scales) == pytest.approx(needed, rel=0.02), (drawn, sorted(set(scales)), needed)
    still = page.evaluate("document.querySelector('noscript').textContent")
    big = urljoin(page.url, re.search(r'src="([^"]+)"', still).group(1))
    assert big not in log.requests, "the large image for readers without JavaScript is not fetched"
    assert not log.failed and not log.foreign
    context.close()


def test_without_javascript_the_large_image_covers_the_small_one(sample_site, browser):
    server, _ = sample_site
    page = browser.new_page(viewport=PHONE, java_script_enabled=False)
    page.goto(server.url + MAP, wait_until="networkidle")
    still = page.locator("img.viewer__still")
    assert still.is_visible() and page.evaluate("document.querySelector('img.viewer__still').naturalWidth") >= 1200
    box = still.bounding_box()
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).className",
                           [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert on_top == "viewer__still"
    assert not page.get_by_role("button", name="この部分を共有").is_visible()
    page.close()

