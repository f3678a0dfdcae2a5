"""Name authorities, as librarians keep them: who made the items, and the series they belong to.

archive/creators.yml and archive/series.yml are lists of these. Item records refer to them by
id; the import matches a name written in either language, or any alias, to the id.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from ..errors import FieldError, Text
from .archive import CreatorRole
from .common import LangLineStr, LangStr, Model, OneLine, Slug, not_reserved


class Creator(Model):
    """One person (or studio), with every name the catalogues use for them."""

    id: Annotated[Slug, not_reserved("creators")]
    name: LangLineStr  # the name the archive shows: 葛飾北斎 / Katsushika Hokusai
    reading: OneLine | None = None  # hiragana: かつしかほくさい
    # Art names, later names and other spellings: 三代歌川豊国 for 歌川国貞, Hokusai Katsushika.
    aliases: list[OneLine] = []
    born: int | None = Field(default=None, ge=1000, le=2100)
    died: int | None = Field(default=None, ge=1000, le=2100)
    roles: list[CreatorRole] = ["artist"]
    note: LangStr | None = None

    @model_validator(mode="after")
    def _lifetime(self) -> "Creator":
        if self.born is not None and self.died is not None and self.died < self.born:
            raise FieldError(
                Text(f"没年（{self.died}）が生年（{self.born}）より前です。",
                     f"the year of death ({self.died}) is before the year of birth ({self.born})."),
                Text("born と died を確かめてください。", "check born and died."),
            )
        return self

    @property
    def names(self) -> list[str]:
        return [n for n in (self.name.ja, self.name.en, *self.aliases) if n]

    def life(self) -> str:
        """1760–1849, ?–1806, or '' when neither year is known."""
        if self.born is None and self.died is None:
            return ""
        return f"{self.born or '?'}–{self.died or '?'}"


class SeriesTitle(Model):
    ja: OneLine = Field(min_length=1)
    en: OneLine | None = None
    reading: OneLine | None = None


class Series(Model):
    """A published series of prints (or a set of maps), with the title's other spellings."""

    id: Annotated[Slug, not_reserved("series")]
    title: SeriesTitle
    # Other forms of the title: 富嶽三十六景 for 冨嶽三十六景, "Thirty-Six Views of Mt. Fuji".
    variants: list[OneLine] = []
    creators: list[Slug] = []  # ids in creators.yml
    date: OneLine | None = None  # as written: 天保2–4年頃
    note: LangStr | None = None

    @property
    def names(self) -> list[str]:
        return [n for n in (self.title.ja, self.title.en, *self.variants) if n]
