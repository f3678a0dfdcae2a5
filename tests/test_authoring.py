"""Everyday authoring slips come out right or get a message: dates written on their own,
and other first-hour mistakes of librarians and instructors."""
from __future__ import annotations

import json
import re

from test_content_errors import sitegen


def test_a_date_written_on_its_own_is_the_dates_text(repo):
    record = repo / "archive" / "hiroshige-ohashi-atake-yudachi.yml"
    text = re.sub(r"^date:.*\n(?:[ ]+.*\n)*", "date: 安政4年\n", record.read_text(encoding="utf-8"), flags=re.M)
    record.write_text(text, encoding="utf-8")
    assert sitegen(repo, "build", "--quiet", "--today", "2026-11-20").returncode == 0
    manifest = json.loads((repo / "site" / "iiif" / "hiroshige-ohashi-atake-yudachi" / "manifest.json")
                          .read_text(encoding="utf-8"))
    assert "安政4年" in json.dumps(manifest, ensure_ascii=False)
    page = (repo / "site" / "items" / "hiroshige-ohashi-atake-yudachi" / "index.html").read_text(encoding="utf-8")
    assert "安政4年" in page and "1857" in page


# --- lessons -------------------------------------------------------------------------------
def _lesson_html(body: str, glossary: dict[str, str]) -> str:
    from test_lessons_format import html

    return html(body, glossary)


def test_a_glossary_explanation_goes_after_the_quotation_not_inside_it():
    out = _lesson_html("「アプリを開く」をタップします。\n", {"アプリ": "スマホの道具です"})
    assert "「<span class=\"term\"><dfn>アプリ</dfn>を開く」<span class=\"term__note\">（スマホの道具です）</span>" in out
    assert "アプリ（" not in re.sub(r"<[^>]+>", "", out)


def test_a_glossary_word_inside_a_longer_word_is_explained_where_it_stands_alone():
    out = _lesson_html("アプリケーションを開きます。ダブルタップします。アプリをタップします。\n",
                       {"アプリ": "スマホの道具です", "タップ": "軽くたたくことです"})
    text = re.sub(r"<[^>]+>", "", out)
    assert "アプリケーションを" in text and "ダブルタップします" in text  # not split
    assert "アプリ（スマホの道具です）をタップ（軽くたたくことです）します" in text


def test_glossary_explanations_do_not_count_towards_a_long_sentence(repo):
    glossary = repo / "lessons" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") +
                        "ロングワード: これはとても長い説明で、文の長さに数えてはいけない説明の文です。数えると六十字を超えます。\n",
                        encoding="utf-8")
    lesson = repo / "lessons" / "denwa-no-kakekata.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("## 困ったときは", "## 困ったときは\n\n- ロングワードを使います。", 1), encoding="utf-8")
    result = sitegen(repo, "check")
    assert result.returncode == 0, result.stderr
    assert "too long" not in result.stderr


def test_a_check_question_without_an_answer_is_reported_with_its_line(repo):
    lesson = repo / "lessons" / "denwa-no-kakekata.md"
    lines = lesson.read_text(encoding="utf-8").split("\n")
    at = lines.index("## たしかめよう")
    lines.insert(at + 2, "1. 電話を切るボタンは何色ですか？\n")
    lesson.write_text("\n".join(lines), encoding="utf-8")
    line = at + 3
    for lang, words in (("en", ["has no answer", "how to fix:", "答え："]), ("ja", ["答えがありません", "直し方:"])):
        result = sitegen(repo, "check", lang=lang)
        assert result.returncode == 0 and "Traceback" not in result.stderr
        assert f"lessons/denwa-no-kakekata.md:{line}:" in result.stderr, result.stderr
        assert all(w in result.stderr for w in words), result.stderr


def test_a_lesson_picture_over_the_size_budget_is_reported_with_the_file(repo):
    import random

    from PIL import Image

    noise = Image.frombytes("RGB", (1600, 1200), random.Random(1).randbytes(1600 * 1200 * 3))  # a photo that will not compress
    folder = repo / "lessons" / "images" / "denwa-no-kakekata"
    noise.save(folder / "photo.jpg", quality=95)
    lesson = repo / "lessons" / "denwa-no-kakekata.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("## 困ったときは", "## 困ったときは\n\n![画面の写真](images/denwa-no-kakekata/photo.jpg)\n", 1),
                      encoding="utf-8")
    result = sitegen(repo, "check")
    assert result.returncode == 0, result.stderr
    assert "lessons/images/denwa-no-kakekata/photo.jpg" in result.stderr and "KB" in result.stderr
    assert "field 'src'" in result.stderr and "how to fix:" in result.stderr
