"""Every lesson page and the catalogue, in real Chromium, as a senior would use them:
accessible with reading aids off and on, large, zoomable, no sideways scrolling, furigana
that renders, choices that stay, and a printed A4 handout."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from browser import AIDS_ON, DESKTOP, PHONE, audit, describe, open_page, printing, visit
from pdftext import read_pdf

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
SLUGS = sorted(p.stem for p in (REPO / "lessons").glob("*.md"))
PAGES = ([("lessons/", "ja"), ("en/lessons/", "en")]
         + [(f"lessons/{s}/", "ja") for s in SLUGS] + [(f"en/lessons/{s}/", "en") for s in SLUGS])
# Every reading aid on: the largest text, high contrast, furigana off (stored as the page stores them).
EVERY_AID = {**AIDS_ON, "aids.furigana": "off"}
# The aids change a page's layout alike on every lesson: axe checks the catalogue and one lesson
# with them on (test_a11y_site_browser.py checks these and other kinds of page the same way).
AUDITED_WITH_AIDS = ["lessons/", "lessons/denwa-no-kakekata/"]
INTERACTIVE = "a[href], button, summary, input, select, textarea, label[for], [role=tab], [tabindex]:not([tabindex='-1'])"


def small_targets(page) -> list[str]:
    """Visible controls smaller than 44 x 44 CSS px (WCAG 2.5.5), with what they say."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)].filter(el => {
        const r = el.getBoundingClientRect(), s = getComputedStyle(el);
        // Not drawn, or visually hidden for screen readers only (1 x 1, clipped).
        if (r.width <= 1 || r.height <= 1 || s.visibility === 'hidden') return false;
        if (r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth + scrollX + 1 && r.top < 0) return false;
        return r.width < 43.5 || r.height < 43.5;
    }).map(el => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`)""",
                         INTERACTIVE)


def smallest_body_text(page) -> float:
    return page.evaluate("""() => Math.min(...[...document.querySelectorAll(
        '.md-content p, .md-content li, .md-content dd, .md-content dt, .md-content summary')]
        .filter(el => el.getClientRects().length && el.textContent.trim())
        .map(el => parseFloat(getComputedStyle(el).fontSize)))""")


def own_page(browser, server, path: str, viewport: dict):
    """The page at path in a context of its own, for choices kept from page to page
    (page.context.close() closes both)."""
    _, page, _ = open_page(browser, server.url + path, viewport)
    return page


def label_and_size_problems(page, path: str, lang: str) -> list[str]:
    """What is wrong with a lesson page's languages, text size, targets and zoom (none: [])."""
    found = []
    if (got := page.evaluate("document.documentElement.lang")) != lang:
        found.append(f"the page's language is {got!r}")
    if (smallest := smallest_body_text(page)) < 18:
        found.append(f"text of {smallest} px")
    if small := small_targets(page):
        found.append(f"targets under 44 x 44: {small}")
    viewport_meta = page.get_attribute("meta[name=viewport]", "content")
    if "user-scalable=no" in viewport_meta.replace(" ", "") or "maximum-scale=1" in viewport_meta:
        found.append(f"zooming is blocked: {viewport_meta}")
    if path.rstrip("/").split("/")[-1] in SLUGS:
        if page.get_attribute(".lesson-body", "lang") != "ja":  # the lesson text is Japanese on both twins
            found.append("the lesson text is not marked Japanese")
        if lang == "en" and page.get_attribute(".lesson__title-en", "lang") != "en":
            found.append("the English title is not marked English")
    else:
        other = "日本語" if lang == "en" else "English"
        if page.get_attribute(f"a.site-tools__lang:text('{other}')", "lang") != ("ja" if lang == "en" else "en"):
            found.append(f"the link to {other} is not marked in its language")
    return found


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path,lang", PAGES)
def test_lesson_pages_are_accessible_large_and_well_labelled(sample_site, browser, path, lang, viewport):
    server, _ = sample_site
    with visit(browser, server.url + path, viewport) as (page, _):
        violations = audit(page)
        assert not violations, describe(violations)
        problems = label_and_size_problems(page, path, lang)
        assert not problems, problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", AUDITED_WITH_AIDS)
def test_lesson_pages_with_the_aids_on_are_accessible(sample_site, browser, path, viewport):
    server, _ = sample_site
    with visit(browser, server.url + path, viewport, AIDS_ON) as (page, _):
        violations = audit(page)
        assert not violations, describe(violations)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_with_every_aid_on_every_lesson_page_stays_large_and_well_labelled(sample_site, browser, viewport):
    server, _ = sample_site
    problems = []
    for path, lang in PAGES:
        with visit(browser, server.url + path, viewport, EVERY_AID) as (page, _):
            if page.evaluate("document.documentElement.dataset.contrast") != "high":
                problems.append(f"{path}: not in high contrast")
            problems += [f"{path}: {p}" for p in label_and_size_problems(page, path, lang)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", ["0", "3"], ids=["100%", "200%"])
def test_no_sideways_scrolling_at_320px(sample_site, browser, size):
    server, _ = sample_site
    problems = []
    for path, _ in PAGES:
        with visit(browser, server.url + path, {"width": 320, "height": 640}, {"aids.textSize": size}) as (page, _):
            if size == "3" and page.evaluate(
                    "parseFloat(getComputedStyle(document.querySelector('.md-content p, .md-content li')).fontSize)") < 36:
                problems.append(f"{path}: the text is not doubled")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems.append(f"{path}: {overflow}px of sideways scrolling")
    assert not problems, "\n".join(problems)


def test_ruby_renders_above_the_text_and_can_be_turned_off(sample_site, browser):
    server, _ = sample_site
    with visit(browser, server.url + "lessons/dengen-to-botan/", PHONE) as (page, _):
        ruby = page.locator(".lesson-body ruby").first
        base, reading = ruby.bounding_box(), ruby.locator("rt").bounding_box()
        assert reading and reading["height"] > 0 and reading["y"] + reading["height"] <= base["y"] + base["height"] / 2
        assert not ruby.locator("rp").first.is_visible()  # brackets only where ruby is not supported
        page.get_by_role("button", name="読みやすくする").click()
        page.get_by_role("button", name="ふりがな").click()
        assert not ruby.locator("rt").is_visible()


def test_text_size_and_contrast_survive_reload_and_moving_to_another_page(sample_site, browser):
    server, _ = sample_site
    page = own_page(browser, server, "lessons/denwa-no-kakekata/", PHONE)
    def body_size():
        return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.lesson-step')).fontSize)")
    before = body_size()
    toggle = page.get_by_role("button", name="読みやすくする")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.get_by_role("button", name="2倍").click()
    page.get_by_role("button", name="白黒はっきり").click()
    assert page.get_by_role("button", name="2倍").get_attribute("aria-pressed") == "true"
    assert body_size() >= before * 1.95
    page.reload()
    assert body_size() >= before * 1.95
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.goto(server.url + "lessons/")
    assert page.evaluate("document.documentElement.dataset.textSize") == "3"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.get_by_role("link", name="English").click()  # the other language keeps them too
    page.wait_for_load_state()
    assert page.evaluate("[document.documentElement.dataset.textSize, document.documentElement.dataset.contrast]") == ["3", "high"]
    page.get_by_role("button", name="Reading aids").click()
    assert page.get_by_role("button", name="Double").get_attribute("aria-pressed") == "true"
    page.context.close()


def test_the_phone_choice_is_remembered_across_lessons(sample_site, browser):
    server, _ = sample_site
    page = own_page(browser, server, "lessons/denwa-no-kakekata/", PHONE)
    android = page.locator(".phone-panel[data-phone=android]").first
    iphone = page.locator(".phone-panel[data-phone=iphone]").first
    assert android.is_visible() and not iphone.is_visible()
    page.get_by_role("tab", name="iPhone").first.click()
    assert iphone.is_visible() and not android.is_visible()
    assert page.get_by_role("tab", name="iPhone").first.get_attribute("aria-selected") == "true"
    page.goto(server.url + "lessons/camera-de-shashin/")
    assert page.locator(".phone-panel[data-phone=iphone]").first.is_visible()
    assert not page.locator(".phone-panel[data-phone=android]").first.is_visible()
    page.get_by_role("tab", name="iPhone").first.focus()
    page.keyboard.press("ArrowRight")  # arrow keys move between tabs
    assert page.locator(".phone-panel[data-phone=android]").first.is_visible()
    page.context.close()


def test_answers_open_on_request(sample_site, browser):
    server, _ = sample_site
    with visit(browser, server.url + "lessons/denwa-no-kakekata/", PHONE) as (page, _):
        answer = page.locator(".check-answer p").first
        assert not answer.is_visible()
        page.locator(".check-answer summary").first.click()
        assert answer.is_visible() and "緑" in answer.inner_text()


def test_read_aloud_is_offered_only_where_the_browser_can_speak(sample_site, browser):
    server, _ = sample_site
    with visit(browser, server.url + "lessons/chizu-apuri/", PHONE) as (page, _):
        assert page.evaluate("!!window.speechSynthesis")  # Chromium has speech synthesis
        assert page.get_by_role("button", name="読み上げる").is_visible()
    context = browser.new_context(viewport=PHONE)
    context.add_init_script("Object.defineProperty(window, 'speechSynthesis', {get: () => undefined})")
    page = context.new_page()
    page.goto(server.url + "lessons/chizu-apuri/")
    assert page.locator("[data-read-aloud]").count() == 1
    assert not page.locator("[data-read-aloud]").is_visible()
    context.close()


def test_read_aloud_speaks_the_visible_steps_in_japanese(sample_site, browser):
    server, _ = sample_site
    context = browser.new_context(viewport=PHONE)
    # Record what would be spoken (headless Chromium has no voices to hear).
    context.add_init_script("""window.__spoken = [];
        speechSynthesis.speak = (u) => window.__spoken.push([u.lang, u.text]);""")
    page = context.new_page()
    page.goto(server.url + "lessons/denwa-no-kakekata/")
    page.get_by_role("button", name="読み上げる").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0] == ["ja-JP", "電話のかけ方"]
    assert all(lang == "ja-JP" for lang, _ in spoken)
    texts = [t for _, t in spoken]
    assert any(t.startswith("ホーム画面") and "緑の受話器の絵をタップ" in t for t in texts)  # words, not readings
    assert not any("じゅわき" in t for t in texts)
    assert any("青い丸のボタン" in t for t in texts) and not any("キーパッド」をタップ" in t for t in texts)
    context.close()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("\ufeff", ""))


def _printed(text: str, page: str, gap: int = 12) -> bool:
    """text appears in page in order; furigana readings drawn on the same line may sit between
    its letters (at most `gap` of them at a time)."""
    for start in (i for i, ch in enumerate(page) if ch == text[0]):
        at = start
        for ch in text[1:]:
            nxt = page.find(ch, at + 1, at + 2 + gap)
            if nxt < 0:
                break
            at = nxt
        else:
            return True
    return False


@pytest.mark.parametrize("slug", SLUGS)
def test_printing_a_lesson_gives_an_a4_large_print_handout(sample_site, browser, slug):
    server, _ = sample_site
    with visit(browser, server.url + f"lessons/{slug}/", PHONE) as (page, _):
        steps = page.evaluate("""() => [...document.querySelectorAll('.lesson-step')]
            .filter(li => !li.closest('[hidden]')).map(li => {
                const c = li.cloneNode(true); c.querySelectorAll('rt, rp').forEach(r => r.remove()); return c.textContent; })""")
        with printing(page):
            size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.lesson-step')).fontSize)")
            assert size >= 14 * 96 / 72 - 0.01
            assert page.evaluate("getComputedStyle(document.querySelector('.lesson-step')).breakInside") == "avoid"
            pages = read_pdf(page.pdf(format="A4"))
    assert 1 <= len(pages) <= len(steps) + 3
    assert all(abs(p.width - 595.92) < 1 and abs(p.height - 842.88) < 1 for p in pages)  # A4 in points
    texts = [_squash(p.text) for p in pages]
    everything = "".join(texts)
    for navigation in ("English", "読みやすくする", "印刷する", "読み上げる", "スマホ教室のテキスト", "MaterialforMkDocs", "答えを見る"):
        assert navigation not in everything, f"{navigation!r} printed"
    assert _squash(server.url + f"lessons/{slug}/") in texts[-1] and "QRコード" in texts[-1]
    # A step is printed whole on one sheet: all of its text, in order, on the same page.
    for step in steps:
        text = _squash(step)
        assert any(_printed(text, t) for t in texts), f"step {text[:20]!r} is split across pages (or missing)"
