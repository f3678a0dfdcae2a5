"""`sitegen check` on lessons: pictures without alt text fail; hard-to-read text warns."""
from __future__ import annotations

import subprocess
from pathlib import Path

from generator.content import load_content
from generator.errors import ContentErrors
from generator.lessons import check_lesson
from generator.lessons.readability import readability_warnings
import yaml

from generator.models.lessons import LEVELS, Lesson, LessonMeta
from runner import sitegen

REPO = Path(__file__).resolve().parent.parent
SAMPLE_THEMES = ["電源の入れ方とボタン操作", "電話のかけ方", "カメラで写真を撮る", "インターネットで調べる", "地図アプリを使う"]

FRONT = """---
title: 見本
reading: みほん
phone: both
level: はじめて
duration: 20
topic: 見本
objectives: [見本]
---
"""


def write_lesson(repo: Path, body: str, slug: str = "mihon") -> Path:
    path = repo / "lessons" / f"{slug}.md"
    path.write_text(FRONT + body, encoding="utf-8")
    (repo / "lessons" / "images" / slug).mkdir(parents=True, exist_ok=True)
    (repo / "lessons" / "images" / slug / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    return path


def sitegen_check(repo: Path) -> subprocess.CompletedProcess:
    return sitegen(repo, "check")


def test_the_sample_lessons_are_complete_and_easy_to_read():
    content = load_content(REPO)
    lesson_problems = [p for p in content.problems if p.file.startswith("lessons/")]
    assert not lesson_problems, "\n".join(p.format("en") for p in lesson_problems)
    titles = {lesson.meta.title for lesson in content.lessons}
    assert set(SAMPLE_THEMES) <= titles
    assert any("コンビニ" in t for t in titles)
    assert {lesson.meta.level for lesson in content.lessons} == set(LEVELS)
    for lesson in content.lessons:
        assert "{" in lesson.body and "|" in lesson.body, f"{lesson.slug} has no furigana"
        assert "/// tab | Android" in lesson.body or lesson.slug == "konbini-kofu", f"{lesson.slug} has no phone tabs"


def test_a_picture_without_alt_text_fails_check_with_file_and_line(repo):
    write_lesson(repo, "## 手順\n\n1. 押します。\n   ![](images/mihon/a.svg)\n")
    result = sitegen_check(repo)
    assert result.returncode == 1
    assert "lessons/mihon.md:13: error [field 'alt']: the picture images/mihon/a.svg has no alt text." in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_picture_fails_check(repo):
    write_lesson(repo, "## 手順\n\n1. 押します。\n   ![ボタン](images/mihon/nai.svg)\n\n## 困ったときは\n\n- 聞きます。\n")
    try:
        load_content(repo)
    except ContentErrors as exc:
        messages = [p.format("en") for p in exc.problems]
    else:
        raise AssertionError("a missing picture must be an error")
    assert any("lessons/mihon.md:13" in m and "images/mihon/nai.svg does not exist" in m for m in messages), messages


def test_a_picture_outside_lessons_images_is_refused(repo):
    write_lesson(repo, "## 手順\n\n1. 押します。\n   ![設定](../mkdocs.yml)\n")
    result = sitegen_check(repo)
    assert result.returncode == 1
    assert "lessons/mihon.md:13: error [field 'src']: the picture ../mkdocs.yml has '..'" in result.stderr


def test_a_complete_lesson_passes_and_missing_sections_only_warn(repo):
    write_lesson(repo, "## 手順\n\n1. 押します。\n   ![ボタン](images/mihon/a.svg)\n")
    content = load_content(repo)
    mine = [p for p in content.problems if p.file == "lessons/mihon.md"]
    assert mine and all(p.severity == "warning" for p in mine)
    assert {"there is no '## 困ったときは' section.", "there is no '## たしかめよう' section."} <= {p.what.en for p in mine}


def test_a_lesson_without_steps_is_an_error(repo):
    write_lesson(repo, "ただの文です。\n")
    result = sitegen_check(repo)
    assert result.returncode == 1 and "there is no '## 手順' (steps) heading." in result.stdout + result.stderr


def test_readability_warnings_name_the_line():
    body = ("短い文です。\n"
            "これはとても長い文で、読む人がつかれてしまうので、いくつかの短い文に分けたほうが読みやすくなるはずなのですが、まだ続きます。\n"
            "{住民基本台帳|じゅうみんきほんだいちょう}カードです。\n"
            "コンピュータープログラミングをします。\n")
    warnings = readability_warnings(body, "lessons/x.md", 20)
    assert all(w.severity == "warning" and w.file == "lessons/x.md" for w in warnings)
    by_line = {w.line: w.what.en for w in warnings}
    assert set(by_line) == {21, 22, 23}
    assert "a sentence is too long" in by_line[21]
    assert "6 kanji in a row: '住民基本台帳'" in by_line[22]
    assert "katakana in a row" in by_line[23]


def test_readings_and_picture_paths_do_not_count_as_text():
    body = ("{電源|でんげんでんげんでんげんでんげんでんげんでんげんでんげんでんげんでんげんでんげんでんげん}です。\n"
            "![絵](images/a-very-long-file-name-that-is-not-read-by-anyone-at-all-really.svg)\n"
            "電話番号を入れます。\n")
    assert readability_warnings(body, "x.md", 1) == []


def test_check_lesson_reports_a_bad_tab_as_error(repo):
    write_lesson(repo, "## 手順\n\n/// tab | ガラケー\n1. 開きます。\n   ![電話](images/mihon/a.svg)\n///\n")
    meta = LessonMeta.model_validate(yaml.safe_load(FRONT.strip("-\n")))
    lesson = Lesson(slug="mihon", meta=meta, body=(repo / "lessons/mihon.md").read_text().split("---\n", 2)[2],
                    body_line=10, source="lessons/mihon.md")
    errors = [p for p in check_lesson(lesson, repo) if p.is_error]
    assert len(errors) == 1 and errors[0].what.en == "the tab 'ガラケー' is not a phone type." and errors[0].line == 12


def test_a_broken_glossary_entry_is_reported_with_its_line(repo):
    glossary = repo / "lessons" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "スワイプ2:\n  - 説明ではなく一覧\n", encoding="utf-8")
    lines = glossary.read_text(encoding="utf-8").count("\n")
    try:
        load_content(repo)
    except ContentErrors as exc:
        found = [p for p in exc.problems if p.file == "lessons/glossary.yml"]
    else:
        raise AssertionError("a broken glossary entry must stop check")
    assert len(found) == 1 and found[0].field == "スワイプ2" and found[0].line == lines - 1
    assert "the explanation of 'スワイプ2' is not text." == found[0].what.en


def test_front_matter_text_is_checked_for_readability_too(repo):
    path = write_lesson(repo, "## 手順\n\n1. 押します。\n   ![ボタン](images/mihon/a.svg)\n")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "objectives: [見本]", "objectives:\n  - 住民基本台帳カードを使える"), encoding="utf-8")
    warnings = [p for p in load_content(repo).problems if p.file == "lessons/mihon.md" and "kanji" in p.what.en]
    assert [(w.line, w.what.en) for w in warnings] == [(9, "6 kanji in a row: '住民基本台帳'")]
