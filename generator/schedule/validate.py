"""Rules that need a course's dates, or more than one course, to check.

A single model sees one session; these rules expand the sessions first: an exception for
a date the rule never produces, a change whose end falls before its start, a room the venue
does not have, and two classes booked into the same room at the same time. Unknown venues
and lessons are checked while loading (content.py); the rest of a session's shape is in
the model.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..errors import ContentErrors, Problem, Text
from ..models.schedule import Course, Venue
from ..yamlfile import LineMap, load_yaml
from .occurrences import Occurrence, expand, rule_dates

# Addresses under classes/ (and calendar/) that are not a course's.
RESERVED = {"venues", "past", "index", "all", "sessions"}
MONTH_RE = re.compile(r"^\d{4}-\d{2}$")


def check_schedule(root: Path, venues: list[Venue], courses: list[Course]) -> list[Problem]:
    by_id = {v.id: v for v in venues}
    problems: list[Problem] = []
    placed: list[tuple[Occurrence, str, str, int | None]] = []
    for course in courses:
        rel = f"lessons/schedule/courses/{course.id}.yml"
        lines = _lines(root, rel)
        if course.id in RESERVED or MONTH_RE.match(course.id):
            problems.append(Problem(
                rel, Text(f"ID「{course.id}」は日程ページの住所として予約されています。",
                          f"the id '{course.id}' is reserved for a schedule page address."),
                Text("別の ID（例: sumaho-kiso）にして、ファイル名も合わせてください。",
                     "choose another id (e.g. sumaho-basics) and rename the file to match."),
                field="id", line=lines.get(("id",))))
        for j, session in enumerate(course.sessions):
            venue = by_id.get(session.venue)
            if venue is None:  # reported by content.py
                continue
            problems += _check_session(course, j, venue, rel, lines)
            for occ in expand(course, session, venue):
                if not occ.cancelled:
                    placed.append((occ, rel, f"sessions[{j}].start", lines.get(("sessions", j, "start"))))
    problems += _check_clashes(placed)
    return problems


def _lines(root: Path, rel: str) -> LineMap:
    try:
        return load_yaml(root / rel, rel)[1]
    except (ContentErrors, OSError):
        return {}


def _check_session(course: Course, j: int, venue: Venue, rel: str, lines: LineMap) -> list[Problem]:
    session = course.sessions[j]
    problems: list[Problem] = []
    produced = rule_dates(session)
    shown = ", ".join(d.isoformat() for d in produced[:12]) + (" …" if len(produced) > 12 else "")
    if session.room and venue.rooms and session.room not in venue.rooms:
        problems.append(_no_room(session.room, venue, rel, f"sessions[{j}].room", lines.get(("sessions", j, "room"))))
    for k, day in enumerate(session.weekly.skip if session.weekly else []):
        if day not in produced:
            problems.append(Problem(
                rel, Text(f"休みの日 {day} は、この回の日程にありません。", f"the skipped date {day} is not one of this session's dates."),
                Text(f"日程の日付から選んでください: {shown}", f"use one of the session's dates: {shown}"),
                field=f"sessions[{j}].weekly.skip[{k}]", line=lines.get(("sessions", j, "weekly", "skip", k))))
    seen: set[dt.date] = set()
    changed = {e.date for e in session.exceptions if e.cancelled or e.moved_to}
    for k, exc in enumerate(session.exceptions):
        where = ("sessions", j, "exceptions", k)
        name = f"sessions[{j}].exceptions[{k}]"
        if exc.date not in produced:
            problems.append(Problem(
                rel, Text(f"例外の日付 {exc.date} は、この回の日程にありません。",
                          f"the exception's date {exc.date} is not a date this session's rule produces."),
                Text(f"もとの日程の日付を書いてください: {shown}（移す先の日は moved_to に書きます）",
                     f"use the original date, one of: {shown} (the new date goes in moved_to)"),
                field=f"{name}.date", line=lines.get(where + ("date",))))
        elif exc.date in seen:
            problems.append(Problem(
                rel, Text(f"{exc.date} の例外が二つあります。", f"there are two exceptions for {exc.date}."),
                Text("一つにまとめてください。", "merge them into one."), field=f"{name}.date", line=lines.get(where + ("date",))))
        seen.add(exc.date)
        if exc.moved_to and exc.moved_to != exc.date and exc.moved_to in produced and exc.moved_to not in changed:
            problems.append(Problem(
                rel, Text(f"{exc.date} の回を {exc.moved_to} に移すと、その日にもとからある回と重なります。",
                          f"moving {exc.date} to {exc.moved_to} lands on a date the session already has."),
                Text("別の日に移すか、もとからある回を例外で移すか中止にしてください。",
                     "move it to another day, or move or cancel the class already on that date."),
                field=f"{name}.moved_to", line=lines.get(where + ("moved_to",))))
        start, end = exc.start or session.start, exc.end or session.end
        if end <= start:
            problems.append(Problem(
                rel, Text(f"{exc.date} の変更後、終わり（{end:%H:%M}）が始まり（{start:%H:%M}）より前です。",
                          f"after the change on {exc.date} the end ({end:%H:%M}) is not after the start ({start:%H:%M})."),
                Text("start と end の時刻を確かめてください。", "check the start and end times."),
                field=f"{name}.{'end' if exc.end else 'start'}", line=lines.get(where + ("end" if exc.end else "start",))))
        if exc.room and venue.rooms and exc.room not in venue.rooms:
            problems.append(_no_room(exc.room, venue, rel, f"{name}.room", lines.get(where + ("room",))))
    return problems


def _no_room(room: str, venue: Venue, rel: str, field: str, line: int | None) -> Problem:
    rooms = ", ".join(venue.rooms)
    return Problem(rel, Text(f"会場「{venue.name.ja}」に部屋「{room}」はありません。",
                             f"the venue '{venue.id}' has no room '{room}'."),
                   Text(f"次から選ぶか、venues.yml の rooms に加えてください: {rooms}",
                        f"use one of its rooms or add it to rooms in venues.yml: {rooms}"),
                   field=field, line=line)


def _check_clashes(placed: list[tuple[Occurrence, str, str, int | None]]) -> list[Problem]:
    """Two classes in one room at overlapping times: one of them has the wrong room or time.

    Compared within one venue and room only (a session without a room is in every room of
    its venue), by start time, so that hundreds of sessions at the same hour in different
    places do not make a quadratic walk."""
    problems: list[Problem] = []
    reported: set[tuple[str, str]] = set()
    by_venue: dict[str, list[tuple[Occurrence, str, str, int | None]]] = {}
    for entry in sorted(placed, key=lambda p: p[0].start):
        by_venue.setdefault(entry[0].venue.id, []).append(entry)
    for entries in by_venue.values():
        rooms = sorted({e[0].room for e in entries if e[0].room is not None}) or [None]
        for room in rooms:
            group = [e for e in entries if e[0].room is None or e[0].room == room]
            for i, (a, rel_a, _, _) in enumerate(group):
                for k in range(i + 1, len(group)):
                    b, rel_b, field_b, line_b = group[k]
                    if b.start >= a.end:
                        break
                    pair = (a.session.id, b.session.id)
                    if a.session.id == b.session.id or pair in reported:
                        continue
                    reported.add(pair)
                    problems.append(_clash(a, rel_a, b, rel_b, field_b, line_b))
    return problems


def _clash(a: Occurrence, rel_a: str, b: Occurrence, rel_b: str, field_b: str, line_b: int | None) -> Problem:
    room = b.room or a.room or a.venue.name.ja
    when = f"{b.start:%Y-%m-%d %H:%M}"
    return Problem(
        rel_b, Text(f"回「{b.session.id}」（{when}）が、同じ部屋（{room}）で回「{a.session.id}」（{rel_a}）と時間が重なっています。",
                    f"session '{b.session.id}' ({when}) overlaps session '{a.session.id}' ({rel_a}) "
                    f"in the same room ({room})."),
        Text("時刻か部屋（room）を変えるか、その日を例外（exceptions）で移してください。",
             "change the time or the room, or move that date with an exception."),
        field=field_b, line=line_b)
