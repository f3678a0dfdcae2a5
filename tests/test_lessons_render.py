"""The built lesson pages and catalogue (sample site): links, pictures, QR codes, aids."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.lessons.furigana import furigana_markup
from generator.models.lessons import LEVELS, LessonMeta

REPO = Path(__file__).resolve().parent.parent
SLUGS = sorted(p.stem for p in (REPO / "lessons").glob("*.md"))


def test_catalogue_lists_every_lesson_by_level_then_topic(sample_site):
    _, out = sample_site
    html = (out / "lessons/index.html").read_text(encoding="utf-8")
    levels = [html.index(f">{level}</h2>") for level in LEVELS]
    assert levels == sorted(levels)
    for slug in SLUGS:
        assert f'href="{slug}/"' in html
    assert re.search(r'<h3 lang="ja">区役所の手続き</h3>', html)
    assert 'href="../classes/hajimete-sumaho/"' in html  # the course that teaches the first lessons


def test_lesson_pages_link_to_the_classes_that_teach_them(sample_site):
    _, out = sample_site
    taught = (out / "lessons/denwa-no-kakekata/index.html").read_text(encoding="utf-8")
    assert '<a href="../../classes/hajimete-sumaho/" lang="ja">はじめてのスマホ教室</a>' in taught
    assert '<a href="../../classes/hajimete-sumaho/" lang="en">Smartphones for beginners</a>' in (
        out / "en/lessons/denwa-no-kakekata/index.html").read_text(encoding="utf-8")
    assert "classes/" not in (out / "lessons/konbini-kofu/index.html").read_text(encoding="utf-8").split('class="lesson-body"')[1]


@pytest.mark.parametrize("lang_prefix", ["", "en/"])
def test_every_picture_and_qr_code_is_published_where_the_page_points(sample_site, lang_prefix):
    _, out = sample_site
    for slug in SLUGS:
        folder = out / lang_prefix / "lessons" / slug
        html = (folder / "index.html").read_text(encoding="utf-8")
        sources = re.findall(r'<img alt="[^"]+" class="lesson-picture" src="([^"]+)"', html)
        assert sources, slug
        for src in sources:
            assert (folder / src).resolve().is_file(), f"{slug}: {src}"
        qr = (folder / "qr.svg").read_text(encoding="utf-8")
        assert qr.startswith("<svg") and 'src="qr.svg"' in html
        assert re.search(r'<img[^>]*alt="[^"]+"[^>]*>', html)
        assert not re.search(r"<img(?![^>]*\balt=\"[^\"]+\")[^>]*>", html.split('class="lesson"')[1]), slug


def test_reading_aids_are_on_every_page_of_the_site(sample_site):
    _, out = sample_site
    pages = list(out.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if "<html" not in html:
            continue  # e.g. a redirect stub
        assert "data-aids-toggle" in html and "reading-aids.js" in html, page.relative_to(out)
        assert not re.search(r"<script>(?!\s*</script>)", html), f"inline script in {page.relative_to(out)}"


def test_front_matter_text_gets_furigana_and_stays_escaped():
    assert str(furigana_markup("{住民票|じゅうみんひょう}の<写し>")) == (
        "<ruby>住民票<rp>(</rp><rt>じゅうみんひょう</rt><rp>)</rp></ruby>の&lt;写し&gt;")


def test_the_reading_must_be_kana():
    base = dict(title="電話", phone="both", level="はじめて", duration=10, topic="電話", objectives=["x"])
    assert LessonMeta(reading="でんわ の かけかた", **base).reading == "でんわ の かけかた"
    with pytest.raises(ValidationError, match="not in kana"):
        LessonMeta(reading="電話のかけ方", **base)


def test_upcoming_classes_skip_past_and_cancelled_days():
    import datetime as dt
    from types import SimpleNamespace as NS

    from generator.render.lessons import upcoming_courses

    course = NS(id="c1", lessons=["denwa"], sessions=[])
    other = NS(id="c2", lessons=["camera"], sessions=[])
    def day(d, cancelled=False):
        return NS(course=course, date=dt.date(2026, 12, d), cancelled=cancelled)
    schedule = NS(occurrences=[day(1), day(8, cancelled=True), day(15)])
    [found] = upcoming_courses([course, other], "denwa", dt.date(2026, 12, 2), schedule)
    assert found.course is course and found.next_day == dt.date(2026, 12, 15)
    assert found.next_label("ja") == "次は 12月15日（火）" and found.next_label("en") == "next: Tue 15 Dec 2026"
    assert upcoming_courses([course], "denwa", dt.date(2026, 12, 16), schedule) == []


def test_pages_show_the_next_class_day(sample_site):
    _, out = sample_site
    html = (out / "lessons/dengen-to-botan/index.html").read_text(encoding="utf-8")
    assert re.search(r'はじめてのスマホ教室</a> <span class="next-class">次は \d+月\d+日（.）</span>', html)
