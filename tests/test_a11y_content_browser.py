"""Lessons, classes and search as the people they are for use them, in real Chromium: a lesson
read aloud from its objectives to its check questions, its A4 handout with both phones'
steps, a course's next class first, a month as a list on a phone and a table on paper (with
how to apply and a QR code), and search that waits for a Japanese word to be confirmed.

The checks count towards the results test_a11y_site_browser.py records for the
accessibility policy page (when both modules run whole in one session).
"""
from __future__ import annotations

import re
import unicodedata

import pytest

from browser import AIDS_ON, DESKTOP, PHONE, open_page, printing, visit
from pdftext import read_pdf
from test_a11y_site_browser import expect, records

pytestmark = pytest.mark.browser

TODAY = "2026-11-20"  # conftest's build date


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("\ufeff", ""))


def visible_texts(page, selector: str) -> list[str]:
    """The text of each visible match, without furigana readings."""
    return page.locator(selector).evaluate_all("""els => els.filter(e => e.checkVisibility()).map(e => {
        const c = e.cloneNode(true); c.querySelectorAll('rt, rp, details, img').forEach(r => r.remove());
        return c.textContent.replace(/\\s+/g, ' ').trim(); })""")


# ---- lessons read aloud ----------------------------------------------------------------------
expect("lessons", 1)


@records("lessons")
def test_read_aloud_covers_objectives_things_to_bring_numbered_steps_and_check_questions(sample_site, browser):
    server, _ = sample_site
    context = browser.new_context(viewport=PHONE)
    # What would be spoken (headless Chromium has no voices to hear).
    context.add_init_script("window.__spoken = []; speechSynthesis.speak = (u) => window.__spoken.push(u.text);")
    page = context.new_page()
    try:
        page.goto(server.url + "lessons/denwa-no-kakekata/")
        objectives = visible_texts(page, ".lesson-facts h2:first-of-type + ul > li")
        bring = visible_texts(page, ".lesson-facts h2:nth-of-type(2) + ul > li")
        steps = visible_texts(page, ".lesson-step")
        questions = visible_texts(page, ".lesson-section--check > ol > li")
        assert objectives and bring and len(steps) == 5 and len(questions) == 2
        page.get_by_role("button", name="読み上げる").click()
        spoken = page.evaluate("window.__spoken")
        assert spoken[0] == "電話のかけ方"
        expected = ["できるようになること", *objectives, "持ち物", *bring, "手順"]
        for n, step in enumerate(steps, start=1):
            expected += [f"手順{n}", step]
        expected += ["たしかめよう"]
        for n, question in enumerate(questions, start=1):
            expected += [f"問題{n}", question]
        at = 0
        for text in expected:  # in the page's order (other text, such as tips, may come between)
            assert text in spoken[at:], f"{text!r} is not read (after {spoken[at - 1] if at else 'the start'!r})"
            at = spoken.index(text, at) + 1
        assert not any("iPhone のとき" in t for t in spoken)  # only the phone the reader chose
        assert not any("答え" in t for t in spoken)  # answers stay closed until opened
        # An opened answer is read with its question.
        page.locator(".check-answer summary").first.click()
        page.evaluate("window.__spoken = []")
        page.locator("[data-read-aloud]").click()  # (nothing is really speaking: this reads again)
        assert any(t.startswith(questions[0]) and "答え。緑の丸いボタンです。" in t for t in page.evaluate("window.__spoken"))
    finally:
        context.close()


# ---- the A4 handout --------------------------------------------------------------------------
HANDOUTS = [("denwa-no-kakekata", 3), ("chizu-apuri", 3)]  # (lesson, most sheets)
expect("lessons", len(HANDOUTS))


@pytest.mark.parametrize("slug,sheets", HANDOUTS)
@records("lessons")
def test_the_handout_prints_both_phones_and_starts_the_steps_on_the_first_sheet(sample_site, browser, slug, sheets):
    server, _ = sample_site
    with visit(browser, server.url + f"lessons/{slug}/", PHONE) as (page, _):
        assert page.locator(".phone-panel[data-phone=iphone]").first.is_hidden()  # on screen: the chosen phone only
        with printing(page):
            steps = visible_texts(page, ".lesson-step")  # in print: every phone's
            titles = visible_texts(page, ".phone-panel__title")
            assert "Android のとき" in titles and "iPhone のとき" in titles
            pages = read_pdf(page.pdf(format="A4", prefer_css_page_size=True))
    assert 1 <= len(pages) <= sheets, f"{len(pages)} sheets"
    assert all(abs(p.width - 595.92) < 1.5 and abs(p.height - 842.88) < 1.5 for p in pages)  # A4 portrait
    texts = [squash(p.text) for p in pages]
    everything = "".join(texts)
    assert "Androidのとき" in everything and "iPhoneのとき" in everything  # each phone's steps marked
    for step in steps:
        assert squash(step)[:12] in everything, f"step {step[:20]!r} is not printed"
    # No half-empty first sheet: the steps begin on it.
    assert "手順" in texts[0] and squash(steps[0])[:8] in texts[0], texts[0][-80:]


# ---- classes ---------------------------------------------------------------------------------
expect("classes", 2)


@pytest.mark.parametrize("path", ["classes/hajimete-sumaho/", "en/classes/hajimete-sumaho/"])
@records("classes")
def test_a_course_shows_its_next_class_first_and_folds_the_finished_ones(sample_site, browser, path):
    server, _ = sample_site
    with visit(browser, server.url + path, PHONE) as (page, _):
        assert page.locator(".course-next time").get_attribute("datetime").startswith("2026-12-01")
        coming = page.locator("#sessions + ul .class-occ__when time").evaluate_all("els => els.map(e => e.dateTime)")
        assert coming and coming == sorted(coming) and all(d[:10] >= TODAY for d in coming)
        marked = page.locator("#sessions + ul .class-occ:has(.class-occ__next) time").get_attribute("datetime")
        assert marked.startswith("2026-12-01")  # 24 November is cancelled: the next class is 1 December
        past = page.locator("details.class-past")
        assert past.get_attribute("open") is None and past.locator("li").first.is_hidden()
        dates = past.locator("time").evaluate_all("els => els.map(e => e.dateTime)")
        assert dates and all(d[:10] < TODAY for d in dates) and dates == sorted(dates, reverse=True)
        assert page.evaluate("""() => document.querySelector('#sessions + ul').compareDocumentPosition(
            document.querySelector('details.class-past')) & Node.DOCUMENT_POSITION_FOLLOWING""")
        past.locator("summary").click()
        assert past.locator("li").first.is_visible()


MONTH_VIEWS = [("phone", PHONE, None, "list"), ("phone-aids-on", PHONE, AIDS_ON, "list"),
               ("desktop", DESKTOP, None, "table"), ("desktop-aids-on", DESKTOP, AIDS_ON, "list")]
expect("classes", len(MONTH_VIEWS))


@pytest.mark.parametrize("viewport,aids,shown", [m[1:] for m in MONTH_VIEWS], ids=[m[0] for m in MONTH_VIEWS])
@records("classes")
def test_the_month_is_a_list_on_phones_and_a_table_on_wide_screens(sample_site, browser, viewport, aids, shown):
    server, _ = sample_site
    with visit(browser, server.url + "classes/2026-11/", viewport, aids) as (page, _):
        agenda, table = page.locator(".class-month__agenda"), page.locator(".class-month__table")
        assert (agenda.is_visible(), table.is_visible()) == ((True, False) if shown == "list" else (False, True))
        assert page.locator(".class-month__agenda > li").count() == page.locator(".class-month__table tbody tr").count()
        if shown == "list":
            # Whole lines of words, not a letter or two a line as in a narrow table column.
            width = page.evaluate("document.querySelector('.md-content__inner').getBoundingClientRect().width")
            for box in agenda.locator(".class-occ").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)"):
                assert box >= 0.85 * width
            per_line = agenda.locator(".class-occ__when").first.evaluate(
                "e => e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize)")
            assert per_line >= 6
        assert page.locator(".class-month__contact").is_visible()
        assert not page.locator(".class-month__qr").is_visible()  # the QR code is for paper
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


expect("classes", 2)


@pytest.mark.parametrize("path,lang", [("classes/2026-11/", "ja"), ("en/classes/2026-12/", "en")])
@records("classes")
def test_the_printed_month_is_one_a4_sheet_with_how_to_apply_whom_to_ask_and_a_qr_code(sample_site, browser, path, lang):
    server, _ = sample_site
    # Printed from a phone: still the table.
    with visit(browser, server.url + path, PHONE) as (page, _), printing(page):
        assert page.locator(".class-month__table").is_visible() and not page.locator(".class-month__agenda").is_visible()
        qr = page.locator(".class-month__qr img")
        assert qr.is_visible() and qr.evaluate("img => img.complete && img.naturalWidth > 0")
        pages = read_pdf(page.pdf(prefer_css_page_size=True, print_background=True))
    assert len(pages) == 1, f"the month printed on {len(pages)} sheets"
    assert sorted(round(v) for v in (pages[0].width, pages[0].height)) == [595, 842]
    text = squash(pages[0].text)
    for words in (["申し込み・問い合わせ", "03-0000-0000", "区役所の窓口か電話", "スマホで最新の予定を見る"] if lang == "ja"
                  else ["Howtoapplyandwhomtoask", "03-0000-0000", "Applyatthewardofficecounter", "Thelatestdatesonyourphone"]):
        assert squash(words) in text, words
    assert squash(server.url + path) in text  # the address under the QR code


# ---- search while typing Japanese ------------------------------------------------------------
expect("search", 2)


@pytest.mark.parametrize("lang", ["ja", "en"])
@records("search")
def test_search_waits_for_the_japanese_word_and_announces_its_count_once(sample_site, browser, lang):
    server, _ = sample_site
    context, page, _ = open_page(browser, server.url + ("en/" if lang == "en" else "") + "search/", PHONE)
    try:
        page.evaluate("""() => { window.__said = []; const status = document.querySelector('#search-status');
            new MutationObserver(() => status.textContent.trim() && window.__said.push(status.textContent))
              .observe(status, {childList: true, characterData: true, subtree: true}); }""")
        page.focus("#search-q")
        cdp = page.context.new_cdp_session(page)
        # An input method at work: each keystroke changes the box's text while the word is
        # composed, and the browser sends an input event marked isComposing for each.
        for text in ["ほ", "ほく", "ほくさ", "ほくさい", "北斎"]:
            cdp.send("Input.imeSetComposition", {"text": text, "selectionStart": len(text), "selectionEnd": len(text)})
            page.evaluate("""(t) => document.querySelector('#search-q').dispatchEvent(new InputEvent('input',
                {bubbles: true, isComposing: true, inputType: 'insertCompositionText', data: t}))""", text)
            page.wait_for_timeout(250)  # (nothing to wait for: search.js waits 50 ms for a next keystroke, then would search)
        assert page.evaluate("window.__said") == [] and page.locator(".search-result").count() == 0
        assert "?q=" not in page.url
        cdp.send("Input.insertText", {"text": "北斎"})  # the reader confirms the word
        page.wait_for_function("window.__said.length > 0")
        page.wait_for_timeout(600)  # time for a second announcement, were there one
        said = page.evaluate("window.__said")
        assert len(said) == 1 and "北斎" in said[0] and re.search(r"\d", said[0]), said
        assert page.locator(".search-result").count() >= 1
    finally:
        context.close()
