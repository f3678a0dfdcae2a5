"""The schedule's feeds and open data, as calendar apps and re-users read them."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import recurring_ical_events
from icalendar import Calendar

from generator.config import load_config
from generator.content import load_content
from generator.context import BuildContext
from generator.schedule import derive as schedule
from generator.schedule.events_csv import COLUMNS

TODAY = dt.date(2026, 11, 20)
TOKYO = dt.timezone(dt.timedelta(hours=9))


def derive(root: Path, work: Path, today: dt.date = TODAY) -> Path:
    """Run the schedule's derive step (and save the publication record) as a build does."""
    config = load_config(root)
    work.mkdir(parents=True)
    ctx = BuildContext(root=root, config=config, site_url=config.url(), work=work, cache=root / ".cache",
                       today=today, progress=False)
    ctx.static.mkdir()
    schedule.save_ledger(ctx, schedule.derive(load_content(root), ctx))
    return ctx.static


def feeds(static: Path) -> list[Path]:
    return sorted((static / "calendar").rglob("*.ics"))


def parse(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_every_feed_parses_and_reserialises_equal(repo, tmp_path):
    static = derive(repo, tmp_path / "w")
    paths = feeds(static)
    names = {p.relative_to(static).as_posix() for p in paths}
    assert {"calendar/all.ics", "calendar/hajimete-sumaho.ics", "calendar/sumaho-soudankai.ics",
            "calendar/venues/kudan-community-hall.ics", "calendar/venues/kanda-sakura-kan.ics",
            "calendar/sessions/hajimete-sumaho-2026-autumn.ics"} <= names
    for path in paths:
        cal = parse(path)
        again = Calendar.from_ical(cal.to_ical())
        assert again == cal, path
        assert again.to_ical() == path.read_bytes(), path
        assert cal["METHOD"] == "PUBLISH" and cal["VERSION"] == "2.0"
        assert cal["NAME"] and cal["X-WR-CALNAME"] == cal["NAME"]
        assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
        kinds = [c.name for c in cal.subcomponents]
        assert kinds[0] == "VTIMEZONE" and "VTIMEZONE" not in kinds[1:], path  # defined before use
        assert cal.subcomponents[0]["TZID"] == "Asia/Tokyo"
        for ev in cal.walk("VEVENT"):
            for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "LOCATION", "GEO", "URL", "SUMMARY"):
                assert prop in ev, (path, prop)
            assert str(ev["DTSTART"].params["TZID"]) == "Asia/Tokyo"


def test_expanding_the_course_gives_exactly_the_scheduled_dates(repo, tmp_path):
    static = derive(repo, tmp_path / "w")
    cal = parse(static / "calendar" / "hajimete-sumaho.ics")
    events = recurring_ical_events.of(cal).between(dt.date(2026, 1, 1), dt.date(2028, 1, 1))
    held = sorted(e["DTSTART"].dt for e in events if str(e.get("STATUS", "")) != "CANCELLED")
    want = [dt.datetime(2026, m, d, 10, 0, tzinfo=TOKYO) for m, d in
            [(10, 20), (10, 27), (11, 10), (11, 17), (12, 1), (12, 10), (12, 15)]]
    assert held == want  # 11-03 skipped (holiday), 11-24 cancelled, 12-08 moved to 12-10
    cancelled = [e for e in events if str(e.get("STATUS", "")) == "CANCELLED"]
    assert [e["DTSTART"].dt.date() for e in cancelled] == [dt.date(2026, 11, 24)]
    assert cancelled[0]["SUMMARY"].startswith("【中止】")
    raw = (static / "calendar" / "hajimete-sumaho.ics").read_bytes().decode("utf-8")
    # An EXDATE must match the start time to the second, or clients keep the occurrence.
    assert "EXDATE;TZID=Asia/Tokyo:20261103T100000\r\n" in raw
    assert "RECURRENCE-ID;TZID=Asia/Tokyo:20261208T100000\r\n" in raw


def test_all_feed_holds_every_session_and_venue_feed_only_its_own(repo, tmp_path):
    static = derive(repo, tmp_path / "w")
    all_ = recurring_ical_events.of(parse(static / "calendar" / "all.ics")).between(dt.date(2026, 1, 1), dt.date(2028, 1, 1))
    assert len([e for e in all_ if str(e.get("STATUS")) != "CANCELLED"]) == 7 + 4
    kanda = recurring_ical_events.of(parse(static / "calendar/venues/kanda-sakura-kan.ics")).between(
        dt.date(2026, 1, 1), dt.date(2028, 1, 1))
    assert sorted(e["DTSTART"].dt.date().isoformat() for e in kanda) == [
        "2026-10-17", "2026-11-21", "2026-12-19", "2027-01-16"]


def test_uids_and_bytes_are_identical_across_builds(repo, tmp_path):
    first = {p.name: p.read_bytes() for p in feeds(derive(repo, tmp_path / "a"))}
    second = {p.name: p.read_bytes() for p in feeds(derive(repo, tmp_path / "b", today=TODAY + dt.timedelta(days=3)))}
    assert first == second  # nothing changed: same UIDs, SEQUENCE and DTSTAMP, whatever the build date


def _sequences(static: Path) -> dict[tuple[str, str], int]:
    cal = parse(static / "calendar" / "all.ics")
    return {(str(e["UID"]), str(e.get("RECURRENCE-ID").to_ical() if e.get("RECURRENCE-ID") else "")): int(e["SEQUENCE"])
            for e in cal.walk("VEVENT")}


def test_changing_one_sessions_time_raises_its_sequence_and_nothing_elses(repo, tmp_path):
    before = _sequences(derive(repo, tmp_path / "a"))
    course = repo / "lessons/schedule/courses/sumaho-soudankai.yml"
    text = course.read_text(encoding="utf-8")
    block = text.index("id: soudankai-2026-12")
    text = text[:block] + text[block:].replace('start: "13:30"', 'start: "14:00"', 1)
    course.write_text(text, encoding="utf-8")
    after = _sequences(derive(repo, tmp_path / "b", today=TODAY + dt.timedelta(days=1)))
    assert before.keys() == after.keys()
    changed = {k for k in before if after[k] != before[k]}
    assert changed == {(k, r) for k, r in before if k.startswith("session-soudankai-2026-12@")}
    assert all(after[k] == before[k] + 1 for k in changed)
    # The record survives a fresh clone: it is a file in the repo, and a rebuild keeps the value.
    record = json.loads((repo / "lessons/schedule/published.json").read_text(encoding="utf-8"))
    assert record["sessions"]["soudankai-2026-12"]["sequence"] == before[next(iter(changed))] + 1
    assert _sequences(derive(repo, tmp_path / "c", today=TODAY + dt.timedelta(days=5))) == after


def test_lines_are_crlf_and_folded_at_75_octets_without_splitting_characters(repo, tmp_path):
    static = derive(repo, tmp_path / "w")
    for path in feeds(static):
        raw = path.read_bytes()
        assert raw.endswith(b"\r\n")
        assert b"\n" not in raw.replace(b"\r\n", b"")  # no bare LF
        lines = raw.split(b"\r\n")[:-1]
        assert any(line.startswith(b" ") for line in lines)  # long Japanese text was folded
        for line in lines:
            assert len(line) <= 75, (path, line)
            line.decode("utf-8")  # raises if a fold split a multi-byte character


def test_events_csv_has_the_32_columns_in_order_and_one_row_per_occurrence(repo, tmp_path):
    static = derive(repo, tmp_path / "w")
    raw = (static / "data" / "events.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8, not Shift_JIS
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS and len(rows[0]) == 32
    assert rows[0][0] == "都道府県コード又は市区町村コード" and rows[0][-1] == "備考"
    assert all(len(r) == 32 for r in rows)
    records = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert len(records) == 12  # 8 weekly dates (one of them cancelled) + 4 consultations
    assert [r["NO"] for r in records] == [str(i) for i in range(1, 13)]
    assert {r["都道府県コード又は市区町村コード"] for r in records} == {"131016"}
    cancelled = [r for r in records if "中止" in r["開始日時特記事項"]]
    assert [r["開始日"] for r in cancelled] == ["2026-11-24"]
    moved = next(r for r in records if r["開始日"] == "2026-12-10")
    assert "2026-12-08" in moved["開始日時特記事項"] and moved["方書"] == "第2学習室"
    first = records[0]
    assert first["イベント名_カナ"] == "スマホソウダンカイ" and first["開始時間"] == "13:30"
    assert re.fullmatch(r"\d+\.\d+", first["緯度"]) and first["料金(基本)"] == "無料"


def test_atom_feeds_list_new_and_changed_classes_and_new_items(repo, tmp_path):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    static = derive(repo, tmp_path / "a")
    course = repo / "lessons/schedule/courses/hajimete-sumaho.yml"
    course.write_text(course.read_text(encoding="utf-8").replace('end: "11:30"', 'end: "11:45"'), encoding="utf-8")
    static = derive(repo, tmp_path / "b", today=dt.date(2026, 11, 25))
    classes = ET.parse(static / "feeds" / "classes.atom").getroot()
    entries = classes.findall("a:entry", ns)
    assert len(entries) == 5
    top = entries[0]  # newest first
    assert top.findtext("a:title", namespaces=ns).startswith("【変更】はじめてのスマホ教室")
    assert top.findtext("a:updated", namespaces=ns).startswith("2026-11-25")
    assert classes.findtext("a:updated", namespaces=ns).startswith("2026-11-25")
    ids = [e.findtext("a:id", namespaces=ns) for e in entries]
    assert len(set(ids)) == 5 and all(i.startswith("tag:") for i in ids)
    archive = ET.parse(static / "feeds" / "archive.atom").getroot()
    links = [e.find("a:link", ns).get("href") for e in archive.findall("a:entry", ns)]
    assert links and all("/items/" in href for href in links)


def test_a_site_without_classes_still_publishes_valid_empty_feeds(repo, tmp_path):
    for path in (repo / "lessons/schedule/courses").glob("*.yml"):
        path.unlink()
    static = derive(repo, tmp_path / "w")
    cal = parse(static / "calendar" / "all.ics")
    assert cal["METHOD"] == "PUBLISH" and not cal.walk("VEVENT")
    rows = list(csv.reader(io.StringIO((static / "data/events.csv").read_text(encoding="utf-8-sig"))))
    assert rows == [list(COLUMNS)]
    ET.parse(static / "feeds" / "classes.atom")


def test_a_whole_session_called_off_stays_in_the_feed_as_cancelled(repo, tmp_path):
    course = repo / "lessons/schedule/courses/sumaho-soudankai.yml"
    text = course.read_text(encoding="utf-8")
    block = text.index("id: soudankai-2026-12")
    text = text[:block] + text[block:].replace("status: 満員", "status: 中止", 1)
    course.write_text(text, encoding="utf-8")
    static = derive(repo, tmp_path / "w")
    cal = parse(static / "calendar" / "sessions" / "soudankai-2026-12.ics")
    (event,) = cal.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED" and event["SUMMARY"].startswith("【中止】")
    rows = list(csv.DictReader(io.StringIO((static / "data/events.csv").read_text(encoding="utf-8-sig"))))
    assert next(r for r in rows if r["開始日"] == "2026-12-19")["開始日時特記事項"].startswith("中止")
