"""Lesson pages (lessons/<slug>/) and the lesson catalogue (lessons/), both languages.

The lesson body is converted to HTML here (generator/lessons), not by the site engine, so
the docs tree holds finished lesson markup whatever renders the rest of the page. Pictures
and each page's QR code (for the printed handout) are published as static files.
"""
from __future__ import annotations

import datetime as dt
import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import segno
from markupsafe import Markup

from ..cache import write_atomic
from ..content import Content
from ..context import LANGS, BuildContext
from ..errors import ContentErrors, Problem, Text
from ..lessons import convert_lesson, pictures
from ..lessons.furigana import furigana_markup
from ..lessons.glossary import load_glossary
from ..models.lessons import LEVEL_LABELS_EN, LEVELS, PHONE_LABELS, Lesson
from ..models.schedule import Course
from ..schedule.derive import Schedule
from .docs import render_page, render_template, write_page

# From a lesson page to the lessons/ folder of the site, where pictures are published once.
LESSONS_FROM_PAGE = {"ja": "../", "en": "../../../lessons/"}


def write(content: Content, ctx: BuildContext, schedule: Schedule) -> None:
    ctx.add_nav(20, "スマホ教室のテキスト", "Lessons", "lessons/index.md")
    glossary, _ = load_glossary(ctx.root)  # its problems were reported by check
    lessons = sorted(content.lessons, key=lambda one: (LEVELS.index(one.meta.level), one.meta.topic, one.slug))
    courses = {lesson.slug: upcoming_courses(content.courses, lesson.slug, ctx.today, schedule) for lesson in lessons}
    render_page(ctx, "lessons/index.md", "lessons_index.md.j2", {"ja": "スマホ教室のテキスト", "en": "Smartphone lessons"},
                catalogue=catalogue(lessons), courses=courses, level_label=level_label, ruby=furigana_markup,
                phone_label=phone_label)
    used: set[str] = set()
    for lesson in lessons:
        for lang in LANGS:
            page_url = ctx.url(f"lessons/{lesson.slug}/", lang)
            result = convert_lesson(lesson, glossary, lambda src, lang=lang, slug=lesson.slug: _picture_url(src, slug, lang),
                                    lang)
            if lang == LANGS[0]:
                used |= _publish_pictures(ctx, lesson, [p.src for p in result.pictures])
            _write_qr(ctx, lang, lesson.slug, page_url)
            body = render_template("lesson.md.j2", lang=lang, ctx=ctx, lesson=lesson, body=Markup(result.html),
                                   phone_label=phone_label(lesson.meta.phone, lang), page_url=page_url,
                                   level_label=level_label, courses=courses[lesson.slug], ruby=furigana_markup)
            title = lesson.meta.title_en if lang == "en" and lesson.meta.title_en else lesson.meta.title
            write_page(ctx, lang, f"lessons/{lesson.slug}.md", title, body)
    pictures.prune_cache(ctx.cache, used)


def catalogue(lessons: list[Lesson]) -> list[tuple[str, list[tuple[str, list[Lesson]]]]]:
    """Levels in teaching order, each with its topics, each with its lessons."""
    out = []
    for level in LEVELS:
        at_level = [one for one in lessons if one.meta.level == level]
        topics = sorted({one.meta.topic for one in at_level})
        if at_level:
            out.append((level, [(topic, [one for one in at_level if one.meta.topic == topic]) for topic in topics]))
    return out


@dataclass
class UpcomingCourse:
    course: Course
    next_day: dt.date | None  # the next class day that is not cancelled, when the schedule is known

    def next_label(self, lang: str) -> str:
        if self.next_day is None:
            return ""
        d = self.next_day
        if lang == "ja":
            return f"次は {d.month}月{d.day}日（{'月火水木金土日'[d.weekday()]}）"
        return f"next: {d:%a} {d.day} {d:%b %Y}"


def upcoming_courses(courses: list[Course], slug: str, today: dt.date,
                     schedule: Schedule | None = None) -> list[UpcomingCourse]:
    """Courses that teach the lesson and still have a class day on or after today. With the
    schedule's occurrences cancellations count and the next day is known; without them, the
    sessions' own dates decide."""
    out = []
    for course in (c for c in courses if slug in c.lessons):
        occurrences = getattr(schedule, "occurrences", None)
        if occurrences is not None:
            days = [o.date for o in occurrences if o.course.id == course.id and not o.cancelled and o.date >= today]
            if days:
                out.append(UpcomingCourse(course, min(days)))
        elif any(_last_day(s) >= today for s in course.sessions):
            out.append(UpcomingCourse(course, None))
    return out


def _last_day(session) -> dt.date:
    if session.date is not None:
        return session.date
    weekly = session.weekly
    if weekly.until is not None:
        return weekly.until
    return weekly.start_date + dt.timedelta(weeks=weekly.count - 1)


def level_label(level: str, lang: str) -> str:
    return level if lang == "ja" else LEVEL_LABELS_EN[level]


def phone_label(phone: str, lang: str) -> str:
    return PHONE_LABELS[phone][0 if lang == "ja" else 1]


def _picture_url(src: str, slug: str, lang: str) -> str | None:
    """The picture's address in the page: its checked path, written anew (None: not a picture
    check accepts, which a build never reaches, since it runs check first)."""
    try:
        rel = pictures.picture_path(src, slug)
    except pictures.PictureError:
        return None
    return LESSONS_FROM_PAGE[lang] + urllib.parse.quote(rel)


def _publish_pictures(ctx: BuildContext, lesson: Lesson, sources: list[str]) -> set[str]:
    """Publish the lesson's pictures as pictures.prepare makes them (the copy check accepted),
    each at lessons/images/<slug>/… of the site; return their cache names."""
    folder = ctx.static / "lessons" / "images" / lesson.slug
    used: set[str] = set()
    for src in sources:
        try:
            rel = pictures.picture_path(src, lesson.slug)
            prepared = pictures.prepare(ctx.root, rel, lesson.slug, ctx.cache)
        except pictures.PictureError as exc:  # changed since check ran
            raise ContentErrors([Problem(lesson.source, exc.what, exc.fix, field="src")]) from None
        used.add(prepared.cache_name)
        # rel is images/<slug>/<name…> without '.', '..' or empty parts (picture_path); the
        # folders are made one by one inside this build's own static folder, never through a link.
        target = folder.joinpath(*rel.split("/")[2:])
        if not _inside(target, folder):
            raise ContentErrors([Problem(lesson.source, Text(f"絵 lessons/{rel} はこのレッスンのフォルダーの外です。",
                                                             f"the picture lessons/{rel} is outside the lesson's folder."),
                                         Text(f"絵を lessons/images/{lesson.slug}/ に入れてください。",
                                              f"put the picture in lessons/images/{lesson.slug}/."), field="src")])
        _make_folders(ctx.static, target.parent)
        if not os.path.lexists(target):  # the same picture twice in one lesson
            write_atomic(target, prepared.data)
    return used


def _inside(path: Path, folder: Path) -> bool:
    return os.path.normpath(path) == str(path) and path.is_relative_to(folder) and path != folder


def _make_folders(top: Path, folder: Path) -> None:
    """Make folder (inside top) one level at a time, refusing to go through a symbolic link."""
    current = top
    for part in folder.relative_to(top).parts:
        current = current / part
        try:
            os.mkdir(current)
        except FileExistsError:
            pass
        if current.is_symlink() or not current.is_dir():
            raise OSError(f"not a folder: {current}")


def _write_qr(ctx: BuildContext, lang: str, slug: str, url: str) -> None:
    folder = ctx.static / ("en/" if lang == "en" else "") / "lessons" / slug
    folder.mkdir(parents=True, exist_ok=True)
    segno.make(url, error="m").save(str(folder / "qr.svg"), kind="svg", scale=4, border=2,
                                    xmldecl=False, dark="#000", light="#fff")
