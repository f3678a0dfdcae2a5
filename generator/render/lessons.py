"""Lesson pages (lessons/<slug>/) and the lesson catalogue (lessons/)."""
from __future__ import annotations

from markupsafe import Markup

from ..content import Content
from ..context import LANGS, BuildContext
from ..models.lessons import LEVEL_LABELS_EN, PHONE_LABELS
from .docs import render_page, render_template, write_page


def write(content: Content, ctx: BuildContext) -> None:
    ctx.add_nav(20, "スマホ教室のテキスト", "Lessons", "lessons/index.md")
    lessons = sorted(content.lessons, key=lambda l: (l.meta.level, l.slug))
    render_page(ctx, "lessons/index.md", "lessons_index.md.j2", {"ja": "スマホ教室のテキスト", "en": "Smartphone lessons"},
                lessons=lessons, level_label=level_label)
    for lesson in lessons:
        for lang in LANGS:
            # The body is the instructor's own Markdown: it is the page, not a value to escape.
            body = render_template("lesson.md.j2", lang=lang, ctx=ctx, lesson=lesson, body=Markup(lesson.body),
                                   phone_label=PHONE_LABELS[lesson.meta.phone][0 if lang == "ja" else 1])
            title = lesson.meta.title_en if lang == "en" and lesson.meta.title_en else lesson.meta.title
            write_page(ctx, lang, f"lessons/{lesson.slug}.md", title, body)


def level_label(level: str, lang: str) -> str:
    return level if lang == "ja" else LEVEL_LABELS_EN[level]
