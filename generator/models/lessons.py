"""A lesson: lessons/<slug>.md, Markdown with front matter, written by instructors."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import CleanStr, Model, Slug

Phone = Literal["android", "iphone", "both"]
Level = Literal["はじめて", "なれてきた", "もっと"]
LEVELS: tuple[str, ...] = Level.__args__  # type: ignore[attr-defined]
LEVEL_LABELS_EN = {"はじめて": "First steps", "なれてきた": "Getting used to it", "もっと": "More"}
PHONE_LABELS = {"android": ("Android", "Android"), "iphone": ("iPhone", "iPhone"),
                "both": ("Android・iPhone", "Android and iPhone")}


class LessonMeta(Model):
    """The front matter, as the instructor writes it."""

    title: CleanStr = Field(min_length=1)
    title_en: CleanStr | None = None
    reading: CleanStr = Field(min_length=1)
    phone: Phone
    level: Level
    duration: int = Field(gt=0, le=600)  # minutes
    topic: CleanStr = Field(min_length=1)
    objectives: list[CleanStr] = Field(min_length=1)
    bring: list[CleanStr] = []
    summary: CleanStr | None = None
    summary_en: CleanStr | None = None


class Lesson(Model):
    slug: Slug
    meta: LessonMeta
    body: str  # Markdown, as written
    body_line: int  # the file line where the body starts (for messages)
    source: str  # path relative to the repo
