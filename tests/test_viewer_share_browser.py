"""Sharing a view of an item, in real Chromium: the viewer keeps the region the reader looks at
in the address (#xywh=…), "この部分を共有" copies a link carrying it as a IIIF Content State
(or hands it to the phone's share sheet), and opening either link shows that region again; a
content state made elsewhere (by the spec's own encoding) opens the canvas and region it names;
one that is unreadable or about another item opens the whole item and says so."""
from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, quote, unquote, urlparse

import pytest

from browser import DESKTOP, PHONE, RequestLog, assert_clean
from test_viewer_touch_browser import TOUCH_PHONE, open_viewer, settle

pytestmark = pytest.mark.browser

MAP = "items/edo-kiriezu-kojimachi/"
TWO_SCANS = "items/kanda-myojin-hikifuda/"

# The region the viewer shows now, in image pixels, and which image it is.
REGION = """() => {
    const s = document.querySelector('[data-viewer]');
    const v = s.osd, t = v.world.getItemAt(0);
    const r = t.viewportToImageRectangle(v.viewport.getBounds(true));
    const size = t.source.dimensions;
    const x = Math.max(0, r.x), y = Math.max(0, r.y);
    return {region: [x, y, Math.min(size.x, r.x + r.width) - x, Math.min(size.y, r.y + r.height) - y],
            size: [size.x, size.y], status: document.querySelector('[data-status]').textContent};
}"""


def encode(state: dict) -> str:
    """IIIF Content State 1.0, section 6: encodeURIComponent, base64url, no padding."""
    return base64.urlsafe_b64encode(quote(json.dumps(state), safe="").encode()).decode().rstrip("=")


def decode(value: str) -> dict:
    padded = value + "=" * (-len(value) % 4)
    return json.loads(unquote(base64.urlsafe_b64decode(padded).decode()))


def fragment_region(url: str) -> list[int]:
    params = dict(p.split("=", 1) for p in urlparse(url).fragment.split("&") if "=" in p)
    return [int(n) for n in params["xywh"].split(",")]


def shows(page, wanted: list[int]) -> dict:
    """The viewer shows the wanted region: all of it, centred, filling the view one way."""
    now = page.evaluate(REGION)
    x, y, w, h = now["region"]
    wx, wy, ww, wh = wanted
    slack = 0.03 * max(ww, wh)
    assert x <= wx + slack and y <= wy + slack and x + w >= wx + ww - slack and y + h >= wy + wh - slack, (now, wanted)
    assert abs((x + w / 2) - (wx + ww / 2)) < slack and abs((y + h / 2) - (wy + wh / 2)) < slack, (now, wanted)
    assert min(w / ww, h / wh) < 1.1, ("the region should fill the view", now, wanted)
    return now


def zoom_into_a_detail(page) -> list[int]:
    page.get_by_role("button", name="拡大", exact=True).click()
    page.get_by_role("button", name="拡大", exact=True).click()
    page.locator(".openseadragon-canvas").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    settle(page)
    page.wait_for_function("() => location.hash.includes('xywh=')")
    return fragment_region(page.url)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_address_keeps_the_view_and_opening_it_shows_the_same_region(sample_site, browser, viewport):
    server, _ = sample_site
    context, page, log = open_viewer(browser, server, MAP, viewport=viewport)
    region = zoom_into_a_detail(page)
    shows(page, region)
    assert "iiif-content" not in page.url
    again = context.new_page()
    again.goto(page.url)
    again.wait_for_selector("[data-viewer][data-ready=true]")
    settle(again)
    shows(again, region)
    assert again.url == page.url, "the address stays as the link gave it until the reader moves"
    again.get_by_role("button", name="全体", exact=True).click()
    again.wait_for_function("() => location.hash === ''")
    assert_clean(page, log)
    context.close()


def test_share_copies_a_content_state_link_that_opens_the_same_view(sample_site, browser):
    server, out = sample_site
    context, page, log = open_viewer(browser, server, MAP, viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/"))
    region = zoom_into_a_detail(page)
    share = page.get_by_role("button", name="この部分を共有", exact=True)
    share.click()
    notice = page.get_by_role("status").filter(has_text="コピーしました")
    notice.wait_for()
    assert share.get_attribute("aria-expanded") == "true"
    link = page.evaluate("navigator.clipboard.readText()")
    assert page.get_by_label("この部分へのリンク").input_value() == link
    query = parse_qs(urlparse(link).query)
    assert urlparse(link).path == urlparse(page.url).path and not urlparse(link).fragment
    state = decode(query["iiif-content"][0])
    manifest = json.loads((out / "iiif/edo-kiriezu-kojimachi/manifest.json").read_text(encoding="utf-8"))
    assert state["type"] == "Annotation" and state["motivation"] == ["contentState"]
    target = state["target"]
    assert target["type"] == "SpecificResource"
    assert target["source"]["id"] == manifest["items"][0]["id"] and target["source"]["type"] == "Canvas"
    assert target["source"]["partOf"] == [{"id": manifest["id"], "type": "Manifest"}]
    assert target["selector"]["type"] == "FragmentSelector"
    assert target["selector"]["value"] == "xywh=" + ",".join(map(str, region))
    # A published image of that part (level 0: a tile that contains it), or a note that there is none.
    crop = page.locator("[data-crop] a")
    if crop.count():
        href = crop.get_attribute("href")
        assert href.startswith(server.url + "iiif/edo-kiriezu-kojimachi/map/")
        response = page.request.get(href)
        assert response.ok and response.headers["content-type"] == "image/jpeg"
    else:
        assert "ありません" in page.locator("[data-crop]").inner_text()
    assert_clean(page, log)

    opened = context.new_page()
    opened.goto(link)
    opened.wait_for_selector("[data-viewer][data-ready=true]")
    settle(opened)
    shows(opened, region)
    context.close()


def test_the_crop_is_a_published_tile_that_holds_the_shared_part(sample_site, browser):
    server, _ = sample_site
    context, page, log = open_viewer(browser, server, MAP + "#xywh=4200,4300,700,500", viewport=DESKTOP)
    settle(page)
    page.get_by_role("button", name="この部分を共有", exact=True).click()
    href = page.locator("[data-crop] a").get_attribute("href")
    # The smallest tile around 4200,4300,700,500: 4096,4096,1024,1024 at half resolution.
    assert href == server.url + "iiif/edo-kiriezu-kojimachi/map/4096,4096,1024,1024/512,512/0/default.jpg"
    assert "512×512" in page.locator("[data-crop] a").inner_text()
    # Across a tile boundary at every level but the whole image: no crop, and the page says so.
    page.goto(server.url + MAP + "#xywh=5900,4000,300,300")
    page.wait_for_selector("[data-viewer][data-ready=true]")
    settle(page)
    page.get_by_role("button", name="この部分を共有", exact=True).click()
    assert page.locator("[data-crop] a").count() == 0
    assert "ありません" in page.locator("[data-crop]").inner_text()
    context.close()


def test_on_a_phone_share_hands_the_link_to_the_system_share_sheet(sample_site, browser):
    server, _ = sample_site
    context = browser.new_context(**TOUCH_PHONE)
    context.add_init_script("navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };")
    page = context.new_page()
    log = RequestLog(page, server.url)
    page.goto(server.url + "en/" + MAP)
    page.wait_for_selector("[data-viewer][data-ready=true]")
    page.get_by_role("button", name="Zoom in").tap()
    settle(page)
    page.get_by_role("button", name="Share this view").tap()
    page.get_by_role("status").filter(has_text="Shared").wait_for()
    shared = page.evaluate("window.__shared")
    assert "iiif-content=" in shared["url"] and urlparse(shared["url"]).path == "/en/" + MAP
    assert_clean(page, log)
    context.close()


def test_a_content_state_from_elsewhere_opens_its_canvas_and_region(sample_site, browser):
    server, out = sample_site
    manifest = json.loads((out / "iiif/kanda-myojin-hikifuda/manifest.json").read_text(encoding="utf-8"))
    back = manifest["items"][1]
    region = [back["width"] // 4, back["height"] // 4, back["width"] // 3, back["height"] // 3]
    # The spec's compact form (section 5.1): a Canvas with a fragment, partOf its manifest.
    state = {"id": back["id"] + "#xywh=" + ",".join(map(str, region)), "type": "Canvas",
             "partOf": [{"id": manifest["id"], "type": "Manifest"}]}
    context, page, log = open_viewer(browser, server, TWO_SCANS + "?iiif-content=" + encode(state), viewport=PHONE)
    settle(page)
    now = shows(page, region)
    assert "裏" in now["status"], "the second image, the back, is shown"
    # The page's own fragment names the image too.
    page.goto(server.url + TWO_SCANS + "#image=2&xywh=" + ",".join(map(str, region)))
    page.wait_for_selector("[data-viewer][data-ready=true]")
    settle(page)
    assert "裏" in shows(page, region)["status"]
    assert_clean(page, log)
    context.close()


@pytest.mark.parametrize("value", [
    "not-a-content-state",
    encode({"id": "https://example.org/iiif/other/canvas/1#xywh=0,0,10,10", "type": "Canvas"}),
    encode({"type": "Annotation", "motivation": ["contentState"], "target": {"id": "https://example.org/m.json", "type": "Manifest"}}),
    "JTdCJTIyaWQlMjIlM0E",  # cut off in the middle
], ids=["garbage", "other-canvas", "other-manifest", "truncated"])
def test_an_unreadable_or_foreign_content_state_opens_the_whole_item_and_says_so(sample_site, browser, value):
    server, _ = sample_site
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log = RequestLog(page, server.url)
    page.goto(server.url + MAP + "?iiif-content=" + value, wait_until="networkidle")
    page.wait_for_selector("[data-viewer][data-ready=true]")
    settle(page)
    assert page.evaluate("() => { const v = document.querySelector('[data-viewer]').osd.viewport; "
                         "return Math.abs(v.getZoom(true) - v.getHomeZoom()) < 1e-6; }")
    assert "全体を表示" in page.get_by_role("status").filter(has_text="共有").inner_text()
    assert not errors, errors
    assert not log.foreign, "a content state's addresses are never fetched"
    context.close()
