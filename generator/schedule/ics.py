"""iCalendar feeds (RFC 5545) with the icalendar package: calendar/all.ics, one per course,
one per venue (calendar/venues/<id>.ics) and an "add to calendar" file per session
(calendar/sessions/<id>.ics).

One session is one event: a weekly rule is an RRULE (skipped weeks are EXDATEs at exactly
the start time, as clients match them to the second), and each changed date is an override
with the same UID and a RECURRENCE-ID, so a subscriber's phone shows a cancellation as
STATUS:CANCELLED instead of the class silently vanishing. UIDs come from session ids and
the site's configured host, so they never change between builds; SEQUENCE, DTSTAMP and
LAST-MODIFIED come from the publication record (ledger.py), so an unchanged session gives
identical bytes in every build.
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from icalendar import Calendar, Event, Timezone, vDuration, vRecur

from ..context import BuildContext
from ..models.schedule import Course, Session, Venue
from .ledger import Record
from .occurrences import TOKYO, at, expand

TZID = "Asia/Tokyo"
REFRESH = dt.timedelta(hours=12)
BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}


def uid(ctx: BuildContext, session: Session) -> str:
    # The configured site host, not --site-url: a preview build must not mint new events.
    host = urlparse(ctx.config.site_url).hostname or "localhost"
    return f"session-{session.id}@{host}"


def _stamp(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.timezone.utc)


def _location(venue: Venue, room: str | None) -> str:
    parts = [venue.name.ja] + ([room] if room else []) + [venue.address.ja]
    return "、".join(parts)


def _description(course: Course, occ_note, status: str, url: str) -> str:
    lines = []
    if status == "中止":
        lines.append("【中止】この回は行いません。")
    if occ_note:
        lines.append(occ_note.ja)
    if course.description:
        lines.append(course.description.ja)
    lines.append(f"状況: {status}")
    if course.apply:
        lines.append(f"申し込み: {course.apply.ja}")
    lines.append(f"料金: {course.fee}円" if course.fee else "料金: 無料")
    lines.append(url)
    return "\n".join(lines)


def _summary(course: Course, status: str) -> str:
    return ("【中止】" if status == "中止" else "") + course.title.ja


def session_events(ctx: BuildContext, course: Course, session: Session, venue: Venue,
                   record: Record) -> list[Event]:
    """The master event of a session and one override per changed date."""
    url = ctx.url(f"classes/{course.id}/")
    common = {"uid": uid(ctx, session), "sequence": record.sequence, "dtstamp": _stamp(record.changed),
              "created": _stamp(record.first), "last-modified": _stamp(record.changed), "url": url}
    first_day = session.date or session.weekly.start_date  # type: ignore[union-attr]
    master = _event(common, course, venue, at(first_day, session.start), at(first_day, session.end),
                    session.room, session.status, session.note, url)
    if session.weekly:
        rule = session.weekly
        recur = {"freq": "weekly", "byday": BYDAY[rule.weekday]}
        if rule.count:
            recur["count"] = rule.count
        else:  # UNTIL must be in UTC when DTSTART has a TZID (RFC 5545 3.3.10)
            recur["until"] = at(rule.until, session.start).astimezone(dt.timezone.utc)  # type: ignore[arg-type]
        master.add("rrule", vRecur(recur))
        for day in sorted(rule.skip):
            master.add("exdate", at(day, session.start))
    events = [master]
    for occ in expand(course, session, venue):
        if occ.changed and session.weekly:
            override = _event(common, course, venue, occ.start, occ.end, occ.room, occ.status, occ.note, url)
            override.add("recurrence-id", at(occ.original, session.start))
            events.append(override)
    return events


def _event(common: dict, course: Course, venue: Venue, start: dt.datetime, end: dt.datetime, room: str | None,
           status: str, note, url: str) -> Event:
    ev = Event()
    ev.add("uid", common["uid"])
    ev.add("dtstamp", common["dtstamp"])
    ev.add("created", common["created"])
    ev.add("last-modified", common["last-modified"])
    ev.add("sequence", common["sequence"])
    ev.add("dtstart", start)
    ev.add("dtend", end)
    ev.add("summary", _summary(course, status))
    ev.add("description", _description(course, note, status, url))
    ev.add("location", _location(venue, room))
    if venue.lat is not None and venue.lon is not None:
        ev.add("geo", (venue.lat, venue.lon))
    ev.add("url", url)
    ev.add("status", "CANCELLED" if status == "中止" else "CONFIRMED")
    ev.add("transp", "OPAQUE")
    ev.add("categories", ["スマホ相談会" if course.kind == "consultation" else "スマホ教室"])
    return ev


def calendar(ctx: BuildContext, name: str, description: str, events: list[Event], path: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Chiyoda City//Smartphone classes//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", description)
    cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", TZID)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    cal.add("source", ctx.url(path), parameters={"VALUE": "URI"})
    cal.add("url", ctx.url(path))
    # VTIMEZONE first: some clients read the file top to bottom and need TZID defined before use.
    cal.add_component(_tokyo())
    for ev in events:
        cal.add_component(ev)
    return cal


_TOKYO: Timezone | None = None


def _tokyo() -> Timezone:
    # Japan has had no daylight saving since 1951: one STANDARD component covers every date.
    global _TOKYO
    if _TOKYO is None:
        _TOKYO = Timezone.from_tzinfo(TOKYO, first_date=dt.date(2000, 1, 1), last_date=dt.date(2100, 1, 1))
    return _TOKYO


def write_calendars(ctx: BuildContext, courses: list[Course], venues: dict[str, Venue],
                    records: dict[str, Record]) -> dict[str, str]:
    """Write every feed into ctx.static/calendar/; return site path by key (all, course id, …)."""
    per_session = {s.id: session_events(ctx, c, s, venues[s.venue], records[s.id]) for c in courses for s in c.sessions}
    out: dict[str, str] = {}

    def write(key: str, path: str, name: str, description: str, events: list[Event]) -> None:
        target = ctx.static / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(calendar(ctx, name, description, events, path).to_ical())
        out[key] = path

    site = ctx.config.site_name
    write("all", "calendar/all.ics", f"{site}：教室・相談会", "区のスマホ教室とスマホ相談会の日程",
          [e for evs in per_session.values() for e in evs])
    for c in courses:
        write(f"course:{c.id}", f"calendar/{c.id}.ics", c.title.ja, f"{c.title.ja}の日程",
              [e for s in c.sessions for e in per_session[s.id]])
        for s in c.sessions:
            write(f"session:{s.id}", f"calendar/sessions/{s.id}.ics", c.title.ja, f"{c.title.ja}の日程", per_session[s.id])
    for v in venues.values():
        evs = [e for c in courses for s in c.sessions if s.venue == v.id for e in per_session[s.id]]
        write(f"venue:{v.id}", f"calendar/venues/{v.id}.ics", f"{v.name.ja}の教室・相談会", f"{v.name.ja}で行う教室・相談会",
              evs)
    return out
