"""Which classes happen when: sessions expanded into dated occurrences (Asia/Tokyo).

Pages, feeds, JSON-LD and open data all read these occurrences, so these tests state what a
resident sees on every one of them: a class on each week of its rule, a cancelled class still
listed as cancelled, a moved class once, on its new date, in the order of the dates. Courses
are read from small YAML strings by the same loader and model as the build; nothing is built.
What `sitegen check` refuses (bad dates and times, rules over two years, exceptions on dates
the rule does not give) is in test_schedule_validate.py and test_hostile_schedule.py.
"""
from __future__ import annotations

import datetime as dt
import textwrap

from generator.models.schedule import Course, Venue
from generator.render.lessons import upcoming_courses
from generator.schedule.derive import Schedule
from generator.schedule.ledger import Ledger
from generator.schedule.occurrences import Occurrence, all_occurrences
from generator.yamlfile import parse_yaml

VENUE = Venue(id="kudan-community-hall", name={"ja": "九段生涯学習館", "en": "Kudan Lifelong Learning Hall"},
              address={"ja": "東京都千代田区九段南1-5-10"}, rooms=["第1学習室", "第2学習室"])


def course(sessions: str, id: str = "test-kyoshitsu", capacity: int = 12) -> Course:
    """A course teaching dengen-to-botan with the sessions given (YAML list entries)."""
    text = (f"id: {id}\ntitle: {{ja: テスト教室, en: Test class}}\nlessons: [dengen-to-botan]\n"
            f"capacity: {capacity}\nsessions:\n" + textwrap.indent(textwrap.dedent(sessions), "  "))
    data, _ = parse_yaml(text, f"lessons/schedule/courses/{id}.yml")
    return Course.model_validate(data)


def occurrences(*courses: Course) -> list[Occurrence]:
    return all_occurrences(list(courses), [VENUE])


def days(occs: list[Occurrence]) -> list[str]:
    return [o.date.isoformat() for o in occs]


def weekly(rule: str, exceptions: str = "", id: str = "t-weekly", start: str = "10:00", end: str = "11:30") -> str:
    """One weekly session on Wednesdays from 2027-02-03 (a Wednesday) in 第1学習室."""
    text = f"""\
- id: {id}
  venue: kudan-community-hall
  room: 第1学習室
  weekly: {{weekday: wed, start_date: 2027-02-03, {rule}}}
  start: {start}
  end: {end}
"""
    if exceptions:
        text += "  exceptions:\n" + textwrap.indent(textwrap.dedent(exceptions), "    ")
    return text


def one_off(id: str, date: str, start: str = "10:00", end: str = "11:30", more: str = "") -> str:
    return f"- id: {id}\n  venue: kudan-community-hall\n  date: {date}\n  start: {start}\n  end: {end}\n{more}"


# --- the rule's dates -----------------------------------------------------------------------------
def test_a_weekly_rule_gives_every_week_from_the_first_day_to_the_last_included():
    assert days(occurrences(course(weekly("until: 2027-02-24")))) == [
        "2027-02-03", "2027-02-10", "2027-02-17", "2027-02-24"]
    # A last day that is not a class day ends the rule at the class day before it.
    assert days(occurrences(course(weekly("until: 2027-03-01")))) == [
        "2027-02-03", "2027-02-10", "2027-02-17", "2027-02-24"]
    assert days(occurrences(course(weekly("until: 2027-02-03")))) == ["2027-02-03"]


def test_count_is_the_number_of_weeks_of_the_rule_skipped_ones_included():
    # As a calendar app reads the feed's RRULE COUNT with its EXDATEs: the pages and the
    # subscribed calendar show the same days.
    assert days(occurrences(course(weekly("count: 4")))) == ["2027-02-03", "2027-02-10", "2027-02-17", "2027-02-24"]
    assert days(occurrences(course(weekly("count: 4, skip: [2027-02-10]")))) == [
        "2027-02-03", "2027-02-17", "2027-02-24"]


def test_a_skipped_week_is_left_out_while_a_cancelled_one_stays_listed():
    occs = occurrences(course(weekly("count: 4, skip: [2027-02-10]", """\
        - date: 2027-02-17
          cancelled: true
        """)))
    assert days(occs) == ["2027-02-03", "2027-02-17", "2027-02-24"]
    assert [o.cancelled for o in occs] == [False, True, False]


def test_a_one_off_session_is_one_class_on_its_date():
    occs = occurrences(course(one_off("t-once", "2027/03/06", "13:00", "15:00")))
    assert len(occs) == 1
    (o,) = occs
    assert o.date == dt.date(2027, 3, 6) and o.original == o.date
    assert (o.start.time(), o.end.time()) == (dt.time(13), dt.time(15))
    assert not (o.cancelled or o.moved or o.changed)
    assert o.venue == VENUE and o.room is None


def test_an_extra_class_is_a_one_off_session_listed_among_the_weekly_ones():
    # The schedule has no "extra date" field: an extra class is one more session with date:.
    occs = occurrences(course(weekly("count: 3") + one_off("t-extra", "2027-02-13", "13:00", "14:30")))
    assert [(o.date.isoformat(), o.session.id) for o in occs] == [
        ("2027-02-03", "t-weekly"), ("2027-02-10", "t-weekly"), ("2027-02-13", "t-extra"), ("2027-02-17", "t-weekly")]


# --- Tokyo time -----------------------------------------------------------------------------------
def test_times_are_tokyo_time_the_whole_year():
    # Japan has no summer time: 10:00 is 01:00 UTC in January and in July, and a rule running
    # across the dates other countries change their clocks keeps its hour and its length.
    occs = occurrences(course(one_off("t-winter", "2027-01-06") + one_off("t-summer", "2027-07-07")
                              + weekly("until: 2027-11-10", id="t-long").replace("2027-02-03", "2027-02-24")))
    assert len(occs) == 2 + 38
    for o in occs:
        assert o.start.tzinfo is not None and o.start.utcoffset() == dt.timedelta(hours=9)
        assert str(o.start.tzinfo) == "Asia/Tokyo"
        assert o.start.astimezone(dt.timezone.utc).time() == dt.time(1)
        assert o.end - o.start == dt.timedelta(minutes=90)


def test_a_class_just_after_midnight_in_tokyo_is_on_its_tokyo_date():
    (o,) = occurrences(course(one_off("t-early", "2027-03-06", "0:15", "1:00")))
    assert o.date == dt.date(2027, 3, 6)  # the day people read, although UTC is still on the 5th
    assert o.start.astimezone(dt.timezone.utc) == dt.datetime(2027, 3, 5, 15, 15, tzinfo=dt.timezone.utc)


# --- exceptions -----------------------------------------------------------------------------------
def test_a_cancelled_class_stays_listed_as_cancelled_at_its_time():
    occs = occurrences(course(weekly("count: 4", """\
        - date: 2027-02-10
          cancelled: true
          note: 会場の設備点検のため中止します。
        """)))
    assert days(occs) == ["2027-02-03", "2027-02-10", "2027-02-17", "2027-02-24"]
    cancelled = occs[1]
    assert cancelled.cancelled and cancelled.status == "中止"
    assert cancelled.start == dt.datetime(2027, 2, 10, 10, tzinfo=cancelled.start.tzinfo)
    assert cancelled.note.ja == "会場の設備点検のため中止します。"
    assert not cancelled.moved and cancelled.changed
    assert [o.status for o in occs] == ["受付中", "中止", "受付中", "受付中"]
    assert all(o.note is None for o in occs if o is not cancelled)


def test_a_moved_class_appears_once_on_its_new_date_and_time():
    occs = occurrences(course(weekly("count: 4", """\
        - date: 2027-02-10
          moved_to: 2027-02-12
          start: "13:00"
          end: "14:30"
        """)))
    assert days(occs) == ["2027-02-03", "2027-02-12", "2027-02-17", "2027-02-24"]
    moved = occs[1]
    assert moved.moved and not moved.cancelled and moved.status == "受付中"
    assert moved.original == dt.date(2027, 2, 10)  # the date the rule gave, which calendars replace
    assert (moved.start.time(), moved.end.time()) == (dt.time(13), dt.time(14, 30))
    assert moved.start.utcoffset() == dt.timedelta(hours=9)
    assert [o.moved for o in occs] == [False, True, False, False]


def test_a_moved_class_takes_its_place_in_the_order_of_dates():
    occs = occurrences(course(weekly("count: 4", """\
        - {date: 2027-02-10, moved_to: 2027-02-25}
        """)))
    assert days(occs) == ["2027-02-03", "2027-02-17", "2027-02-24", "2027-02-25"]
    assert occs[-1].original == dt.date(2027, 2, 10)


def test_moving_into_a_week_that_is_itself_moved_away_lists_each_class_once():
    occs = occurrences(course(weekly("count: 4", """\
        - {date: 2027-02-10, moved_to: 2027-02-17}
        - {date: 2027-02-17, moved_to: 2027-02-18}
        """)))
    assert days(occs) == ["2027-02-03", "2027-02-17", "2027-02-18", "2027-02-24"]
    assert [o.original.isoformat() for o in occs] == ["2027-02-03", "2027-02-10", "2027-02-17", "2027-02-24"]


def test_a_new_time_or_room_keeps_the_class_on_its_date():
    occs = occurrences(course(weekly("count: 3", """\
        - {date: 2027-02-10, start: "9:30", end: "11:00", room: 第2学習室}
        - {date: 2027-02-17, note: 今回は iPhone の方が対象です。}
        """)))
    assert days(occs) == ["2027-02-03", "2027-02-10", "2027-02-17"]
    assert [o.room for o in occs] == ["第1学習室", "第2学習室", "第1学習室"]
    assert [f"{o.start:%H:%M}–{o.end:%H:%M}" for o in occs] == ["10:00–11:30", "09:30–11:00", "10:00–11:30"]
    assert [o.changed for o in occs] == [False, True, True] and not any(o.moved for o in occs)
    assert occs[2].note.ja == "今回は iPhone の方が対象です。" and occs[2].status == "受付中"


def test_an_exception_s_note_replaces_the_session_s_note_on_that_date_only():
    text = weekly("count: 2", "- {date: 2027-02-10, note: この日は第2学習室の隣です。}\n").replace(
        "  start:", "  note: {ja: 筆記用具をお持ちください。, en: Bring a pen.}\n  start:", 1)
    first, second = occurrences(course(text))
    assert (first.note.ja, first.note.en) == ("筆記用具をお持ちください。", "Bring a pen.")
    assert second.note.ja == "この日は第2学習室の隣です。"


# --- status, capacity, order ----------------------------------------------------------------------
def test_status_and_capacity_are_the_session_s_else_the_course_s():
    text = (weekly("count: 2", id="t-full").replace("  start:", "  status: 満員\n  capacity: 0\n  start:", 1)
            + one_off("t-open", "2027-03-06"))
    occs = occurrences(course(text, capacity=12))
    assert [(o.session.id, o.status, o.capacity) for o in occs] == [
        ("t-full", "満員", 0), ("t-full", "満員", 0), ("t-open", "受付中", 12)]  # 0 places is not "unset"


def test_classes_of_every_course_are_listed_by_start_time():
    a = course(one_off("a-afternoon", "2027-02-03", "13:00", "14:00") + one_off("a-morning", "2027-02-03", "10:00", "11:00"),
               id="a-kyoshitsu")
    b = course(one_off("b-early", "2027-02-03", "9:30", "10:30") + one_off("b-morning", "2027-02-03", "10:00", "11:00")
               + one_off("b-before", "2027-02-02"), id="b-kyoshitsu")
    listed = [o.session.id for o in occurrences(b, a)]
    # Same start: by course, then session, so every build lists them alike.
    assert listed == ["b-before", "b-early", "a-morning", "b-morning", "a-afternoon"]
    assert listed == [o.session.id for o in occurrences(a, b)]


# --- upcoming, relative to the build date ---------------------------------------------------------
def upcoming(courses: list[Course], today: str) -> dict[str, str | None]:
    """What a lesson page shows: the courses teaching it that are still to come, and their next day."""
    schedule = Schedule(occurrences(*courses), Ledger(), {})
    return {u.course.id: u.next_day.isoformat() if u.next_day else None
            for u in upcoming_courses(courses, "dengen-to-botan", dt.date.fromisoformat(today), schedule)}


def test_a_class_on_the_build_date_is_still_upcoming():
    c = course(weekly("count: 3"))
    assert upcoming([c], "2027-02-10") == {"test-kyoshitsu": "2027-02-10"}
    assert upcoming([c], "2027-02-11") == {"test-kyoshitsu": "2027-02-17"}
    assert upcoming([c], "2027-02-18") == {}  # every class is past


def test_a_cancelled_class_is_never_the_next_one():
    c = course(weekly("count: 3", "- {date: 2027-02-10, cancelled: true}\n"))
    assert upcoming([c], "2027-02-04") == {"test-kyoshitsu": "2027-02-17"}
    c = course(weekly("count: 3", "- {date: 2027-02-17, cancelled: true}\n"))
    assert upcoming([c], "2027-02-11") == {}  # only a cancelled class is left


def test_a_class_moved_past_the_build_date_counts_on_its_new_date():
    c = course(weekly("count: 2", "- {date: 2027-02-10, moved_to: 2027-02-20}\n"))
    assert upcoming([c], "2027-02-15") == {"test-kyoshitsu": "2027-02-20"}
    c = course(weekly("count: 2", "- {date: 2027-02-10, moved_to: 2027-02-05}\n"))
    assert upcoming([c], "2027-02-06") == {}  # moved earlier: already past
