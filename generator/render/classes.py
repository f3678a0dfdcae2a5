"""Class schedule pages, both languages:

classes/                 upcoming sessions (from the build date), courses, months, venues, feeds
classes/<course>/        a course with all its sessions, subscribe link, JSON-LD
classes/venues/<id>/     a venue: how to get there, accessibility, its upcoming sessions
classes/<yyyy-mm>/       a month: a list on phones, a table on wide screens and on one A4 page in
                         large type, with how to apply, whom to ask and a QR code back to it
classes/past/            sessions before the build date

Links between these pages are relative, so the site works from any folder of a plain file
server; only the webcal:// subscribe link is absolute (calendar apps need the host).
"""
from __future__ import annotations

import datetime as dt
import posixpath
from itertools import groupby

import segno
from markupsafe import Markup

from ..content import Content
from ..context import LANGS, BuildContext
from ..models.lessons import LEVEL_LABELS_EN, PHONE_LABELS
from ..models.schedule import STATUS_EN
from ..schedule.derive import Schedule
from ..schedule.jsonld import course_jsonld
from ..schedule.occurrences import Occurrence
from .docs import render_template, t, text_lang, write_page

WEEKDAYS_JA = "月火水木金土日"
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def link(lang: str, here: str, target: str) -> str:
    """Relative URL from page `here` to `target` (site paths; pages get /en/ in English, files do not)."""
    page_dir = ("en/" if lang == "en" else "") + here
    is_file = target.startswith(("calendar/", "data/", "feeds/"))
    dest = target if is_file or lang == "ja" else "en/" + target
    rel = posixpath.relpath(dest or ".", page_dir or ".")
    return rel + ("/" if target.endswith("/") and not rel.endswith("/") else "") if rel != "." else "./"


def day_text(day: dt.date, lang: str) -> str:
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS_JA[day.weekday()]}）"
    return f"{day:%a} {day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def month_text(month: str, lang: str) -> str:
    year, mon = (int(x) for x in month.split("-"))
    return f"{year}年{mon}月" if lang == "ja" else f"{MONTHS_EN[mon - 1]} {year}"


def status_text(status: str, lang: str) -> str:
    return status if lang == "ja" else STATUS_EN[status]


def occ_view(o: Occurrence, lang: str, here: str) -> dict:
    """What a page shows of one occurrence."""
    return {
        "day": day_text(o.date, lang), "time": f"{o.start:%H:%M}–{o.end:%H:%M}",
        "iso": o.start.isoformat(timespec="minutes"), "iso_end": o.end.isoformat(timespec="minutes"),
        "title": t(o.course.title, lang), "title_lang": text_lang(o.course.title, lang),
        "course_url": link(lang, here, f"classes/{o.course.id}/"),
        "venue": t(o.venue.name, lang), "venue_lang": text_lang(o.venue.name, lang),
        "venue_url": link(lang, here, f"classes/venues/{o.venue.id}/"), "room": o.room,
        "status": status_text(o.status, lang), "status_key": o.status, "cancelled": o.cancelled,
        "moved_from": day_text(o.original, lang) if o.moved else None,
        "note": t(o.note, lang) if o.note else None, "note_lang": text_lang(o.note, lang) if o.note else lang,
        "past": False, "next": False,
    }


def month_of(o: Occurrence) -> str:
    return f"{o.date:%Y-%m}"


def write(content: Content, ctx: BuildContext, schedule: Schedule) -> None:
    ctx.add_nav(30, "教室・相談会", "Classes", "classes/index.md")
    occs = schedule.occurrences
    feeds = schedule.feeds
    upcoming = [o for o in occs if o.date >= ctx.today]
    past = [o for o in occs if o.date < ctx.today]
    months = sorted({month_of(o) for o in occs})
    venues = sorted(content.venues, key=lambda v: v.id)
    titles = {lesson.slug: lesson.meta.title for lesson in content.lessons}
    for lang in LANGS:
        common = {"lang": lang, "ctx": ctx, "status_text": status_text, "month_text": month_text}
        here = "classes/"
        body = render_template(
            "classes_index.md.j2", **common, today=day_text(ctx.today, lang),
            upcoming=[occ_view(o, lang, here) for o in upcoming],
            courses=[{"c": c, "url": link(lang, here, f"classes/{c.id}/"),
                      "next": next((day_text(o.date, lang) for o in upcoming if o.course.id == c.id and not o.cancelled), None)}
                     for c in content.courses],
            months=[{"label": month_text(m, lang), "url": link(lang, here, f"classes/{m}/")} for m in months],
            venues=[{"v": v, "url": link(lang, here, f"classes/venues/{v.id}/")} for v in venues],
            past_url=link(lang, here, "classes/past/"), past_count=len(past),
            ics=link(lang, here, "calendar/all.ics"), webcal=_webcal(ctx, "calendar/all.ics"),
            atom=link(lang, here, "feeds/classes.atom"), csv=link(lang, here, "data/events.csv"))
        write_page(ctx, lang, "classes/index.md", "教室・相談会の日程" if lang == "ja" else "Classes", body)
        for course in content.courses:
            _course_page(ctx, lang, course, [o for o in occs if o.course.id == course.id], feeds, common, titles)
        venue_links = []
        for venue in venues:
            here = f"classes/venues/{venue.id}/"
            mine = [o for o in upcoming if o.venue.id == venue.id]
            body = render_template("venue.md.j2", **common, v=venue, upcoming=[occ_view(o, lang, here) for o in mine],
                                   ics=link(lang, here, f"calendar/venues/{venue.id}.ics"),
                                   webcal=_webcal(ctx, f"calendar/venues/{venue.id}.ics"),
                                   back=link(lang, here, "classes/"))
            write_page(ctx, lang, f"classes/venues/{venue.id}.md", t(venue.name, lang), body)
            venue_links.append({"v": venue, "url": link(lang, "classes/venues/", here)})
        body = render_template("venues_index.md.j2", **common, venues=venue_links, back=link(lang, "classes/venues/", "classes/"))
        write_page(ctx, lang, "classes/venues/index.md", "会場" if lang == "ja" else "Venues", body)
        for i, month in enumerate(months):
            here = f"classes/{month}/"
            in_month = [o for o in occs if month_of(o) == month]
            title = (f"{month_text(month, lang)}の教室・相談会" if lang == "ja" else f"Classes in {month_text(month, lang)}")
            page_url = ctx.url(here, lang)
            _write_qr(ctx, lang, here, page_url)
            body = render_template(
                "classes_month.md.j2", **common, title=title, page_url=page_url,
                rows=[occ_view(o, lang, here) | {"past": o.date < ctx.today} for o in in_month],
                contacts=_contacts(in_month, lang, here), ward=ctx.config.ward,
                prev={"label": month_text(months[i - 1], lang), "url": link(lang, here, f"classes/{months[i - 1]}/")} if i else None,
                next={"label": month_text(months[i + 1], lang), "url": link(lang, here, f"classes/{months[i + 1]}/")}
                if i + 1 < len(months) else None, back=link(lang, here, "classes/"))
            write_page(ctx, lang, f"classes/{month}.md", title, body)
        here = "classes/past/"
        groups = [(month_text(m, lang), [occ_view(o, lang, here) | {"past": True} for o in g])
                  for m, g in groupby(sorted(past, key=lambda o: o.start, reverse=True), key=month_of)]
        body = render_template("classes_past.md.j2", **common, groups=groups, back=link(lang, here, "classes/"))
        write_page(ctx, lang, "classes/past.md", "終わった教室・相談会" if lang == "ja" else "Past sessions", body)


def _course_page(ctx: BuildContext, lang: str, course, occs: list[Occurrence], feeds: dict, common: dict,
                 titles: dict[str, str]) -> None:
    here = f"classes/{course.id}/"
    ics_path = feeds.get(f"course:{course.id}", f"calendar/{course.id}.ics")
    sessions = [{"id": s.id, "ics": link(lang, here, feeds.get(f"session:{s.id}", f"calendar/sessions/{s.id}.ics")),
                 "first": day_text(s.date or s.weekly.start_date, lang)} for s in course.sessions]  # type: ignore[union-attr]
    venues = {o.venue.id: o.venue for o in occs}
    # The next class first, then the rest to come; the finished ones after them, newest first.
    upcoming = [occ_view(o, lang, here) for o in occs if o.date >= ctx.today]
    nxt = next((r for r in upcoming if not r["cancelled"]), None)
    if nxt:
        nxt["next"] = True
    past = [occ_view(o, lang, here) | {"past": True} for o in reversed(occs) if o.date < ctx.today]
    body = render_template(
        "course.md.j2", **common, course=course, today=ctx.today, upcoming=upcoming, past=past, next_row=nxt,
        sessions=sessions, ics=link(lang, here, ics_path), webcal=_webcal(ctx, ics_path),
        venues=[{"v": v, "url": link(lang, here, f"classes/venues/{v.id}/")} for v in venues.values()],
        lessons=[{"title": titles.get(s, s), "url": link(lang, here, f"lessons/{s}/")} for s in course.lessons],
        level=(course.level if lang == "ja" else LEVEL_LABELS_EN[course.level]) if course.level else None,
        phone=PHONE_LABELS[course.phone][0 if lang == "ja" else 1],
        jsonld=Markup(course_jsonld(ctx, course, occs)), back=link(lang, here, "classes/"))
    write_page(ctx, lang, f"classes/{course.id}.md", t(course.title, lang), body)


def _contacts(occs: list[Occurrence], lang: str, here: str) -> list[dict]:
    """How to apply and whom to ask, once for each course in the month, in order of its first date."""
    seen: dict[str, dict] = {}
    for o in occs:
        c = o.course
        if c.id in seen:
            continue
        seen[c.id] = {
            "title": t(c.title, lang), "title_lang": text_lang(c.title, lang),
            "apply": t(c.apply, lang) if c.apply else None, "apply_lang": text_lang(c.apply, lang) if c.apply else lang,
            "contact": t(c.contact.name, lang) if c.contact else None,
            "contact_lang": text_lang(c.contact.name, lang) if c.contact else lang,
            "phone": c.contact.phone if c.contact else None, "email": c.contact.email if c.contact else None,
            "url": link(lang, here, f"classes/{c.id}/"),
        }
    return list(seen.values())


def _write_qr(ctx: BuildContext, lang: str, here: str, url: str) -> None:
    """The printed month's QR code, beside its page (classes/<yyyy-mm>/qr.svg)."""
    folder = ctx.static / ("en/" if lang == "en" else "") / here
    folder.mkdir(parents=True, exist_ok=True)
    segno.make(url, error="m").save(str(folder / "qr.svg"), kind="svg", scale=4, border=2,
                                    xmldecl=False, dark="#000", light="#fff")


def _webcal(ctx: BuildContext, path: str) -> str:
    url = ctx.url(path)
    return "webcal://" + url.split("://", 1)[1]
