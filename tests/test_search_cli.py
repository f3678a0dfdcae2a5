"""`sitegen search` over the sample content plus the 31 shared-corpus prints, imported the way a
librarian would (`sitegen import`): the issue's queries, field queries, and a kind "nothing"."""
from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, copy_repo
from generator.cli import main

RIGHTS = "https://creativecommons.org/publicdomain/zero/1.0/"
HOKUSAI_QUERIES = ["ほくさい", "ホクサイ", "ﾎｸｻｲ", "hokusai", "HOKUSAI", "ｈｏｋｕｓａｉ", "北斎", "葛飾北斎"]
GREAT_WAVES = {"hokusai-fugaku36-01", "hokusai-kanagawa-oki-nami-ura"}


@functools.cache
def corpus_repo(base: Path) -> Path:
    """A copy of the repo with the shared corpus imported (shared with the browser tests)."""
    root = copy_repo(base / "repo")
    if not (root / ".cache" / "tiles").exists():
        # Tiles are keyed by scan bytes and settings: share the repo's cache, never tile twice.
        (REPO / ".cache" / "tiles").mkdir(parents=True, exist_ok=True)
        (root / ".cache").mkdir(exist_ok=True)
        (root / ".cache" / "tiles").symlink_to(REPO / ".cache" / "tiles")
    assert main(["import", str(CORPUS / "items.csv"), "--images", str(CORPUS), "--rights", RIGHTS,
                 "--root", str(root)]) == 0
    return root


@pytest.fixture(scope="session")
def imported(tmp_path_factory) -> Path:
    if not (CORPUS / "items.csv").exists():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return corpus_repo(tmp_path_factory.getbasetemp())


def records(root: Path, containing: str) -> set[str]:
    """Ids of the item records (not the authority files) whose text contains a string."""
    return {p.stem for p in (root / "archive").glob("*.yml")
            if p.name not in ("creators.yml", "series.yml") and containing in p.read_text(encoding="utf-8")}


def hokusai_ids(root: Path) -> set[str]:
    return records(root, "katsushika-hokusai")


def search(root: Path, capsys, *query: str) -> list[str]:
    """Item ids `sitegen search` lists, best first."""
    capsys.readouterr()
    assert main(["search", *query, "--root", str(root), "--limit", "200"]) == 0
    out = capsys.readouterr().out
    return [line.split("\t")[0] for line in out.splitlines() if "\t" in line]


def test_corpus_prints_are_linked_to_the_hokusai_authority(imported):
    assert len(hokusai_ids(imported)) == 32  # 31 corpus prints + the sample Great Wave


@pytest.mark.parametrize("query", HOKUSAI_QUERIES)
def test_hokusai_in_every_spelling_lists_hokusai_s_prints_first(imported, capsys, query):
    found = search(imported, capsys, query)
    expected = hokusai_ids(imported)
    assert set(found[:len(expected)]) == expected


@pytest.mark.parametrize("query", ["富士", "富嶽"])
def test_fuji_and_fugaku_find_the_series(imported, capsys, query):
    series = records(imported, "series: fugaku36")
    assert len(series) == 32
    assert series <= set(search(imported, capsys, query))


def test_the_great_wave_by_its_title(imported, capsys):
    assert set(search(imported, capsys, "神奈川沖浪裏")[:2]) == GREAT_WAVES


def test_old_and_new_kanji_forms_find_each_other(imported, capsys):
    assert search(imported, capsys, "廣重") == ["hiroshige-ohashi-atake-yudachi"]  # record says 広重
    assert "hokusai-kanagawa-oki-nami-ura" in search(imported, capsys, "富嶽三十六景")  # record says 冨嶽


def test_a_two_character_word(imported, capsys):
    assert search(imported, capsys, "地図") == ["edo-kiriezu-kojimachi"]


def test_field_queries(imported, capsys):
    assert search(imported, capsys, "artist:北斎", "type:map") == []
    assert search(imported, capsys, "type:地図") == ["edo-kiriezu-kojimachi"]
    hiroshige = search(imported, capsys, "artist:hiroshige")
    assert hiroshige == ["hiroshige-ohashi-atake-yudachi"]


def test_nothing_found_is_said_kindly(imported, capsys):
    capsys.readouterr()
    assert main(["search", "存在しない言葉", "--root", str(imported)]) == 0
    out = capsys.readouterr().out
    assert "no items match" in out and "hokusai" in out  # says so, and what to try


def test_search_answers_in_japanese_for_a_japanese_locale(imported, capsys, monkeypatch):
    monkeypatch.setenv("SITEGEN_LANG", "ja")
    capsys.readouterr()
    main(["search", "ほくさい", "--root", str(imported), "--limit", "1"])
    assert "件" in capsys.readouterr().out


def test_a_changed_record_is_searched_without_a_build(imported, capsys, tmp_path):
    root = copy_repo(tmp_path / "repo")
    assert search(root, capsys, "たぬき") == []
    record = root / "archive" / "kanda-myojin-hikifuda.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("subjects: [", "subjects: [狸, "), encoding="utf-8")
    os.utime(record, ns=(1, 1))  # a different mtime for certain, even within one clock tick
    assert search(root, capsys, "たぬき") == ["kanda-myojin-hikifuda"]


def test_bad_content_is_reported_not_a_traceback(tmp_path, capsys):
    root = copy_repo(tmp_path / "repo")
    (root / "archive" / "broken.yml").write_text("id: broken\ntype: painting\n", encoding="utf-8")
    assert main(["search", "北斎", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "archive/broken.yml" in err and "Traceback" not in err


def test_lessons_and_classes_count_as_on_the_search_page_and_are_mentioned(imported, capsys):
    capsys.readouterr()
    assert main(["search", "スマホ", "--root", str(imported)]) == 0
    out = capsys.readouterr().out
    assert "no items match" in out and "lesson and class page(s)" in out  # the search page lists them


def test_a_changed_lesson_is_searched_without_a_build(tmp_path, capsys):
    from generator.search import catalog

    root = copy_repo(tmp_path / "repo")
    search(root, capsys, "北斎")
    assert catalog.open_saved(root / ".cache", root) is not None
    lesson = root / "lessons" / "denwa-no-kakekata.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("電話", "電話機"), encoding="utf-8")
    os.utime(lesson, ns=(1, 1))
    assert catalog.open_saved(root / ".cache", root) is None  # lessons count in the ranking: brought up to date
    search(root, capsys, "北斎")
    assert catalog.open_saved(root / ".cache", root) is not None
