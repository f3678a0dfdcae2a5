"""Reading YAML as people write it, and refusing what would hang or crash the reader.

These check generator/yamlfile.py directly (fast); the messages as `sitegen check` prints them,
with file, line and fix, are checked end to end in tests/test_hostile_schedule.py. The scalar
rules rest on PyYAML's documented add_constructor: if an upgrade changed how scalars reach
the constructors, test_scalars_are_read_as_people_mean_them fails."""
from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from generator.errors import ContentErrors
from generator.yamlfile import MAX_BYTES, line_for, parse_yaml, read_utf8


def refused(text: str, rel: str = "lessons/schedule/courses/x.yml", **kw):
    with pytest.raises(ContentErrors) as exc:
        parse_yaml(text, rel, **kw)
    problems = exc.value.problems
    assert len(problems) == 1, [p.format("en") for p in problems]
    p = problems[0]
    assert p.file == rel and p.fix is not None and p.what.ja and p.fix.ja
    return p


# --- scalars ---------------------------------------------------------------------------------
def test_scalars_are_read_as_people_mean_them():
    data, _ = parse_yaml(
        "start: 10:00\nend: 9:30\nlong: 1:30.5\n"
        "room: no\nother: off\nthird: Yes\nfourth: ON\n"
        "lift: true\nstep_free: false\nloud: TRUE\n"
        "phone: 0312345670\ncapacity: 12\nfee: 1_000\nlat: 35.69\nhex: 0x1f\n"
        "date: 2026-10-20\nnothing: ~\nempty:\n", "x.yml")
    assert data == {
        "start": "10:00", "end": "9:30", "long": "1:30.5",  # not 600, 570, 5430.5
        "room": "no", "other": "off", "third": "Yes", "fourth": "ON",  # words, not booleans
        "lift": True, "step_free": False, "loud": True,
        "phone": "0312345670",  # keeps its leading zero (not the octal number 53136824)
        "capacity": 12, "fee": 1000, "lat": 35.69, "hex": 31,
        "date": dt.date(2026, 10, 20), "nothing": None, "empty": None,
    }


def test_mapping_keys_follow_the_same_rules():
    data, _ = parse_yaml("no: いいえ\non: 電源が入っている\n10:00: 開場\n", "lessons/glossary.yml")
    assert data == {"no": "いいえ", "on": "電源が入っている", "10:00": "開場"}


@pytest.mark.parametrize("text", ["2026-02-30", "2026-02-29", "2026-13-01", "0000-01-01", "2026-00-10",
                                  "2026-10-20 25:00:00"])
def test_an_impossible_date_stays_text_for_the_model_to_refuse(text):
    data, lines = parse_yaml(f"id: x\ndate: {text}\n", "x.yml")
    assert data["date"] == text and lines[("date",)] == 2


@pytest.mark.parametrize("text, what", [
    ("capacity: !!int twelve\n", "'twelve' cannot be read as a number"),
    ("capacity: " + "9" * 5000 + "\n", "the number is too long"),
    ("lat: !!float north\n", "cannot be read as a number"),
])
def test_a_value_that_cannot_be_a_number_names_its_line(text, what):
    p = refused("id: x\n" + text)
    assert p.line == 2 and what in p.what.en and "quotes" in p.fix.en


def test_python_objects_are_refused():
    p = refused("id: x\nnote: !!python/object/apply:os.system ['true']\n")
    assert p.line == 2 and "YAML" in p.what.en


# --- shapes that would hang or crash a reader ------------------------------------------------
BOMB = "".join(f"{a}: &{a} [{', '.join([('*' + b) if b else 'x'] * 9)}]\n"
               for a, b in zip("abcdefghi", ["", *"abcdefgh"]))


def test_an_alias_bomb_is_refused_at_once():
    started = time.monotonic()
    p = refused(BOMB + "id: bomb\n")
    assert time.monotonic() - started < 2
    assert "anchors (&) and aliases (*)" in p.what.en and "write the values out" in p.fix.en
    assert "別名" in p.what.ja


def test_a_few_aliases_and_merge_keys_are_fine():
    data, lines = parse_yaml("base: &base {venue: kudan, room: A}\n"
                             "one:\n  <<: *base\n  room: B\n"
                             "two: *base\n", "x.yml")
    assert data["one"] == {"venue": "kudan", "room": "B"} and data["two"] == {"venue": "kudan", "room": "A"}
    assert lines[("one", "room")] == 4
    assert line_for(lines, ("two", "venue")) in (1, 5)


def test_a_document_that_contains_itself_is_refused():
    p = refused("id: x\nlist: &a [1, *a]\n")
    assert p.line == 2 and "refers to the part that contains it" in p.what.en


@pytest.mark.parametrize("depth", [100, 1_000, 100_000])
def test_deep_nesting_is_one_problem_not_a_recursion_error(depth):
    p = refused("id: x\ntitle: " + "[" * depth + "]" * depth + "\n")
    assert p.line == 2 and "nested too deeply" in p.what.en


def test_deep_block_nesting_is_one_problem():
    p = refused("id: x\ntitle:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)) + "  " * 200 + "x\n")
    assert p.line is not None and "nested too deeply" in p.what.en


@pytest.mark.parametrize("text, line", [
    ("id: x\ntitle:\n\tja: テスト\n", 3),
    ("id: x\nsessions:\n  - id: a\n\t  venue: b\n", 4),
    ("id: x\nrooms:\n  -\t第1学習室\n  -\t第2学習室\n", 3),
])
def test_tabs_are_named_as_the_problem(text, line):
    p = refused(text)
    assert p.line == line and "tab" in p.what.en and "spaces" in p.fix.en and "タブ" in p.what.ja


def test_a_field_written_twice_names_both_lines():
    p = refused("id: x\nsessions:\n  - id: a\n    start: 10:00\n    end: 11:00\n    start: 13:00\n")
    assert p.line == 6 and p.field == "sessions[0].start"
    assert "lines 4 and 6" in p.what.en and "4 行目と 6 行目" in p.what.ja


def test_two_documents_in_one_file():
    p = refused("id: x\n---\nid: y\n")
    assert p.line == 2 and "more than one document" in p.what.en


def test_a_bare_scalar_or_empty_document_is_returned_for_the_caller_to_judge():
    assert parse_yaml("just words\n", "x.yml")[0] == "just words"
    assert parse_yaml("", "x.yml") == (None, {})
    assert parse_yaml("# only a comment\n", "x.yml") == (None, {})


def test_too_much_text_is_refused_before_parsing():
    p = refused("note: '" + "x" * MAX_BYTES + "'\n")
    assert "too large" in p.what.en and "5 MB" in p.what.en


def test_lines_in_front_matter_count_from_the_file_start():
    p = refused("title: x\nlevel:\n\tはじめて\n", rel="lessons/x.md", line_offset=1)
    assert p.line == 4
    _, lines = parse_yaml("title: x\nlevel: はじめて\n", "lessons/x.md", line_offset=1)
    assert lines[("level",)] == 3


# --- files -----------------------------------------------------------------------------------
def test_a_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.yml"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES * 20)  # sparse: 100 MB that nobody has to read
    with pytest.raises(ContentErrors) as exc:
        read_utf8(path, "archive/huge.yml")
    (p,) = exc.value.problems
    assert p.file == "archive/huge.yml" and "too large (100.0 MB" in p.what.en and p.fix


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_folder_or_pipe_under_a_content_name_is_refused(tmp_path, kind):
    path = tmp_path / "x.yml"
    path.mkdir() if kind == "folder" else os.mkfifo(path)
    with pytest.raises(ContentErrors) as exc:
        read_utf8(path, "lessons/schedule/courses/x.yml")  # a FIFO must not block
    (p,) = exc.value.problems
    assert "not a regular file" in p.what.en and p.fix


def test_an_unreadable_file_is_one_problem(tmp_path):
    with pytest.raises(ContentErrors) as exc:
        read_utf8(tmp_path / "gone.yml", "archive/gone.yml")
    (p,) = exc.value.problems
    assert p.file == "archive/gone.yml" and "cannot be read" in p.what.en
