"""The lesson format: furigana, glossary, steps with pictures, phone tabs, answers."""
from __future__ import annotations

import re

from generator.lessons import convert_lesson
from generator.lessons.furigana import strip_furigana
from generator.models.lessons import Lesson, LessonMeta

META = LessonMeta(title="見本", reading="みほん", phone="both", level="はじめて", duration=10, topic="見本",
                  objectives=["見本"])


def lesson(body: str, slug: str = "mihon") -> Lesson:
    return Lesson(slug=slug, meta=META, body=body, body_line=12, source=f"lessons/{slug}.md")


def html(body: str, glossary: dict[str, str] | None = None, lang: str = "ja") -> str:
    return convert_lesson(lesson(body), glossary or {}, lambda src: "../" + src, lang).html


def test_furigana_becomes_ruby_with_fallback_brackets():
    out = html("{電源|でんげん}を入れます。")
    assert "<ruby>電源<rp>(</rp><rt>でんげん</rt><rp>)</rp></ruby>を入れます。" in out
    assert strip_furigana("{電源|でんげん}ボタン") == "電源ボタン"


def test_text_without_furigana_syntax_is_untouched():
    assert "{ は波かっこ | 縦線 }" not in html("{ は波かっこ\n| 縦線 }")  # not one line: not furigana
    assert "<ruby>" not in html("数字 {1} と a|b")


def test_glossary_explains_a_word_once_where_it_first_appears_not_in_headings():
    out = html("## タップの練習\n\nアプリをタップします。もう一度タップします。\n",
               {"タップ": "画面を{指|ゆび}で軽くたたくことです", "アプリ": "スマホの道具です"})
    assert "<h2>タップの練習</h2>" in out
    assert out.count('<span class="term">') == 2
    first = out.index("<dfn>タップ</dfn>")
    assert out.index("<dfn>アプリ</dfn>") < first
    assert '<span class="term__note">（画面を<ruby>指<rp>(</rp><rt>ゆび</rt><rp>)</rp></ruby>で軽くたたくことです）</span>' in out
    assert out[first:].count("タップ") == 2  # explained once, then plain


def test_longer_glossary_words_win():
    out = html("ホーム画面にもどります。", {"ホーム画面": "はじめの画面", "画面": "スマホの前の面"})
    assert "<dfn>ホーム画面</dfn>" in out and "<dfn>画面</dfn>" not in out


STEPS = """## 手順

1. ボタンを押します。
   ![右のボタンに赤い丸](images/mihon/a.svg)

/// tab | Android
2. 緑の絵をさわります。
   ![緑の絵](images/mihon/b.svg)
///

/// tab | iPhone
2. 白い絵をさわります。
   ![白い絵](images/mihon/c.svg)
///

## 困ったときは

- 先生に聞きます。

## たしかめよう

1. 電話を切るボタンは何色ですか？
   答え：赤です。
"""


def test_steps_are_numbered_items_each_with_its_picture():
    result = convert_lesson(lesson(STEPS), {}, lambda src: "../" + src)
    assert result.sections == ["steps", "trouble", "check"]
    assert result.images == ["images/mihon/a.svg", "images/mihon/b.svg", "images/mihon/c.svg"]
    assert not result.findings
    steps = re.findall(r'<li class="lesson-step">(.*?)</li>', result.html, re.S)
    assert len(steps) == 3
    assert all('<img alt="' in s and 'src="../images/mihon/' in s for s in steps)
    assert '<ol class="lesson-steps" start="2">' in result.html  # numbering continues inside the tabs


def test_android_and_iphone_become_phone_tabs_with_headings_for_paper():
    out = html(STEPS)
    assert out.count('role="tab"') == 2
    assert 'data-phone="android"' in out and 'data-phone="iphone"' in out
    assert '<h3 class="phone-panel__title">Android のとき</h3>' in out
    assert '<h3 class="phone-panel__title">iPhone のとき</h3>' in out
    assert re.search(r'role="tablist"[^>]*|hidden[^>]*role="tablist"', out)
    assert "tabbed-set" not in out and "<input" not in out
    assert "On iPhone" in html(STEPS, lang="en")


def test_check_questions_hide_their_answers():
    out = html(STEPS)
    assert re.search(r"<li>電話を切るボタンは何色ですか？\s*<details class=\"check-answer\"><summary>答えを見る</summary>"
                     r"<p>赤です。</p></details></li>", out)


def test_raw_html_in_a_lesson_is_shown_as_text_never_run():
    out = html("## 手順\n\n1. <script>alert(1)</script> <img src=x>\n")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<img src=x>" not in out


def test_a_step_without_picture_and_an_unknown_tab_are_findings():
    result = convert_lesson(lesson("## 手順\n\n1. 押します。\n\n/// tab | ガラケー\n1. 開きます。\n///\n"), {})
    kinds = [(f.kind, f.text) for f in result.findings]
    assert ("bad-tab", "ガラケー") in kinds
    assert ("step-without-picture", "押します。") in kinds


def test_a_list_inside_a_step_is_part_of_that_step():
    result = convert_lesson(lesson("## 手順\n\n1. 次から1つえらびます。\n\n    1. 電話\n    2. カメラ\n\n    ![二つのアイコン](images/mihon/a.svg)\n"), {})
    assert result.html.count('class="lesson-step"') == 1
    assert not result.findings
