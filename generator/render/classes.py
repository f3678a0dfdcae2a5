"""Class schedule pages: classes/ and one page per course (classes/<course>/)."""
from __future__ import annotations

from ..content import Content
from ..context import LANGS, BuildContext
from .docs import render_page, render_template, t, text_lang, write_page


def _when(session, lang: str) -> str:
    if session.date:
        day = session.date.isoformat()
    else:
        rule = session.weekly
        day = (f"{rule.start_date.isoformat()} から毎週" if lang == "ja" else f"weekly from {rule.start_date.isoformat()}")
    return f"{day} {session.start:%H:%M}–{session.end:%H:%M}"


def write(content: Content, ctx: BuildContext) -> None:
    ctx.add_nav(30, "教室・相談会", "Classes", "classes/index.md")
    venues = {v.id: v for v in content.venues}
    render_page(ctx, "classes/index.md", "classes_index.md.j2", {"ja": "教室・相談会の日程", "en": "Classes"},
                courses=content.courses)
    for course in content.courses:
        for lang in LANGS:
            sessions = [{"when": _when(s, lang), "venue": t(venues[s.venue].name, lang),
                         "venue_lang": text_lang(venues[s.venue].name, lang), "status": s.status}
                        for s in course.sessions]
            body = render_template("course.md.j2", lang=lang, ctx=ctx, course=course, sessions=sessions)
            write_page(ctx, lang, f"classes/{course.id}.md", t(course.title, lang), body)
