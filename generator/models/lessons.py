"""A lesson: lessons/<slug>.md, Markdown with front matter, written by instructors."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from ..errors import FieldError, Text
from .common import CleanStr, Model, OneLine, Slug, not_reserved

Phone = Literal["android", "iphone", "both"]
Level = Literal["はじめて", "なれてきた", "もっと"]
LEVELS: tuple[str, ...] = Level.__args__  # type: ignore[attr-defined]
LEVEL_LABELS_EN = {"はじめて": "First steps", "なれてきた": "Getting used to it", "もっと": "More"}
PHONE_LABELS = {"android": ("Android", "Android"), "iphone": ("iPhone", "iPhone"),
                "both": ("Android・iPhone", "Android and iPhone")}


KANA_RE = re.compile(r"^[\u3041-\u309F\u30A0-\u30FF\s　・ー0-9０-９a-zA-Z]+$")


def _check_reading(value: str) -> str:
    # The reading sorts and finds the lesson (search by kana): kanji here would defeat it.
    if not KANA_RE.match(value):
        raise FieldError(Text(f"読み「{value}」に、かな以外の文字があります。", f"the reading '{value}' is not in kana."),
                         Text("ひらがなで書いてください（例: でんわのかけかた）。", "write it in hiragana, e.g. でんわのかけかた."))
    return value


Reading = Annotated[OneLine, AfterValidator(_check_reading)]


class LessonMeta(Model):
    """The front matter, as the instructor writes it."""

    title: OneLine = Field(min_length=1)
    title_en: OneLine | None = None
    reading: Reading = Field(min_length=1)
    phone: Phone
    level: Level
    duration: int = Field(gt=0, le=600)  # minutes
    topic: OneLine = Field(min_length=1)
    objectives: list[OneLine] = Field(min_length=1)
    bring: list[OneLine] = []
    summary: CleanStr | None = None
    summary_en: CleanStr | None = None


class Lesson(Model):
    slug: Annotated[Slug, not_reserved("lessons")]
    meta: LessonMeta
    # Markdown, as written (not stripped: its line n is the file's line body_line + n)
    body: Annotated[str, StringConstraints(strip_whitespace=False)]
    body_line: int  # the file line where the body starts (for messages)
    source: str  # path relative to the repo
