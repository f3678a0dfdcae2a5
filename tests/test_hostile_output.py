"""Hostile or careless input against what the build writes: output folders it must not
replace, ids that would take a generated page's address, text that breaks feeds or a
terminal, a busy port, and the publication record advancing only with a real publish."""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import TODAY, copy_repo
from test_content_errors import sitegen, tree_digest


@pytest.fixture
def repo(tmp_path):
    return copy_repo(tmp_path / "repo")  # tiles linked now: tests here compare the whole repo before and after


def _refused(result, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "how to fix:" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- output folders ------------------------------------------------------------------------
def test_output_folders_that_are_not_sitegens_are_refused_and_left_alone(repo, tmp_path):
    documents = tmp_path / "Documents"
    (documents / "letters").mkdir(parents=True)
    (documents / "letters" / "a.txt").write_text("precious", encoding="utf-8")
    (documents / "notes.txt").write_text("also precious", encoding="utf-8")
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("text", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(documents)
    before_docs, before_repo = _listing(documents), _listing(repo)
    cases = {
        str(documents): "did not write",
        str(repo): "holds the repository",
        str(repo / "archive"): "inside archive/",
        str(repo / "images" / "new-site"): "inside images/",
        str(repo / "lessons"): "inside lessons/",
        str(tmp_path): "holds the repository",  # an ancestor of the repository
        str(a_file): "is a file",
        str(link): "is a link",
    }
    for out, words in cases.items():
        _refused(sitegen(repo, "build", "--quiet", "--out", out), words)
    assert _listing(documents) == before_docs
    assert _listing(repo) == before_repo
    assert a_file.read_text(encoding="utf-8") == "text"
    assert not (repo / ".cache" / "site-spare").exists()


def test_a_folder_sitegen_wrote_is_rebuilt_and_an_empty_one_used(repo, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert sitegen(repo, "build", "--quiet", "--today", TODAY, "--out", str(empty)).returncode == 0
    assert (empty / ".sitegen-site").is_file() and (empty / "index.html").is_file()
    marker = (empty / ".sitegen-site").read_text(encoding="utf-8").splitlines()
    assert {"index.html", "items", "iiif"} <= set(marker[1:])
    assert sitegen(repo, "build", "--quiet", "--today", TODAY, "--out", str(empty)).returncode == 0
    (empty / "google1234.html").write_text("verification", encoding="utf-8")
    before = tree_digest(empty)
    _refused(sitegen(repo, "build", "--quiet", "--today", TODAY, "--out", str(empty)), "google1234.html")
    assert tree_digest(empty) == before


# --- ids that would take a generated page's address ---------------------------------------
def _record(item_id: str) -> str:
    return (f"id: {item_id}\ntype: document\ntitle:\n  ja: 検査用\n"
            "rights: https://creativecommons.org/publicdomain/mark/1.0/\n")


def _course(course_id: str, venue: str = "kudan-community-hall") -> str:
    return (f"id: '{course_id}'\ntitle: {{ja: 教室}}\ncapacity: 5\nsessions:\n"
            f"  - id: {course_id}-s1\n    venue: {venue}\n    date: 2026-12-20\n"
            "    start: \"10:00\"\n    end: \"11:00\"\n")


RESERVED_CASES = {
    "item-index": ("archive/index.yml", _record("index"), "items/index/"),
    "item-page": ("archive/page.yml", _record("page"), "items/page/"),
    "item-types": ("archive/types.yml", _record("types"), "items/types/"),
    "item-periods": ("archive/periods.yml", _record("periods"), "items/periods/"),
    "course-past": ("lessons/schedule/courses/past.yml", _course("past"), "classes/past/"),
    "course-month": ("lessons/schedule/courses/2026-12.yml", _course("2026-12"), "classes/2026-12/"),
    "course-all": ("lessons/schedule/courses/all.yml", _course("all"), "classes/all/"),
    "course-venues": ("lessons/schedule/courses/venues.yml", _course("venues"), "classes/venues/"),
}


@pytest.mark.parametrize("case", sorted(RESERVED_CASES))
def test_an_id_that_names_a_generated_page_is_refused(repo, case):
    path, text, address = RESERVED_CASES[case]
    (repo / path).write_text(text, encoding="utf-8")
    _refused(sitegen(repo, "check"), path, "field 'id'", address)


def test_lesson_venue_and_authority_names_of_generated_pages_are_refused(repo):
    lesson = next(p for p in sorted((repo / "lessons").glob("*.md")))
    (repo / "lessons" / "images.md").write_text(lesson.read_text(encoding="utf-8"), encoding="utf-8")
    venues = repo / "lessons" / "schedule" / "venues.yml"
    venues.write_text(venues.read_text(encoding="utf-8") +
                      "- id: index\n  name: {ja: 会場}\n  address: {ja: 千代田区}\n", encoding="utf-8")
    creators = repo / "archive" / "creators.yml"
    text = creators.read_text(encoding="utf-8")
    creators.write_text(text + "\n- id: page\n  name: {ja: 名前}\n", encoding="utf-8")
    result = sitegen(repo, "check")
    _refused(result, "lessons/images.md", "lessons/images/", "lessons/schedule/venues.yml",
             "classes/venues/index/", "archive/creators.yml", "creators/page/")
    # In Japanese too.
    result = sitegen(repo, "check", lang="ja")
    assert result.returncode == 1 and "直し方:" in result.stderr and "使えません" in result.stderr


def test_two_pages_at_one_address_stop_the_build_naming_both():
    """The second line of defence behind the reserved names: any two pages at one address."""
    from types import SimpleNamespace

    from generator.errors import BuildError
    from generator.render.docs import claim

    ctx = SimpleNamespace(docs_owner={}, docs_wanted=set())
    claim(ctx, "ja/items/index.md", "資料一覧")
    claim(ctx, "ja/items/x.md", "X")
    claim(ctx, "en/items/x.md", "X")
    with pytest.raises(BuildError) as caught:
        claim(ctx, "ja/items/index.md", "悪い資料")
    assert "資料一覧" in caught.value.format("ja") and "悪い資料" in caught.value.format("ja")
    assert "items/" in caught.value.format("en")
    with pytest.raises(BuildError) as caught:  # items/x.md and items/x/index.md are both items/x/
        claim(ctx, "ja/items/x/index.md", "Y")
    assert "items/x/" in caught.value.format("en") and "'X'" in caught.value.format("en")


# --- text that breaks formats --------------------------------------------------------------
def test_line_breaks_in_one_line_fields_are_a_check_error_not_a_crash(repo):
    course = repo / "lessons" / "schedule" / "courses" / "hajimete-sumaho.yml"
    text = course.read_text(encoding="utf-8").replace("  ja: はじめてのスマホ教室\n", '  ja: "はじめての\\nスマホ教室"\n', 1)
    text = text.replace("    room: 第1学習室\n", "    room: |\n      第1学習室\n      地下\n", 1)
    course.write_text(text, encoding="utf-8")
    record = repo / "archive" / "hokusai-kanagawa-oki-nami-ura.yml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "  ja: 冨嶽三十六景　神奈川沖浪裏", '  ja: "冨嶽三十六景\\u2028神奈川沖浪裏"', 1), encoding="utf-8")
    for command in ("check", "build"):
        result = sitegen(repo, command, "--quiet") if command == "build" else sitegen(repo, command)
        _refused(result, "lessons/schedule/courses/hajimete-sumaho.yml:4", "field 'title.ja'", "single line",
                 "field 'sessions[0].room'", "archive/hokusai-kanagawa-oki-nami-ura.yml")
    assert not (repo / "site").exists()


def test_characters_xml_cannot_carry_never_reach_feeds_manifests_or_pages(repo):
    record = repo / "archive" / "hokusai-kanagawa-oki-nami-ura.yml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "  ja: 冨嶽三十六景　神奈川沖浪裏", '  ja: "冨嶽三十六景\\uFFFE\\uFDD0\\x85\\x1b[31m神奈川沖浪裏"', 1), encoding="utf-8")
    course = repo / "lessons" / "schedule" / "courses" / "hajimete-sumaho.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "  ja: はじめてのスマホ教室\n", '  ja: "はじめての\\uFFFFスマホ\\x07教室"\n', 1), encoding="utf-8")
    result = sitegen(repo, "build", "--quiet", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    site = repo / "site"
    bad = ("\ufffe", "\ufdd0", "\x85", "\x1b", "\uffff", "\x07")
    for path in [*site.rglob("*.html"), *site.rglob("*.json"), *site.rglob("*.xml"), *site.rglob("*.atom"),
                 *site.rglob("*.ics"), *site.rglob("*.csv")]:
        text = path.read_text(encoding="utf-8")
        assert not any(ch in text for ch in bad), path
    for path in [*site.rglob("*.xml"), *site.rglob("*.atom")]:
        ET.fromstring(path.read_bytes())
    manifest = json.loads((site / "iiif" / "hokusai-kanagawa-oki-nami-ura" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["label"]["ja"] == ["冨嶽三十六景[31m神奈川沖浪裏"]
    assert "はじめてのスマホ教室" in (site / "calendar" / "hajimete-sumaho.ics").read_text(encoding="utf-8")


def test_terminal_control_sequences_in_content_are_printed_escaped(repo):
    (repo / "archive" / "evil.yml").write_text(
        'id: "\\e[2J\\e]0;pwned\\a\\u202egpj.exe"\ntype: document\ntitle: {ja: x}\n'
        "rights: https://creativecommons.org/publicdomain/mark/1.0/\n", encoding="utf-8")
    result = sitegen(repo, "check")
    _refused(result, "archive/evil.yml", "field 'id'", "\\x1b[2J", "\\u202e")
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\u202e" not in result.stderr


# --- serve -------------------------------------------------------------------------------
def test_serve_on_a_port_in_use_says_so(repo):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = sitegen(repo, "serve", "--port", str(port))
    _refused(result, f"port {port}", f"--port {port + 1}")
    result = sitegen(repo, "serve", "--port", "99999")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "65535" in result.stderr


# --- the publication record ---------------------------------------------------------------
def _move_a_session(repo: Path) -> None:
    course = repo / "lessons" / "schedule" / "courses" / "sumaho-soudankai.yml"
    text = course.read_text(encoding="utf-8")
    block = text.index("id: soudankai-2026-12")
    course.write_text(text[:block] + text[block:].replace('start: "13:30"', 'start: "14:00"', 1), encoding="utf-8")


def test_previews_and_failed_builds_never_advance_the_publication_record(repo, tmp_path, monkeypatch):
    from generator import pipeline
    from generator.errors import BuildError, Text

    ledger = repo / "lessons" / "schedule" / "published.json"
    recorded = ledger.read_bytes()
    _move_a_session(repo)
    # Previews: another date, another folder, another URL.
    for extra in (("--today", TODAY), ("--out", str(tmp_path / "preview")), ("--site-url", "http://127.0.0.1:9/")):
        assert sitegen(repo, "build", "--quiet", *extra).returncode == 0
        assert ledger.read_bytes() == recorded, extra
    # A real publish that fails after the feeds were made.
    def fail(ctx, documents):
        raise BuildError(Text("失敗", "failed on purpose"))
    monkeypatch.setattr(pipeline.pagefind, "index", fail)  # the publish stage's first step
    site_before = tree_digest(repo / "site") if (repo / "site").exists() else None
    with pytest.raises(BuildError):
        pipeline.build(repo, progress=False)
    assert ledger.read_bytes() == recorded
    assert (tree_digest(repo / "site") if (repo / "site").exists() else None) == site_before
    monkeypatch.undo()
    # The real publish advances it, after the site is in place.
    pipeline.build(repo, progress=False)
    after = json.loads(ledger.read_text(encoding="utf-8"))
    assert after["sessions"]["soudankai-2026-12"]["sequence"] == \
        json.loads(recorded)["sessions"]["soudankai-2026-12"]["sequence"] + 1
    assert after["sessions"]["soudankai-2026-12"]["changed"] == dt.date.today().isoformat()
    assert os.path.exists(repo / "site" / ".sitegen-site")


# --- file names ----------------------------------------------------------------------------
def test_file_names_that_are_not_utf8_are_reported_not_skipped_or_crashing(repo):
    record = b"id: cafe\ntype: document\ntitle: {ja: x}\nrights: https://creativecommons.org/publicdomain/mark/1.0/\n"
    with open(os.fsencode(repo / "archive") + b"/caf\xe9.yml", "wb") as f:
        f.write(record)
    lesson = (repo / "lessons" / "dengen-to-botan.md").read_bytes()
    with open(os.fsencode(repo / "lessons") + b"/\x83\x8c\x83b\x83X\x83\x93.md", "wb") as f:  # レッスン in Shift_JIS
        f.write(lesson)
    result = sitegen(repo, "check")
    _refused(result, "archive/caf\\xe9.yml", "lessons/\\x83\\x8c", "not UTF-8", "rename the file")
    assert sitegen(repo, "build", "--quiet").returncode == 1
    assert not (repo / "site").exists()


def test_links_pipes_and_folders_under_content_names_are_reported(repo):
    (repo / "archive" / "leak.yml").symlink_to("/etc/hostname")
    (repo / "lessons" / "leak.md").symlink_to("/etc/passwd")
    (repo / "lessons" / "schedule" / "courses" / "leak.yml").symlink_to(repo / "mkdocs.yml")
    os.mkfifo(repo / "archive" / "pipe.yml")  # reading it would hang the check for ever
    (repo / "archive" / "folder.yml").mkdir()
    result = sitegen(repo, "check")
    _refused(result, "archive/leak.yml", "lessons/leak.md", "lessons/schedule/courses/leak.yml", "link to another file",
             "archive/pipe.yml", "archive/folder.yml", "not a regular file")
    assert "root:" not in result.stderr


def test_one_build_with_hostile_input_of_every_class_changes_nothing(repo, tmp_path):
    """Every class at once: the build stops with messages naming each file, site/ is as it
    was, and nothing beside the repository or in its content folders was written."""
    assert sitegen(repo, "build", "--quiet", "--today", TODAY).returncode == 0
    before_site = tree_digest(repo / "site")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    before_outside = _listing(outside)
    hostile = repo / "lessons" / "hostile-refs.md"
    lesson = (repo / "lessons" / "dengen-to-botan.md").read_text(encoding="utf-8")
    hostile.write_text(lesson + f"\n![秘密][s]\n\n[s]: ../../../{os.path.relpath(outside, repo)}/secret.txt\n"
                       "[x](jav&#x61;script:alert(1))\n", encoding="utf-8")
    (repo / "archive" / "page.yml").write_text(_record("page"), encoding="utf-8")
    (repo / "archive" / "leak.yml").symlink_to(outside / "secret.txt")
    course = repo / "lessons" / "schedule" / "courses" / "hajimete-sumaho.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("until: 2026-12-15", "until: 2099-12-15"), encoding="utf-8")
    venues = repo / "lessons" / "schedule" / "venues.yml"
    venues.write_text(venues.read_text(encoding="utf-8").replace("rooms: [第1学習室", 'rooms: ["第1\\n学習室"', 1),
                      encoding="utf-8")
    before_content = {name: _listing(repo / name) for name in ("archive", "images", "lessons")}
    result = sitegen(repo, "build", "--quiet", "--today", TODAY)
    _refused(result, "lessons/hostile-refs.md", "archive/page.yml", "archive/leak.yml",
             "lessons/schedule/courses/hajimete-sumaho.yml", "lessons/schedule/venues.yml")
    assert "secret" not in result.stderr.replace("secret.txt", "")
    assert tree_digest(repo / "site") == before_site
    assert _listing(outside) == before_outside
    assert {name: _listing(repo / name) for name in ("archive", "images", "lessons")} == before_content
    assert sorted(p.name for p in repo.iterdir()) == sorted(["archive", "images", "lessons", "mkdocs.yml", "site", ".cache",
                                                             *(["node_modules"] if (repo / "node_modules").exists() else [])])
