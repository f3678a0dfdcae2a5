"""Schedules as instructors really write them, and as a careless or hostile file could.

Times and dates in the forms people use are read right (an unquoted 10:00 is ten o'clock,
9:30 is half past nine); impossible ones (25:00, 2026-02-30, month 13, year 99999) and
unbounded ones (until: 9999-12-31, a rule over decades, lists of thousands of dates) get one
message naming file, field and line. The models are checked directly (fast); the messages
as `sitegen check` prints them in one run over every hostile file; the accepted forms in
one build, on the pages and in the calendar feed."""
from __future__ import annotations

import datetime as dt
import textwrap
import time

import pytest
from pydantic import ValidationError

from conftest import TODAY, copy_repo
from generator.errors import Problem
from generator.models.common import problems_from_validation
from generator.models.schedule import MAX_WEEKS, Course, Venue
from generator.schedule.occurrences import rule_dates
from generator.yamlfile import parse_yaml
from test_content_errors import sitegen

REL = "lessons/schedule/courses/t.yml"
HEAD = """\
id: t
title: {ja: テスト教室, en: Test class}
capacity: 10
sessions:
  - id: t-one
    venue: kudan-community-hall
"""


def course(session: str) -> tuple[Course | None, list[Problem]]:
    """The course with one session whose further lines (after id and venue) are given."""
    data, lines = parse_yaml(HEAD + textwrap.indent(textwrap.dedent(session), "    "), REL)
    try:
        return Course.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from_validation(exc, REL, lines, Course)


def one_problem(session: str) -> Problem:
    _, problems = course(session)
    assert len(problems) == 1, [p.format("en") for p in problems]
    p = problems[0]
    assert p.fix is not None and p.what.ja and p.fix.ja
    return p


ONE_OFF = "date: 2026-12-05\nstart: {start}\nend: {end}\n"
WEEKLY = "weekly: {{weekday: wed, start_date: 2026-12-02, {end_rule}}}\nstart: 10:00\nend: 11:30\n"


# --- times -----------------------------------------------------------------------------------
@pytest.mark.parametrize("written, meant", [
    ("10:00", dt.time(10)), ('"10:00"', dt.time(10)), ("9:30", dt.time(9, 30)), ("09:30", dt.time(9, 30)),
    ("'9:05'", dt.time(9, 5)), ("１０：００", dt.time(10)), ("10:00:00", dt.time(10)), ("0:15", dt.time(0, 15)),
])
def test_times_as_people_write_them(written, meant):
    c, problems = course(ONE_OFF.format(start=written, end="23:59"))
    assert not problems, [p.format("en") for p in problems]
    assert c.sessions[0].start == meant and c.sessions[0].start.tzinfo is None


@pytest.mark.parametrize("written, what", [
    ("25:00", "'25:00' is not a time of day (hours 0 to 23"),
    ("24:00", "'24:00' is not a time of day (hours 0 to 23"),
    ("10:60", "'10:60' is not a time of day"),
    ("10時", "'10時' is not a time of day"),
    ("午後1時", "'午後1時' is not a time of day"),
    ("1000", "'1000' is not a time of day"),  # a number, never seconds since midnight
    ("10", "'10' is not a time of day"),
    ("10.5", "'10.5' is not a time of day"),
    ('"10:00Z"', "'10:00Z' is not a time of day"),  # times are Asia/Tokyo; no zone of their own
    ('"10:00+09:00"', "is not a time of day"),
    ("true", "'True' is not a time of day"),
    ('""', "'' is not a time of day"),
])
def test_times_that_are_not_times(written, what):
    p = one_problem(ONE_OFF.format(start=written, end="23:00"))
    assert p.field == "sessions[0].start" and p.line == 8
    assert what in p.what.en and '"13:30"' in p.fix.en and "13:30" in p.fix.ja and "時刻" in p.what.ja


def test_an_exceptions_times_are_read_the_same_way():
    c, problems = course(WEEKLY.format(end_rule="count: 3") + "exceptions:\n  - {date: 2026-12-09, start: 9:30}\n")
    assert not problems and c.sessions[0].exceptions[0].start == dt.time(9, 30)
    p = one_problem(WEEKLY.format(end_rule="count: 3") + "exceptions:\n  - date: 2026-12-09\n    end: 10:75\n")
    assert p.field == "sessions[0].exceptions[0].end" and p.line == 12 and "10:75" in p.what.en


# --- dates -----------------------------------------------------------------------------------
@pytest.mark.parametrize("written", ["2026-12-05", "2026/12/05", "2026/12/5", "2026年12月5日", "２０２６－１２－０５",
                                     '"2026-12-05"'])
def test_dates_as_people_write_them(written):
    c, problems = course(ONE_OFF.format(start="10:00", end="11:00").replace("2026-12-05", written))
    assert not problems, [p.format("en") for p in problems]
    assert c.sessions[0].date == dt.date(2026, 12, 5)


@pytest.mark.parametrize("written, what", [
    ("2026-02-30", "'2026-02-30': February 2026 has 28 days"),
    ("2026-02-29", "February 2026 has 28 days"),
    ("2026-04-31", "April 2026 has 30 days"),
    ("2026-13-01", "there is no month 13"),
    ("2026-00-10", "there is no month 0"),
    ("0000-01-01", "the year 0 is outside"),
    ("99999-01-01", "the year 99999 is outside"),
    ("1899-12-31", "the year 1899 is outside"),
    ("2101-01-01", "the year 2101 is outside"),
    ("2026-12-05 10:00:00", "has a time in it"),
    ("2026-12-05 10:00", "is not a date"),
    ("20261205", "'20261205' is not a date"),
    ("来週の土曜", "is not a date"),
])
def test_dates_that_are_not_days(written, what):
    p = one_problem(ONE_OFF.format(start="10:00", end="11:00").replace("2026-12-05", written))
    assert p.field == "sessions[0].date" and p.line == 7 and what in p.what.en, p.format("en")


def test_the_leap_day_of_a_leap_year_is_fine():
    c, problems = course(ONE_OFF.format(start="10:00", end="11:00").replace("2026-12-05", "2028-02-29"))
    assert not problems and c.sessions[0].date == dt.date(2028, 2, 29)


def test_every_date_field_is_checked():
    p = one_problem(WEEKLY.format(end_rule="until: 2026-02-30"))
    assert p.field == "sessions[0].weekly.until" and "February 2026 has 28 days" in p.what.en
    p = one_problem(WEEKLY.format(end_rule="count: 3, skip: [2026-12-09, 2026-12-32]"))
    assert p.field == "sessions[0].weekly.skip[1]" and "December 2026 has 31 days" in p.what.en
    p = one_problem(WEEKLY.format(end_rule="count: 3") + "exceptions:\n  - {date: 2026-12-09, moved_to: 2026-14-10}\n")
    assert p.field == "sessions[0].exceptions[0].moved_to" and "no month 14" in p.what.en


# --- bounds ----------------------------------------------------------------------------------
def test_the_longest_weekly_rule_is_two_years():
    c, problems = course(WEEKLY.format(end_rule=f"count: {MAX_WEEKS}"))
    assert not problems and len(rule_dates(c.sessions[0])) == MAX_WEEKS
    last = dt.date(2026, 12, 2) + dt.timedelta(weeks=MAX_WEEKS - 1)
    c, problems = course(WEEKLY.format(end_rule=f"until: {last}"))
    assert not problems and rule_dates(c.sessions[0])[-1] == last


@pytest.mark.parametrize("end_rule, field, what", [
    ("until: 9999-12-31", "until", "the year 9999 is outside"),
    ("until: 2046-12-26", "until", "from start_date (2026-12-02) to until (2046-12-26) is more than two years"),
    ("until: 2028-12-06", "until", "more than two years"),
    ("count: 106", "count", "count is 106; a weekly rule has at most 105 dates"),
    ("count: 100000000000000000000", "count", "count is 100000000000000000000"),
])
def test_a_weekly_rule_without_a_sensible_end_is_refused(end_rule, field, what):
    started = time.monotonic()
    p = one_problem(WEEKLY.format(end_rule=end_rule))
    assert time.monotonic() - started < 30  # nothing expanded the rule (that would not end)
    assert p.field == f"sessions[0].weekly.{field}" and p.line == 7 and what in p.what.en
    assert "new session" in p.fix.en or "year" in p.fix.en


@pytest.mark.parametrize("lines, field, what", [
    ("weekly:\n  weekday: wed\n  start_date: 2026-12-02\n  count: 3\n  skip: [{dates}]\n",
     "sessions[0].weekly.skip", "20,000 skipped dates (at most 105)"),
    ("date: 2026-12-02\nexceptions: [{exceptions}]\n", "sessions[0].exceptions", "20,000 exceptions (at most 105)"),
])
def test_absurdly_long_lists_are_one_problem(lines, field, what):
    text = lines.format(dates=", ".join(["2026-12-09"] * 20_000),
                        exceptions=", ".join(["{date: 2026-12-02, cancelled: true}"] * 20_000))
    started = time.monotonic()
    p = one_problem(text + "start: 10:00\nend: 11:00\n")
    assert time.monotonic() - started < 30  # not quadratic in the list's length (that would not end)
    assert p.field == field and what in p.what.en


def test_a_course_with_thousands_of_sessions_is_one_problem():
    data, lines = parse_yaml(HEAD.split("  - id")[0] + "".join(
        f"  - {{id: s{i}, venue: v, date: 2026-12-05, start: 10:00, end: 11:00}}\n" for i in range(5000)), REL)
    with pytest.raises(ValidationError) as exc:
        Course.model_validate(data)
    (p,) = problems_from_validation(exc.value, REL, lines, Course)
    assert p.field == "sessions" and "5,000 sessions (at most 500)" in p.what.en


# --- YAML 1.1 words ---------------------------------------------------------------------------
def test_yes_and_no_are_words_in_text_and_booleans_in_true_false_fields():
    data, lines = parse_yaml(textwrap.dedent("""\
        - id: v
          name: No
          address: 東京都千代田区
          rooms: [no, off, yes, 10:00]
          lift: yes
          step_free: no
          hearing_loop: on
        """), "lessons/schedule/venues.yml")
    venue = Venue.model_validate(data[0])
    assert venue.name.ja == "No" and venue.rooms == ["no", "off", "yes", "10:00"]
    assert (venue.lift, venue.step_free, venue.hearing_loop) == (True, False, True)


def test_a_room_called_no_is_that_room():
    c, problems = course("room: no\n" + ONE_OFF.format(start="10:00", end="11:00"))
    assert not problems and c.sessions[0].room == "no"


# --- as sitegen check prints it -----------------------------------------------------------------
def _file(id: str, session: str) -> str:
    return HEAD.replace("id: t\n", f"id: {id}\n").replace("t-one", f"{id}-1") + textwrap.indent(session, "    ")


# name -> (file text, line, field, words of the English message)
CHECKED = {
    "time-25": (_file("time-25", ONE_OFF.format(start="25:00", end="23:00")), 8, "sessions[0].start",
                "'25:00' is not a time of day"),
    "time-kanji": (_file("time-kanji", ONE_OFF.format(start="10時", end="11:00")), 8, "sessions[0].start",
                   "'10時' is not a time of day"),
    "date-feb-30": (_file("date-feb-30", ONE_OFF.format(start="10:00", end="11:00").replace("2026-12-05", "2026-02-30")),
                    7, "sessions[0].date", "February 2026 has 28 days"),
    "date-month-13": (_file("date-month-13", WEEKLY.format(end_rule="count: 3")
                            + "exceptions:\n  - date: 2026-13-01\n    cancelled: true\n"),
                      11, "sessions[0].exceptions[0].date", "there is no month 13"),
    "until-9999": (_file("until-9999", WEEKLY.format(end_rule="until: 9999-12-31")), 7, "sessions[0].weekly.until",
                   "the year 9999 is outside"),
    "until-decades": (_file("until-decades", WEEKLY.format(end_rule="until: 2056-12-27")), 7,
                      "sessions[0].weekly.until", "more than two years"),
    "skip-thousands": (_file("skip-thousands", WEEKLY.format(
        end_rule="count: 3, skip: [" + ", ".join(["2026-12-09"] * 5000) + "]")), 7, "sessions[0].weekly.skip",
        "5,000 skipped dates"),
    "tabs": ("id: tabs\ntitle: {ja: タブ}\ncapacity: 10\nsessions:\n\t- id: tabs-1\n", 5, None, "tab character"),
    "deep": ("id: deep\ntitle: " + "[" * 100_000 + "]" * 100_000 + "\n", 2, None, "nested too deeply"),
    "bare-scalar": ("はじめてのスマホ教室 10:00〜11:30\n", 1, None, "does not hold fields"),
    "alias-bomb": ("id: alias-bomb\n" + "".join(
        f"{a}: &{a} [{', '.join([('*' + b) if b else 'x'] * 9)}]\n" for a, b in zip("abcdefghi", ["", *"abcdefgh"])),
        1, None, "anchors (&) and aliases (*) expand this file"),
    "huge": ("id: huge\ntitle: {ja: 大きい}\ncapacity: 10\nnote: '" + "あ" * 2_000_000 + "'\n", None, None,
             "the file is too large (5.7 MB; at most 5 MB)"),
    "twice": ("id: twice\ntitle: {ja: 二回}\ncapacity: 10\ncapacity: 12\n", 4, "capacity", "written twice (lines 3 and 4)"),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """One `sitegen check` over a repo holding every hostile course file, in both languages."""
    root = copy_repo(tmp_path_factory.mktemp("hostile-schedule") / "repo")
    for name, (text, *_) in CHECKED.items():
        (root / "lessons/schedule/courses" / f"{name}.yml").write_text(text, encoding="utf-8")
    started = time.monotonic()
    en = sitegen(root, "check")
    seconds = time.monotonic() - started
    return en, sitegen(root, "check", lang="ja"), seconds


def test_check_fails_without_a_traceback_and_in_reasonable_time(checked):
    en, ja, seconds = checked
    assert en.returncode == 1 and ja.returncode == 1, en.stdout + en.stderr
    assert "Traceback" not in en.stderr + ja.stderr and "RecursionError" not in en.stderr
    assert seconds < 60
    assert f"{len(CHECKED)} error(s), 0 warning(s)." in en.stderr, en.stderr


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_check_names_file_line_field_and_fix(checked, name):
    _, line, field, words = CHECKED[name]
    lines = checked[0].stderr.splitlines()
    where = f"lessons/schedule/courses/{name}.yml" + (f":{line}" if line else "")
    heads = [i for i, text in enumerate(lines) if text.startswith(where + ": error")
             and (field is None or f"[field '{field}']" in text)]
    assert len(heads) == 1, f"no single message at {where} (field {field}):\n{checked[0].stderr[:3000]}"
    assert words in lines[heads[0]], lines[heads[0]]
    assert lines[heads[0] + 1].strip().startswith("how to fix:")


def test_check_speaks_japanese(checked):
    ja = checked[1].stderr
    assert ("lessons/schedule/courses/time-25.yml:8: エラー [項目 'sessions[0].start']: "
            "「25:00」は時刻としてありえません（時は 0〜23、分は 00〜59）。") in ja
    assert "直し方: 13:30 のように、24時間制の「時:分」で書いてください" in ja
    assert "lessons/schedule/courses/date-feb-30.yml:7: エラー [項目 'sessions[0].date']: 「2026-02-30」: 2026年2月は 28 日までです。" in ja
    assert "字下げと区切りはスペースだけです" in ja and "エラー 13 件" in ja


# --- as the site shows it ----------------------------------------------------------------------
def test_unquoted_times_are_published_as_written(tmp_path):
    root = copy_repo(tmp_path / "repo")
    sample = root / "lessons/schedule/courses/hajimete-sumaho.yml"
    sample.write_text(sample.read_text(encoding="utf-8").replace('start: "10:00"', "start: 10:00")
                      .replace('end: "11:30"', "end: 11:30"), encoding="utf-8")
    (root / "lessons/schedule/courses/asa-no-sumaho.yml").write_text(textwrap.dedent("""\
        id: asa-no-sumaho
        title: {ja: 朝のスマホ教室, en: Morning smartphone class}
        capacity: 8
        sessions:
          - id: asa-no-sumaho-2026-11
            venue: kanda-sakura-kan
            room: 会議室A
            date: 2026/11/28
            start: 9:30
            end: 11:00
          - id: asa-no-sumaho-2026-12
            venue: kanda-sakura-kan
            room: 会議室A
            weekly: {weekday: wed, start_date: 2026-12-02, count: 3}
            start: 10:00
            end: 11:30
            exceptions:
              - {date: 2026-12-09, start: 9:30, end: 11:00}
        """), encoding="utf-8")
    result = sitegen(root, "build", "--quiet", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    ics = (root / "site/calendar/all.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=Asia/Tokyo:20261128T093000" in ics
    assert "DTSTART;TZID=Asia/Tokyo:20261202T100000" in ics
    assert "RECURRENCE-ID;TZID=Asia/Tokyo:20261209T100000" in ics and "DTSTART;TZID=Asia/Tokyo:20261209T093000" in ics
    assert "DTSTART;TZID=Asia/Tokyo:20261020T100000" in ics  # the sample course, now unquoted
    assert "T001000" not in ics and "T000940" not in ics  # 600 or 570 seconds: the old misreading
    page = (root / "site/classes/asa-no-sumaho/index.html").read_text(encoding="utf-8")
    assert "09:30–11:00" in page and "10:00–11:30" in page
    listing = (root / "site/classes/index.html").read_text(encoding="utf-8")
    assert "09:30–11:00" in listing and "10:00–11:30" in listing
