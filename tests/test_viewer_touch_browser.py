"""The item viewer under a finger and a mouse, in real Chromium: on a touch screen one finger
scrolls the page past the viewer, two fingers zoom, and "拡大して見る" opens a full-screen view
where one finger pans; with a mouse the wheel zooms and a drag pans, as they always have.
Touches go through the DevTools protocol (Input.dispatchTouchEvent), as a phone's would."""
from __future__ import annotations

import pytest

from browser import DESKTOP, PHONE, RequestLog, assert_clean

pytestmark = pytest.mark.browser

MAP = "items/edo-kiriezu-kojimachi/"  # the generated 12,000 x 9,000 sample map
TOUCH_PHONE = dict(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)

# The viewer is ready and every tile of its first view is in (the gestures start from a still picture).
FIRST_VIEW = """() => {
    const viewer = document.querySelector('[data-viewer][data-ready=true]'), image = viewer && viewer.osd.world.getItemAt(0);
    return !!image && image.getFullyLoaded();
}"""
# The view once the picture and the page have stopped moving (a fling can run on): the viewer
# not animating, and nothing moved for 300 ms and three frames drawn.
SETTLE = """async () => {
    const osd = document.querySelector('[data-viewer]').osd;
    const view = () => { const c = osd.viewport.getCenter(true);
        return {x: c.x, y: c.y, zoom: osd.viewport.getZoom(true), scrollY: window.scrollY, scale: visualViewport.scale}; };
    let last = JSON.stringify(view()), since = performance.now(), frames = 0;
    for (const end = performance.now() + 20000; performance.now() < end;) {
        await new Promise(r => requestAnimationFrame(r));
        const now = JSON.stringify(view());
        if (now !== last || (osd.isAnimating && osd.isAnimating())) { last = now; since = performance.now(); frames = 0; }
        else if (++frames >= 3 && performance.now() - since >= 300) break;
    }
    return view();
}"""


def open_viewer(browser, server, path, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    log = RequestLog(page, server.url)
    page.goto(server.url + path)
    page.wait_for_function(FIRST_VIEW)
    return context, page, log


def touch(cdp, fingers: list[tuple[tuple[float, float], tuple[float, float]]], steps: int = 12) -> None:
    """Put the fingers down at their starts, move them to their ends, lift them."""
    def at(k: int) -> list[dict]:
        return [{"x": a[0] + (b[0] - a[0]) * k / steps, "y": a[1] + (b[1] - a[1]) * k / steps, "id": i}
                for i, (a, b) in enumerate(fingers)]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": at(0)})
    for k in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": at(k)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def stage_center(page) -> tuple[float, float]:
    box = page.locator(".viewer__stage").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def settle(page) -> dict:
    """The view once the picture and the page have stopped moving (SETTLE)."""
    return page.evaluate(SETTLE)


def test_one_finger_scrolls_the_page_past_the_viewer_and_two_fingers_zoom(sample_site, browser):
    server, _ = sample_site
    context, page, log = open_viewer(browser, server, MAP, **TOUCH_PHONE)
    cdp = context.new_cdp_session(page)
    # The viewer in the middle of the screen, with page left to scroll below it.
    page.evaluate("() => { const s = document.querySelector('.viewer__stage'); "
                  "window.scrollTo(0, s.getBoundingClientRect().top + scrollY - 250); }")
    before = settle(page)
    x, y = stage_center(page)
    touch(cdp, [((x, y + 60), (x, y - 140))])
    after = settle(page)
    assert after["scrollY"] >= before["scrollY"] + 100, ("one finger should scroll the page", before, after)
    assert (after["x"], after["y"], after["zoom"]) == pytest.approx((before["x"], before["y"], before["zoom"])), \
        "one finger must not move the picture"

    x, y = stage_center(page)
    touch(cdp, [((x - 20, y), (x - 120, y)), ((x + 20, y), (x + 120, y))])
    pinched = settle(page)
    assert pinched["zoom"] > after["zoom"] * 2, ("two fingers should zoom the picture", after, pinched)
    assert pinched["scale"] == 1 and abs(pinched["scrollY"] - after["scrollY"]) < 5, "the page itself stays put"
    help_line = page.locator(".viewer__help--touch")
    assert help_line.is_visible() and "1本の指" in help_line.inner_text()
    assert_clean(page, log)
    context.close()


def test_zoom_control_opens_a_full_screen_view_where_one_finger_pans(sample_site, browser):
    server, _ = sample_site
    context, page, log = open_viewer(browser, server, MAP, **TOUCH_PHONE)
    cdp = context.new_cdp_session(page)
    enter = page.get_by_role("button", name="拡大して見る", exact=True)
    box = enter.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    enter.tap()
    page.wait_for_function("() => document.querySelector('[data-action=\"full-screen\"]')"
                           ".getAttribute('aria-pressed') === 'true'")
    assert not enter.is_visible()
    stage = page.locator(".viewer__stage").bounding_box()
    assert stage["height"] >= PHONE["height"] * 0.5, stage
    page.get_by_role("button", name="拡大", exact=True).tap()
    before = settle(page)
    x, y = stage_center(page)
    touch(cdp, [((x + 80, y + 60), (x - 80, y - 60))])
    after = settle(page)
    assert abs(after["x"] - before["x"]) > 0.01 or abs(after["y"] - before["y"]) > 0.01, \
        ("one finger should pan in the full-screen view", before, after)
    assert after["scrollY"] == before["scrollY"]
    assert_clean(page, log)
    page.get_by_role("button", name="全画面", exact=True).tap()
    page.wait_for_function("() => document.querySelector('[data-action=\"full-screen\"]')"
                           ".getAttribute('aria-pressed') === 'false'")
    # Back on the page: one finger scrolls it again.
    assert page.evaluate("getComputedStyle(document.querySelector('.openseadragon-canvas')).touchAction") == "pan-x pan-y"
    assert enter.is_visible()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_mouse_wheel_zooms_and_drag_pans_as_before(sample_site, browser, viewport):
    server, _ = sample_site
    context, page, log = open_viewer(browser, server, MAP, viewport=viewport)
    assert not page.get_by_role("button", name="拡大して見る").is_visible(), "a touch control only"
    assert not page.locator(".viewer__help--touch").is_visible()
    page.locator(".viewer__stage").scroll_into_view_if_needed()
    before = settle(page)
    x, y = stage_center(page)
    page.mouse.move(x, y)
    for _ in range(3):
        page.mouse.wheel(0, -200)
        page.wait_for_timeout(120)  # OpenSeadragon takes one wheel step per 50 ms
    zoomed = settle(page)
    assert zoomed["zoom"] > before["zoom"] * 1.3, (before, zoomed)
    assert zoomed["scrollY"] == before["scrollY"], "the wheel over the picture zooms it, the page stays"
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 100, y - 60, steps=8)
    page.mouse.up()
    panned = settle(page)
    assert abs(panned["x"] - zoomed["x"]) > 0.01, (zoomed, panned)
    assert_clean(page, log)
    context.close()
