"""Sessions expanded into dated occurrences, in Asia/Tokyo.

Pages, feeds, JSON-LD and open data all read these, so "which classes happen when" is
answered in one place. A weekly rule yields its dates (minus skipped weeks); an exception
then cancels, moves or changes one of them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..models.common import LangText
from ..models.schedule import WEEKDAYS, Course, Exception_, Session, Venue

TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Occurrence:
    course: Course
    session: Session
    venue: Venue
    original: dt.date  # the date the rule gave (RECURRENCE-ID); equals date unless moved
    start: dt.datetime  # aware, Asia/Tokyo
    end: dt.datetime
    room: str | None
    status: str  # 受付中, 残りわずか, 満員 or 中止
    note: LangText | None
    exception: Exception_ | None = None

    @property
    def date(self) -> dt.date:
        return self.start.date()

    @property
    def cancelled(self) -> bool:
        return self.status == "中止"

    @property
    def moved(self) -> bool:
        return self.exception is not None and self.start.date() != self.original

    @property
    def changed(self) -> bool:
        """Anything differs from what the rule says (an override in the calendar)."""
        return self.exception is not None

    @property
    def capacity(self) -> int:
        return self.session.capacity if self.session.capacity is not None else self.course.capacity


def at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=TOKYO)


def rule_dates(session: Session) -> list[dt.date]:
    """The dates a session's rule produces, skipped weeks included (they are removed later)."""
    if session.date is not None:
        return [session.date]
    rule = session.weekly
    assert rule is not None
    dates: list[dt.date] = []
    day = rule.start_date
    while (rule.until is None or day <= rule.until) and (rule.count is None or len(dates) < rule.count):
        dates.append(day)
        day += dt.timedelta(days=7)
    return dates


def session_dates(session: Session) -> list[dt.date]:
    """The dates a session takes place on according to its rule, before exceptions."""
    skip = set(session.weekly.skip) if session.weekly else set()
    return [d for d in rule_dates(session) if d not in skip]


def expand(course: Course, session: Session, venue: Venue) -> list[Occurrence]:
    changes = {e.date: e for e in session.exceptions}
    out: list[Occurrence] = []
    for day in session_dates(session):
        exc = changes.get(day)
        start, end, room, status, note = session.start, session.end, session.room, session.status, session.note
        moved_to = day
        if exc is not None:
            start, end = exc.start or start, exc.end or end
            room = exc.room or room
            moved_to = exc.moved_to or day
            note = exc.note or note
            if exc.cancelled:
                status = "中止"
        out.append(Occurrence(course, session, venue, day, at(moved_to, start), at(moved_to, end), room,
                              status, note, exc))
    return out


def course_occurrences(course: Course, venues: dict[str, Venue]) -> list[Occurrence]:
    out = [o for s in course.sessions for o in expand(course, s, venues[s.venue])]
    return sorted(out, key=_order)


def all_occurrences(courses: list[Course], venues: list[Venue]) -> list[Occurrence]:
    by_id = {v.id: v for v in venues}
    return sorted((o for c in courses for o in course_occurrences(c, by_id)), key=_order)


def _order(o: Occurrence) -> tuple:
    return (o.start, o.course.id, o.session.id)


def weekday_of(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]
