"""The schedule's derive step (occurrences, every iCalendar feed, events.csv, Atom) for a
generated ward-wide schedule, against the bare icalendar package serialising one plain
event per occurrence into one calendar, measured in the same run.

    .venv/bin/python bench/bench_schedule.py [--courses 100]

Each course has a weekly session over 20 weeks with one cancelled and one moved date, and
four one-off consultations; the venues are shared. The ratio says what our feeds cost on
top of the library's own serialisation (we write every event into the course, venue,
session and all-in-one calendars, so about 4x the events).
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.config import load_config  # noqa: E402
from generator.content import load_content  # noqa: E402
from generator.context import BuildContext  # noqa: E402
from generator.schedule import derive as schedule  # noqa: E402
from generator.schedule.occurrences import all_occurrences  # noqa: E402


def make_schedule(root: Path, courses: int) -> None:
    for name in ("lessons", "mkdocs.yml"):
        src = REPO / name
        shutil.copytree(src, root / name) if src.is_dir() else shutil.copy2(src, root / name)
    folder = root / "lessons" / "schedule"
    (folder / "published.json").unlink(missing_ok=True)
    venues = [{"id": f"venue-{v}", "name": {"ja": f"会場{v}", "en": f"Venue {v}"},
               "address": {"ja": f"東京都千代田区{v}丁目", "en": f"{v} Chome, Chiyoda"}, "lat": 35.69, "lon": 139.75,
               "rooms": [f"第{r}室" for r in range(1, 11)]} for v in range(20)]
    (folder / "venues.yml").write_text(yaml.safe_dump(venues, allow_unicode=True), encoding="utf-8")
    shutil.rmtree(folder / "courses")
    (folder / "courses").mkdir()
    first = dt.date(2027, 1, 4)  # a Monday
    for c in range(courses):
        venue, room = f"venue-{c % 20}", f"第{c // 20 % 10 + 1}室"
        weekday = c // 200 % 5
        start = first + dt.timedelta(days=weekday)
        wd = ["mon", "tue", "wed", "thu", "fri"][weekday]
        sessions = [{"id": f"c{c}-weekly", "venue": venue, "room": room,
                     "weekly": {"weekday": wd, "start_date": start.isoformat(), "count": 20},
                     "start": "10:00", "end": "11:30",
                     "exceptions": [{"date": (start + dt.timedelta(weeks=3)).isoformat(), "cancelled": True},
                                    {"date": (start + dt.timedelta(weeks=5)).isoformat(),
                                     "moved_to": (start + dt.timedelta(weeks=5, days=1)).isoformat()}]}]
        sessions += [{"id": f"c{c}-once-{k}", "venue": venue, "room": room,
                      "date": (start + dt.timedelta(weeks=k * 4)).isoformat(), "start": "14:00", "end": "15:00"}
                     for k in range(4)]
        course = {"id": f"course-{c}", "title": {"ja": f"スマホ教室 その{c}", "en": f"Smartphone class {c}"},
                  "reading": "すまほきょうしつ", "capacity": 12, "sessions": sessions}
        (folder / "courses" / f"course-{c}.yml").write_text(yaml.safe_dump(course, allow_unicode=True), encoding="utf-8")


def ours(root: Path, work: Path) -> float:
    content = load_content(root)
    config = load_config(root)
    work.mkdir()
    ctx = BuildContext(root=root, config=config, site_url=config.url(), work=work, cache=root / ".cache",
                       today=dt.date(2026, 12, 1), progress=False)
    ctx.static.mkdir()
    started = time.perf_counter()
    schedule.derive(content, ctx)
    return time.perf_counter() - started


def baseline(root: Path, out: Path) -> tuple[float, int]:
    from icalendar import Calendar, Event

    content = load_content(root)
    occs = all_occurrences(content.courses, content.venues)
    started = time.perf_counter()
    cal = Calendar()
    cal.add("prodid", "-//bench//")
    cal.add("version", "2.0")
    for i, o in enumerate(occs):
        ev = Event()
        ev.add("uid", f"{i}@bench")
        ev.add("dtstamp", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
        ev.add("dtstart", o.start)
        ev.add("dtend", o.end)
        ev.add("summary", o.course.title.ja)
        ev.add("location", o.venue.name.ja)
        cal.add_component(ev)
    out.write_bytes(cal.to_ical())
    return time.perf_counter() - started, len(occs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--courses", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        make_schedule(root, args.courses)
        base, n = baseline(root, Path(tmp) / "plain.ics")
        mine = ours(root, Path(tmp) / "work")
        files = sum(1 for _ in (Path(tmp) / "work" / "static").rglob("*.*"))
        print(f"{args.courses} courses, {n} occurrences, {files} files written")
        print(f"baseline (one plain calendar, one event per occurrence): {base:.2f} s")
        print(f"schedule derive (all feeds, events.csv, Atom):          {mine:.2f} s")
        print(f"ratio: {mine / base:.1f}x")


if __name__ == "__main__":
    main()
