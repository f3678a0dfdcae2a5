"""Mistakes an instructor can make in lessons/schedule/, and the message each one gets."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from generator.content import load_content
from generator.errors import ContentErrors

HEAD = """\
id: {id}
title: {{ja: テスト教室, en: Test class}}
lessons: [{lessons}]
capacity: {capacity}
sessions:
"""


def write_course(repo, sessions: str, id: str = "test-kyoshitsu", lessons: str = "dengen-to-botan",
                 capacity: int = 10) -> str:
    rel = f"lessons/schedule/courses/{id}.yml"
    (repo / rel).write_text(HEAD.format(id=id, lessons=lessons, capacity=capacity) + textwrap.dedent(sessions),
                            encoding="utf-8")
    return rel


def problems(repo):
    with pytest.raises(ContentErrors) as exc:
        load_content(repo)
    return [p for p in exc.value.problems if p.is_error]


def only(repo, rel):
    found = [p for p in problems(repo) if p.file == rel]
    assert len(found) == 1, [p.format("en") for p in found]
    return found[0]


WEEKLY = """\
  - id: t-weekly
    venue: kudan-community-hall
    room: 第2学習室
    weekly: {weekday: wed, start_date: 2027-02-03, count: 4}
    start: "10:00"
    end: "11:00"
"""


def test_the_sample_schedule_is_valid(repo):
    content = load_content(repo)
    assert {c.id for c in content.courses} == {"hajimete-sumaho", "sumaho-soudankai"}
    assert len(content.venues) == 2


def test_end_before_start(repo):
    rel = write_course(repo, WEEKLY.replace('end: "11:00"', 'end: "09:30"'))
    p = only(repo, rel)
    assert p.field == "sessions[0]" and p.line == 6
    assert "09:30" in p.what.en and "10:00" in p.what.en and "終わり" in p.what.ja


def test_unknown_venue_names_the_known_ones(repo):
    rel = write_course(repo, WEEKLY.replace("kudan-community-hall", "kudan-hall"))
    p = only(repo, rel)
    assert p.field == "sessions[0].venue" and p.line == 7
    assert "kudan-hall" in p.what.en and "kudan-community-hall" in p.fix.en


def test_unknown_lesson(repo):
    rel = write_course(repo, WEEKLY, lessons="dengen-to-botann")
    p = only(repo, rel)
    assert p.field == "lessons[0]" and p.line == 3 and "dengen-to-botann" in p.what.en


def test_two_sessions_in_the_same_room_at_overlapping_times(repo):
    write_course(repo, WEEKLY)
    other = write_course(repo, """\
  - id: t-clash
    venue: kudan-community-hall
    room: 第2学習室
    date: 2027-02-17
    start: "10:30"
    end: "12:00"
""", id="test-kyoshitsu-2")
    p = only(repo, other)
    assert p.field == "sessions[0].start" and p.line == 10
    assert "t-weekly" in p.what.en and "2027-02-17 10:30" in p.what.en and "第2学習室" in p.what.ja


def test_same_time_in_another_room_or_on_a_cancelled_date_is_fine(repo):
    write_course(repo, WEEKLY + """\
    exceptions:
      - {date: 2027-02-17, cancelled: true}
""")
    write_course(repo, """\
  - id: t-other-room
    venue: kudan-community-hall
    room: 第1学習室
    date: 2027-02-10
    start: "10:00"
    end: "11:00"
  - id: t-on-cancelled-date
    venue: kudan-community-hall
    room: 第2学習室
    date: 2027-02-17
    start: "10:00"
    end: "11:00"
""", id="test-kyoshitsu-2")
    assert len(load_content(repo).courses) == 4


def test_exception_for_a_date_the_rule_does_not_produce(repo):
    rel = write_course(repo, WEEKLY + """\
    exceptions:
      - date: 2027-02-04
        cancelled: true
""")
    p = only(repo, rel)
    assert p.field == "sessions[0].exceptions[0].date" and p.line == 13
    assert "2027-02-04" in p.what.en and "2027-02-03" in p.fix.en and "moved_to" in p.fix.en


def test_exception_whose_new_end_is_before_the_start(repo):
    rel = write_course(repo, WEEKLY + """\
    exceptions:
      - date: 2027-02-10
        end: "09:00"
""")
    p = only(repo, rel)
    assert p.field == "sessions[0].exceptions[0].end" and p.line == 14


def test_capacity_below_zero(repo):
    rel = write_course(repo, WEEKLY, capacity=-1)
    p = only(repo, rel)
    assert p.field == "capacity" and p.line == 4 and "at least 0" in p.what.en


def test_room_the_venue_does_not_have(repo):
    rel = write_course(repo, WEEKLY.replace("第2学習室", "第9学習室"))
    p = only(repo, rel)
    assert p.field == "sessions[0].room" and "第1学習室" in p.fix.en


def test_course_id_that_would_hide_a_schedule_page(repo):
    rel = write_course(repo, WEEKLY, id="past")
    p = only(repo, rel)
    assert p.field == "id" and p.line == 1


def test_check_command_prints_every_problem_and_exits_non_zero(repo):
    write_course(repo, WEEKLY.replace('end: "11:00"', 'end: "09:30"'), id="a-kyoshitsu")
    write_course(repo, WEEKLY.replace("wed, start_date: 2027-02-03", "wed, start_date: 2027-03-03").replace(
        "t-weekly", "t-two") + "    exceptions:\n      - {date: 2027-03-04, cancelled: true}\n", id="b-kyoshitsu")
    run = subprocess.run([sys.executable, "-m", "generator", "check", "--root", str(repo)], capture_output=True,
                         text=True, env={"SITEGEN_LANG": "ja", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "lessons/schedule/courses/a-kyoshitsu.yml:6" in run.stderr
    assert "lessons/schedule/courses/b-kyoshitsu.yml:13" in run.stderr and "直し方" in run.stderr


def test_moving_a_date_onto_another_date_of_the_same_session(repo):
    rel = write_course(repo, WEEKLY + """\
    exceptions:
      - date: 2027-02-10
        moved_to: 2027-02-17
""")
    p = only(repo, rel)
    assert p.field == "sessions[0].exceptions[0].moved_to" and p.line == 14 and "2027-02-17" in p.what.en


def test_moving_a_date_into_a_week_that_is_itself_moved_away_is_fine(repo):
    write_course(repo, WEEKLY + """\
    exceptions:
      - {date: 2027-02-10, moved_to: 2027-02-17}
      - {date: 2027-02-17, moved_to: 2027-02-18}
""")
    assert len(load_content(repo).courses) == 3


def test_a_session_without_a_room_clashes_with_every_room_of_its_venue(repo):
    write_course(repo, WEEKLY)
    other = write_course(repo, """\
  - id: t-whole-hall
    venue: kudan-community-hall
    date: 2027-02-10
    start: 10:30
    end: 12:00
  - id: t-elsewhere
    venue: kanda-sakura-kan
    room: 会議室A
    date: 2027-02-10
    start: 10:00
    end: 11:00
""", id="test-kyoshitsu-2")
    p = only(repo, other)
    assert p.field == "sessions[0].start" and p.line == 9 and "t-weekly" in p.what.en
