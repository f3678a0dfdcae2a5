"""The site as a senior or a resident meets it, in real Chromium, at a phone's size (390×844)
and a computer's (1280×800), with the reading aids off and on (text at 2×, high contrast):
readable text in the frame too, where one is, the keyboard's way through every page and its
menu, a focus ring that shows on every background, nothing off the screen, the 404 page and
the policy pages. axe (WCAG 2.2 A/AA and best practice) runs once per page, size and setting.

A complete run of the accessibility checks (this module and test_a11y_content_browser.py)
writes its results to tests/accessibility-results.json, which the accessibility policy page states.
"""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import re
import threading
from pathlib import Path

import pytest

from browser import AIDS_ON, DESKTOP, PHONE, audit, axe_version, axe_violations, describe, tab, visit
from conftest import REPO, free_port
from generator.render.policy import RESULTS as RESULTS_FILE

pytestmark = pytest.mark.browser

ZOOM_200 = {"width": 640, "height": 400}  # a 1280×800 window at 200% zoom
SITE_NAME = {"ja": "千代田区デジタルアーカイブ・スマホ教室", "en": "Chiyoda City Digital Archive and Smartphone Classes"}

# Each kind of page, some in English too. (path, breadcrumbs expected: pages below a section)
PAGES = [
    ("", False), ("en/", False),
    ("items/", False), ("items/hokusai-kanagawa-oki-nami-ura/", True), ("en/items/kanda-myojin-hikifuda/", True),
    ("items/periods/", True), ("creators/katsushika-hokusai/", True), ("series/", True),
    ("lessons/", False), ("lessons/denwa-no-kakekata/", True), ("en/lessons/chizu-apuri/", True),
    ("classes/", False), ("classes/hajimete-sumaho/", True), ("en/classes/2026-12/", True),
    ("search/?q=%E5%8C%97%E6%96%8E", True), ("data/", False), ("accessibility/", True),
]
# Reading aids on (2×, high contrast) change every page's layout on a phone (English words, which
# do not break, as well as Japanese); on a computer these pages show what changes there
# (sidebars give way, tabs wrap, the month turns to a list).
WIDE_WITH_AIDS = {"", "items/hokusai-kanagawa-oki-nami-ura/", "lessons/denwa-no-kakekata/", "en/classes/2026-12/",
                  "search/?q=%E5%8C%97%E6%96%8E"}
SETTINGS = [("phone-aids-off", PHONE, None, ""), ("desktop-aids-off", DESKTOP, None, ""),
            ("phone-aids-on", PHONE, AIDS_ON, ""), ("desktop-aids-on", DESKTOP, AIDS_ON, "wide")]
CASES = [pytest.param(path, crumbs, viewport, aids, id=f"{path.split('?')[0] or 'home'}-{name}")
         for path, crumbs in PAGES for name, viewport, aids, only in SETTINGS if not only or path in WIDE_WITH_AIDS]
SECTION = {"items": "items/", "creators": "items/", "series": "items/", "lessons": "lessons/", "classes": "classes/",
           "data": "data/"}


# ---- what a complete run found, for the accessibility policy page ---------------------------
CHECKS = {
    "axe": ("axe-core による自動検査（WCAG 2.2 レベル A・AA とベストプラクティス）",
            "axe-core automated checks (WCAG 2.2 level A and AA, and best practices)", "WCAG 2.2 A/AA"),
    "text": ("文字の大きさ（16px 以上、テキストは 18px 以上）と、今いる場所の表示",
             "Text size (16 px or more, lessons 18 px) and showing where the reader is", "1.4.4, 2.4.8"),
    "keyboard": ("キーボードだけでの操作（本文へ移動、メニュー、画面の外に隠れた操作部品がないこと）",
                 "Use by keyboard alone (skip link, menu, nothing focusable off the screen)", "2.1.1, 2.4.1, 2.4.3"),
    "focus": ("フォーカス枠が、どの背景の上でも 3:1 以上のコントラストで見えること",
              "A focus ring with at least 3:1 contrast on every background", "1.4.11, 2.4.7"),
    "reflow": ("文字2倍のスマホで、横にはみ出さず、横スクロールもしないこと", "Text at 2× on a phone: nothing off the screen, no sideways scrolling",
               "1.4.4, 1.4.10"),
    "contrast-states": ("白黒はっきりの表示で、リンクや選んだものが見分けられること",
                        "High contrast: links and chosen states stay distinguishable", "1.4.1, 1.4.11"),
    "not-found": ("ページが見つからないときの案内（日本語・英語、どの階層でも）",
                  "The page-not-found page (Japanese and English, at any depth)", "2.4.5, 3.1.1"),
    "lessons": ("スマホ教室のテキストの読み上げと、印刷用の A4 の配布資料", "Lessons read aloud, and their A4 handout", ""),
    "classes": ("教室の日程（次回を先に、月の予定はスマホでは一覧、印刷では表）",
                "Class dates (next class first; the month as a list on phones, a table in print)", "1.3.2, 1.4.10"),
    "search": ("日本語入力中の検索（変換が終わってから検索し、件数を知らせる）",
               "Search while typing Japanese (searched and announced once the word is confirmed)", "3.2.2, 4.1.3"),
}
EXPECTED: dict[str, int] = {}  # check -> runs in a complete run (each test registers its own)
RESULTS: dict[str, dict[str, int]] = {}
TOOLS: dict[str, str] = {}


def expect(check: str, runs: int) -> None:
    EXPECTED[check] = EXPECTED.get(check, 0) + runs


def records(check: str):
    """Count the decorated test's outcome towards `check`."""
    def wrap(test):
        @functools.wraps(test)
        def run(*args, **kwargs):
            entry = RESULTS.setdefault(check, {"runs": 0, "failed": 0})
            try:
                test(*args, **kwargs)
            except BaseException as exc:
                if not isinstance(exc, pytest.skip.Exception):
                    entry["runs"] += 1
                    entry["failed"] += 1
                raise
            entry["runs"] += 1
        return run
    return wrap


@pytest.fixture(scope="session", autouse=True)
def a11y_results():
    """After the session: a complete run of every check, of both modules (not one module alone
    nor a -k selection), is recorded."""
    yield
    complete = set(EXPECTED) == set(CHECKS) and all(RESULTS.get(c, {}).get("runs") == n for c, n in EXPECTED.items())
    if not complete:
        return
    data = {
        "date": dt.date.today().isoformat(),
        "tools": TOOLS,
        "pages": len(PAGES),
        "viewports": ["390x844", "1280x800", "640x400"],
        "checks": [{"id": c, "ja": CHECKS[c][0], "en": CHECKS[c][1], "criteria": CHECKS[c][2],
                    "runs": RESULTS[c]["runs"], "failed": RESULTS[c]["failed"]} for c in CHECKS if c in RESULTS],
    }
    (REPO / RESULTS_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                                     encoding="utf-8")


# ---- helpers ---------------------------------------------------------------------------------
# Visible text smaller than `least` px (furigana, drawn small by design, aside).
SMALL_TEXT = """(least) => { const out = new Set(); const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode());) {
    if (!n.textContent.trim()) continue; const el = n.parentElement;
    if (el.closest('rt, rp, script, style, noscript, [hidden], .md-dialog')) continue;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.width <= 1 || r.height <= 1 || s.visibility === 'hidden' || s.clip === 'rect(0px, 0px, 0px, 0px)') continue;
    if (el.closest('.md-sidebar--primary') && getComputedStyle(el.closest('.md-sidebar--primary')).visibility === 'hidden') continue;
    const size = parseFloat(s.fontSize);
    if (size < least - 0.05) out.add(`${size}px ${el.tagName.toLowerCase()}.${el.className} "${n.textContent.trim().slice(0, 20)}"`);
  } return [...out]; }"""

# Elements drawn outside the screen's width (the closed menu and hidden dialogs aside).
OFF_SCREEN = """() => { const W = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter(e => {
    if (e.closest('.md-dialog, [hidden]')) return false;
    const s = getComputedStyle(e); if (s.visibility === 'hidden' || s.display === 'none') return false;
    if (s.clip === 'rect(0px, 0px, 0px, 0px)' || e.closest('.site-skip')) return false;
    const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && (r.right > W + 1 || r.left < -1);
  }).slice(0, 8).map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().left)}..${Math.round(e.getBoundingClientRect().right)}`); }"""

# What the keyboard reaches, recorded as it gets there: where it is drawn (in the page, so
# that scrolling does not matter), whether it can be seen, its focus ring and the colours
# behind the ring (the backgrounds outside the element, the nearest first).
FOCUS_INFO = """(e) => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  const backgrounds = []; for (let p = e.parentElement; p; p = p.parentElement) backgrounds.push(getComputedStyle(p).backgroundColor);
  let hidden = false; for (let p = e; p; p = p.parentElement) { const ps = getComputedStyle(p);
    if (ps.visibility === 'hidden' || ps.opacity === '0') hidden = true; }
  return {tag: e.tagName.toLowerCase(), cls: String(e.className), text: (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 30),
    left: r.left + scrollX, right: r.right + scrollX, top: r.top + scrollY, width: r.width, height: r.height,
    vw: document.documentElement.clientWidth, pageHeight: document.documentElement.scrollHeight, hidden,
    outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor, backgrounds,
    inContent: !!e.closest('.md-content') && !e.closest('.site-breadcrumbs'), isSkip: e.classList.contains('site-skip')}; }"""
FOCUSED = f"() => document.activeElement && document.activeElement !== document.body ? ({FOCUS_INFO})(document.activeElement) : null"
START_WALK = f"""() => {{
  if (!window.__walk) {{ window.__walk = []; document.addEventListener('focusin', e => window.__walk.push(({FOCUS_INFO})(e.target)), true); }}
  // From the top: focusing the page itself moves where the next Tab starts from (a blur does not).
  document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex');
  window.scrollTo(0, 0); window.__walk.length = 0;
  return document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').length; }}"""


def rgba(css: str) -> tuple[float, float, float, float]:
    nums = [float(x) for x in re.findall(r"[\d.]+", css)]
    return (nums[0], nums[1], nums[2], nums[3] if len(nums) > 3 else 1.0)


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def behind(backgrounds: list[str]) -> tuple[float, float, float]:
    """The colour the layers of backgrounds make, the nearest first, over a white page."""
    colour = (255.0, 255.0, 255.0)
    for layer in reversed(backgrounds):
        r, g, b, a = rgba(layer)
        colour = tuple(a * c + (1 - a) * under for c, under in zip((r, g, b), colour))  # type: ignore[assignment]
    return colour


# Whether the walk has come round to a stop it made before.
ROUND = """() => { const seen = new Set();
  return window.__walk.some(i => { const key = [i.tag, i.cls, i.text, Math.round(i.top)].join('|');
    return seen.has(key) || !seen.add(key); }); }"""


def keyboard_walk(page, limit: int = 200) -> list[dict]:
    """Every stop of the Tab key from the top of the page, once round."""
    presses = min(limit, page.evaluate(START_WALK) + 2)
    while presses > 0:  # (in steps: the walk is round long before every element that could be focused is)
        for _ in range(min(16, presses)):
            page.keyboard.press("Tab")
        presses -= 16
        if page.evaluate(ROUND):
            break
    stops, seen = [], set()
    for info in page.evaluate("window.__walk"):
        key = (info["tag"], info["cls"], info["text"], round(info["top"]))
        if key in seen:
            break
        seen.add(key)
        stops.append(info)
    return stops


def problems_of_stop(stop: dict) -> list[str]:
    where = f'{stop["tag"]}.{stop["cls"]} "{stop["text"]}"'
    out = []
    if stop["hidden"] or stop["width"] < 1 or stop["height"] < 1:
        out.append(f"focusable but not visible: {where}")
    elif stop["left"] < -1 or stop["right"] > stop["vw"] + 1 or stop["top"] + stop["height"] <= 0 \
            or stop["top"] >= stop["pageHeight"]:
        out.append(f"focusable off the screen: {where} at {round(stop['left'])},{round(stop['top'])}")
    if stop["outline"] in ("none", "hidden") or stop["outlineWidth"] < 2:
        out.append(f"no focus ring: {where}")
    else:
        ratio = contrast(rgba(stop["outlineColor"])[:3], behind(stop["backgrounds"]))
        if ratio < 3:
            out.append(f"focus ring {stop['outlineColor']} has {ratio:.2f}:1 on {behind(stop['backgrounds'])}: {where}")
    return out


def lang_of(path: str) -> str:
    return "en" if path.startswith("en/") else "ja"


def section_of(path: str) -> str:
    parts = path.split("?")[0].strip("/").split("/")
    if parts[0] == "en":
        parts = parts[1:]
    return SECTION.get(parts[0], "") if parts and parts[0] else ""


# ---- every kind of page ------------------------------------------------------------------------
for _check in ("axe", "text", "keyboard", "focus"):
    expect(_check, len(CASES))


@pytest.mark.parametrize("path,crumbs,viewport,aids", CASES)
def test_page(sample_site, browser, path, crumbs, viewport, aids):
    server, _ = sample_site
    TOOLS.setdefault("chromium", browser.version)
    failures = []
    with visit(browser, server.url + path, viewport, aids) as (page, _):
        # Every check runs (and is counted) even when one before it fails.
        for check in (lambda: _axe_is_clean(page), lambda: _text_is_large_and_the_place_is_shown(page, path, crumbs, viewport)):
            failures += _failure(check)
        stops = keyboard_walk(page)
        failures += _failure(lambda: _keyboard_reaches_everything_visibly(page, stops))
        failures += _failure(lambda: _focus_ring_shows(stops))
    assert not failures, "\n\n".join(failures)


def _failure(check) -> list[str]:
    try:
        check()
    except AssertionError as exc:
        return [str(exc)]
    return []


@records("axe")
def _axe_is_clean(page):
    TOOLS.setdefault("axe-core", axe_version(page))
    violations = audit(page)
    assert not violations, describe(violations)


@records("text")
def _text_is_large_and_the_place_is_shown(page, path, crumbs, viewport):
    lang = lang_of(path)
    lesson = bool(re.match(r"(en/)?lessons/[^/]+/$", path))
    small = page.evaluate(SMALL_TEXT, 18 if lesson else 16)
    assert not small, f"text under {18 if lesson else 16} px: {small}"
    # The footer: policy pages and a contact, in the page's language.
    footer = page.locator(".site-footer__links a").evaluate_all("els => els.map(a => [a.textContent, new URL(a.href).pathname])")
    prefix = "/en/" if lang == "en" else "/"
    assert footer == ([["ウェブアクセシビリティ方針", "/accessibility/"], ["プライバシーポリシー", "/privacy/"]] if lang == "ja"
                      else [["Accessibility policy", "/en/accessibility/"], ["Privacy", "/en/privacy/"]]), footer
    assert prefix and page.locator(".site-footer a[href^='tel:']").count() == 1
    # Where the reader is: the current section's tab (wide screens) or menu entry (phones).
    section = section_of(path)
    home = path in ("", "en/")
    if section or home:
        marker = ".md-tabs__link[aria-current]" if viewport is DESKTOP else ".md-nav--primary .md-nav__link[aria-current]"
        current = page.locator(marker)
        assert current.count() == 1, f"{marker}: {current.count()}"
        href = current.get_attribute("href")
        assert page.evaluate("h => new URL(h, location.href).pathname", href) == \
            "/" + ("en/" if lang == "en" else "") + section
        # Marked by more than colour: in bold, with a bar under the tab or beside the menu entry.
        weight, bar = current.evaluate("e => { const s = getComputedStyle(e); return [s.fontWeight, "
                                       "Math.max(parseFloat(s.borderBottomWidth), parseFloat(s.borderLeftWidth))]; }")
        assert int(weight) >= 700 and bar >= 3, (weight, bar)
    if crumbs:
        nav = page.locator("nav.site-breadcrumbs")
        assert nav.is_visible()
        items = nav.locator("li")
        assert items.count() >= 2 and items.last.locator("[aria-current=page]").count() == 1
        first = nav.locator("a").first
        assert first.inner_text() == ("ホーム" if lang == "ja" else "Home")
        assert page.evaluate("h => new URL(h, location.href).pathname", first.get_attribute("href")) == \
            ("/en/" if lang == "en" else "/")
    if home:
        assert page.locator("h1").inner_text() == SITE_NAME[lang]
        cards = page.locator(".home-sections > li").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, "
            "getComputedStyle(e).listStyleType, getComputedStyle(e).display]; })")
        assert len(cards) == 3
        for a, b in zip(cards, cards[1:]):
            gap = max(b[1] - a[3], b[0] - a[2])  # below, or beside
            assert gap >= 8, f"cards {gap}px apart"
        assert all(c[4] == "none" or c[5] != "list-item" for c in cards), "bullets beside the cards"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    # No table column so narrow that its words break a letter or two a line.
    narrow = page.evaluate("""() => [...document.querySelectorAll('.md-content td, .md-content th')]
        .filter(c => c.getClientRects().length && c.textContent.trim().length > 2)
        .filter(c => !c.closest('thead') || getComputedStyle(c.closest('thead')).position !== 'absolute')  // read, not shown
        .filter(c => c.clientWidth < 3.5 * parseFloat(getComputedStyle(c).fontSize)).map(c => c.textContent.trim().slice(0, 20))""")
    assert not narrow, f"table cells too narrow for their words: {narrow}"
    off = page.evaluate(OFF_SCREEN)
    assert not off, f"drawn off the screen: {off}"


@records("keyboard")
def _keyboard_reaches_everything_visibly(page, stops):
    assert stops and stops[0]["isSkip"], f"the first stop is not the skip link: {stops[:1]}"
    visibility = [p for s in stops for p in problems_of_stop(s) if "focus ring" not in p and "no focus ring" not in p]
    assert not visibility, "\n".join(visibility)
    # The skip link leads past the header, tabs, menu and breadcrumbs into the content.
    page.evaluate(START_WALK)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUSED)
    assert after and after["inContent"], f"after the skip link: {after}"


@records("focus")
def _focus_ring_shows(stops):
    rings = [p for s in stops for p in problems_of_stop(s) if "focus ring" in p]
    assert not rings, "\n".join(rings)


# ---- the menu by keyboard, at phone width and at 200% zoom -------------------------------------
expect("keyboard", 2 * 2)


@pytest.mark.parametrize("aids", [None, AIDS_ON], ids=["aids-off", "aids-on"])
@pytest.mark.parametrize("viewport", [PHONE, ZOOM_200], ids=["phone", "zoom-200"])
@records("keyboard")
def test_menu_opens_and_closes_by_keyboard(sample_site, browser, viewport, aids):
    server, _ = sample_site
    with visit(browser, server.url + "lessons/denwa-no-kakekata/", viewport, aids) as (page, _):
        button = page.get_by_role("button", name="メニュー")
        drawer = page.locator(".md-sidebar--primary")
        assert not drawer.locator("a").first.is_visible()  # closed: out of sight and out of the keyboard's way
        for _ in range(30):  # reach it by the Tab key alone
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('site-menu-button')"):
                break
        else:
            pytest.fail("the menu button cannot be reached with the Tab key")
        assert button.get_attribute("aria-expanded") == "false"
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        page.wait_for_function("getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'visible'")
        focused = page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")
        assert focused, "focus did not move into the open menu"
        current = drawer.locator("a[aria-current]")
        assert current.is_visible() and current.inner_text().strip() == "スマホ教室のテキスト"
        small = page.evaluate(SMALL_TEXT, 18)  # the menu's text too: this is a lesson page
        assert not small, small
        # It covers the page: opaque, its entries readable on it (the page is not seen through).
        cover = drawer.locator(".md-nav__list").evaluate("e => [getComputedStyle(e).backgroundColor, "
                                                         "getComputedStyle(e.querySelector('a')).color]")
        assert rgba(cover[0])[3] == 1 and contrast(rgba(cover[0])[:3], rgba(cover[1])[:3]) >= 4.5, cover
        page.wait_for_function("""() => document.querySelector('.md-sidebar--primary')
            .getAnimations({subtree: true}).every(a => a.playState !== 'running')""")  # it has slid in
        box = drawer.bounding_box()
        assert box["x"] >= -1 and box["x"] + box["width"] <= viewport["width"] + 1
        for _ in range(3):  # through the menu's entries: each on the screen, with its ring
            page.keyboard.press("Tab")
            stop = page.evaluate(FOCUSED)
            assert "md-nav__link" in stop["cls"] and not problems_of_stop(stop), stop
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.classList.contains('site-menu-button')")
        drawer.locator("a").first.wait_for(state="hidden")
        # Enter opens it again and a link in it is followed.
        page.keyboard.press("Enter")
        page.wait_for_function("getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'visible'")
        page.keyboard.press("Tab")  # from ホーム to アーカイブ
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/items/")


# ---- reading aids that keep meaning ------------------------------------------------------------
expect("reflow", 6)
REFLOW_PAGES = ["", "items/periods/", "creators/katsushika-hokusai/", "series/", "classes/2026-11/", "lessons/denwa-no-kakekata/"]


@pytest.mark.parametrize("path", REFLOW_PAGES, ids=[p or "home" for p in REFLOW_PAGES])
@records("reflow")
def test_double_text_on_a_phone_stays_on_the_screen(sample_site, browser, path):
    server, _ = sample_site
    with visit(browser, server.url + path, PHONE, {"aids.textSize": "3"}) as (page, _):
        assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p, .md-typeset li')).fontSize)") >= 36
        search = page.locator(".site-search").bounding_box()
        assert search["x"] >= 0 and search["x"] + search["width"] <= PHONE["width"], search
        assert page.locator(".site-search__input").bounding_box()["width"] >= 100
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        assert not page.evaluate(OFF_SCREEN)
        if path.startswith("lessons/"):
            # The steps get the screen's width (no list indent), the picture below the words.
            steps = page.locator(".lesson-step").evaluate_all("""els => els.filter(li => !li.closest('[hidden]')).map(li => {
                const img = li.querySelector('img'), range = document.createRange();
                range.setStartBefore(li.firstChild); range.setEndBefore(img);
                return [li.getBoundingClientRect().width, range.getBoundingClientRect().bottom, img.getBoundingClientRect().top]; })""")
            width = page.evaluate("document.querySelector('.md-content__inner').getBoundingClientRect().width")
            for step_width, text_bottom, picture_top in steps:
                assert step_width >= 0.95 * width, f"a step is {step_width}px of {width}px"
                assert picture_top >= text_bottom - 1


expect("reflow", 1)


@records("reflow")
def test_double_text_on_a_computer_keeps_lesson_lines_readable(sample_site, browser):
    server, _ = sample_site
    with visit(browser, server.url + "lessons/denwa-no-kakekata/", DESKTOP, {"aids.textSize": "3"}) as (page, _):
        per_line = page.locator(".lesson-step").first.evaluate(
            "li => li.getBoundingClientRect().width / parseFloat(getComputedStyle(li).fontSize)")
        assert 15 <= per_line <= 45, f"{per_line:.0f} characters a line"
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        tabs = page.locator(".md-tabs__link").evaluate_all("els => els.map(e => e.getBoundingClientRect().right)")
        assert max(tabs) <= DESKTOP["width"], "a tab is off the screen"


expect("contrast-states", 2)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@records("contrast-states")
def test_high_contrast_keeps_links_and_choices_distinguishable(sample_site, browser, viewport):
    server, _ = sample_site
    with visit(browser, server.url + "lessons/denwa-no-kakekata/", viewport, AIDS_ON) as (page, _):
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
        # Links: another colour than the text, with at least 3:1 between them, and underlined.
        text, link, line = page.evaluate("""() => { const p = document.querySelector('.lesson-section--steps > p'),
            a = document.querySelector('.lesson-classes a'); return [getComputedStyle(p).color, getComputedStyle(a).color,
            getComputedStyle(a).textDecorationLine]; }""")
        assert text != link and "underline" in line
        # The chosen phone: filled and ticked; the other neither.
        tabs = page.locator(".phone-tabs__tab").evaluate_all("""els => els.slice(0, 2).map(t => [t.getAttribute('aria-selected'),
            getComputedStyle(t).backgroundColor, getComputedStyle(t, '::before').content, getComputedStyle(t).color])""")
        chosen = [t for t in tabs if t[0] == "true"][0]
        other = [t for t in tabs if t[0] == "false"][0]
        assert chosen[1] != other[1] and "✓" in chosen[2] and "✓" not in other[2]
        assert contrast(rgba(chosen[1])[:3], rgba(chosen[3])[:3]) >= 4.5
        # The reading aids' pressed buttons: ticked too.
        page.get_by_role("button", name="読みやすくする").click()
        pressed = page.locator(".reading-aids [aria-pressed=true]").first.evaluate("e => getComputedStyle(e, '::before').content")
        assert "✓" in pressed
        if viewport is DESKTOP:  # the current tab: its bar and weight, not only a colour
            bar = page.locator(".md-tabs__link[aria-current]").evaluate(
                "e => [getComputedStyle(e).borderBottomColor, getComputedStyle(e).fontWeight]")
            assert bar[0] not in ("rgba(0, 0, 0, 0)", "rgb(0, 0, 0)") and int(bar[1]) >= 700


# ---- the 404 page ----------------------------------------------------------------------------
class _NotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """A plain server set up as the example nginx settings say: error_page 404 (/en/ its own)."""

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        page = Path(self.directory) / ("en/404.html" if self.path.startswith("/en/") else "404.html")
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def not_found_server(sample_site):
    _, out = sample_site
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()),
                                            functools.partial(_NotFoundHandler, directory=str(out)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


expect("not-found", 4)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path,lang", [("a/b/c/", "ja"), ("en/x/y/z/", "en")])
@records("not-found")
def test_a_missing_page_answers_in_both_languages_from_any_depth(not_found_server, browser, path, lang, viewport):
    page = tab(browser, viewport)
    failed = []

    def on_response(r):
        if r.status >= 400 and r.url != not_found_server + path:
            failed.append(f"{r.status} {r.url}")

    page.on("response", on_response)
    try:
        response = page.goto(not_found_server + path)  # (its styles and scripts are in once it has loaded)
        assert response.status == 404
        assert page.evaluate("document.documentElement.lang") == lang
        assert not failed, failed  # its styles and scripts load from this depth
        assert page.evaluate("getComputedStyle(document.querySelector('.md-banner')).backgroundColor") == "rgb(26, 35, 126)"
        first, second = ("ja", "en") if lang == "ja" else ("en", "ja")
        assert page.locator(f"section[lang={first}] h1").inner_text() == ("ページが見つかりません" if first == "ja" else "Page not found")
        assert page.locator(f"section[lang={second}] h2").inner_text() == ("ページが見つかりません" if second == "ja" else "Page not found")
        links = page.locator(".not-found a").evaluate_all("els => els.map(a => [a.closest('section').lang, a.textContent, a.href])")
        wanted = {"ja": ["/", "/search/", "/items/", "/lessons/"], "en": ["/en/", "/en/search/", "/en/items/", "/en/lessons/"]}
        for part in ("ja", "en"):
            assert [href.removeprefix(not_found_server[:-1]) for lang_, _, href in links if lang_ == part] == wanted[part]
        for _, _, href in links + [(None, None, page.locator(".site-tools__lang").evaluate("a => a.href"))]:
            assert page.request.get(href).status == 200, href
        violations = axe_violations(page)
        assert not violations, describe(violations)
    finally:
        page.remove_listener("response", on_response)
        page.goto("about:blank")


def test_the_example_server_settings_send_the_404_page(sample_site):
    _, out = sample_site
    nginx = (out / "_server" / "nginx.conf").read_text(encoding="utf-8")
    apache = (out / "_server" / "apache.conf").read_text(encoding="utf-8")
    assert "error_page 404 /404.html;" in nginx and "error_page 404 /en/404.html;" in nginx
    assert "ErrorDocument 404 /404.html" in apache and "ErrorDocument 404 /en/404.html" in apache
    assert (out / "404.html").is_file() and (out / "en" / "404.html").is_file()


# ---- the accessibility policy ------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_accessibility_policy_states_level_scope_method_results_and_contact(sample_site, browser, lang):
    server, out = sample_site
    with visit(browser, server.url + ("en/" if lang == "en" else ""), PHONE) as (page, _):
        page.locator(".site-footer__links a").first.click()
        page.wait_for_load_state()
        text = page.locator("article").inner_text()
        assert "JIS X 8341-3:2016" in text and ("適合レベル AA" in text if lang == "ja" else "level AA" in text)
        for heading in (["方針", "対象とする範囲", "試験の方法", "試験の結果", "お問い合わせ"] if lang == "ja"
                        else ["Our aim", "What it covers", "How the site is tested", "Results of the last test", "Contact"]):
            assert page.get_by_role("heading", name=heading, exact=True).count() == 1, heading
        results = REPO / RESULTS_FILE
        if results.is_file():  # as the last complete run wrote them
            run = json.loads(results.read_text(encoding="utf-8"))
            assert page.locator("time").first.get_attribute("datetime") == run["date"]
            assert page.locator(".policy__results tbody tr").count() == len(run["checks"])
        assert page.locator("a[href^='tel:']").count() >= 1
