"""Courses, their sessions, and venues: lessons/schedule/. All times are Asia/Tokyo."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..errors import FieldError, Text
from .common import LangLineStr, LangStr, Model, OneLine, Slug, not_reserved
from .lessons import Level, Phone

Status = Literal["受付中", "残りわずか", "満員", "中止"]
STATUS_EN = {"受付中": "Open", "残りわずか": "Few places left", "満員": "Full", "中止": "Cancelled"}
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]


class Venue(Model):
    id: Annotated[Slug, not_reserved("classes/venues")]
    name: LangLineStr
    address: LangLineStr
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    station: LangLineStr | None = None  # nearest station and walk
    access: LangStr | None = None  # free text: entrance, parking, …
    lift: bool = False
    step_free: bool = False
    hearing_loop: bool = False
    parking: LangStr | None = None
    rooms: list[OneLine] = []
    phone: OneLine | None = None


class Contact(Model):
    name: LangLineStr
    phone: OneLine | None = None
    email: OneLine | None = None


class Weekly(Model):
    """A weekly rule: every <weekday> from a first date until a last date, or count times."""

    weekday: Weekday
    start_date: dt.date
    until: dt.date | None = None
    count: int | None = Field(default=None, gt=0, le=200)
    # Weeks with no class that need no notice (holidays): left out of the calendar (EXDATE).
    # A class called off after it was announced is an exception with cancelled: true instead.
    skip: list[dt.date] = []

    @model_validator(mode="after")
    def _bounded(self) -> "Weekly":
        if (self.until is None) == (self.count is None):
            raise FieldError(
                Text("毎週の回は until（最終日）か count（回数）のどちらか一つで終わりを決めてください。",
                     "a weekly rule needs exactly one of until (last date) or count (number of times)."),
                Text("例: until: 2026-06-30 または count: 8", "e.g. until: 2026-06-30 or count: 8"),
            )
        if WEEKDAYS[self.start_date.weekday()] != self.weekday:
            raise FieldError(
                Text(f"start_date（{self.start_date}）は {self.weekday} ではありません。",
                     f"start_date ({self.start_date}) is not a {self.weekday}."),
                Text("最初の回の日付を曜日に合わせてください。", "make start_date the first class day."),
            )
        if self.until is not None and self.until < self.start_date:
            raise FieldError(Text("until が start_date より前です。", "until is before start_date."),
                             Text("日付を直してください。", "correct the dates."))
        return self


class Exception_(Model):
    """A change to one occurrence of a weekly session."""

    date: dt.date
    cancelled: bool = False
    moved_to: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    room: OneLine | None = None
    note: LangStr | None = None

    @model_validator(mode="after")
    def _one_change(self) -> "Exception_":
        if self.cancelled and (self.moved_to or self.start or self.end or self.room):
            raise FieldError(
                Text("中止の日（cancelled: true）に、日付・時刻・部屋の変更は書けません。",
                     "a cancelled date (cancelled: true) cannot also be moved or changed."),
                Text("中止なら cancelled: true だけ、変更なら cancelled を消してください。",
                     "keep only cancelled: true, or remove it and keep the change."))
        if not (self.cancelled or self.moved_to or self.start or self.end or self.room or self.note):
            raise FieldError(
                Text(f"{self.date} の例外に、何が変わるのかが書かれていません。",
                     f"the exception for {self.date} does not say what changes."),
                Text("cancelled: true、moved_to、start/end、room、note のどれかを書いてください。",
                     "add cancelled: true, moved_to, start/end, room or note."))
        return self


class Session(Model):
    id: Slug
    venue: Slug
    room: OneLine | None = None
    date: dt.date | None = None  # a one-off session
    weekly: Weekly | None = None  # or a weekly rule
    start: dt.time
    end: dt.time
    status: Status = "受付中"
    capacity: int | None = Field(default=None, ge=0)  # when it differs from the course's
    note: LangStr | None = None
    exceptions: list[Exception_] = []

    @model_validator(mode="after")
    def _shape(self) -> "Session":
        if (self.date is None) == (self.weekly is None):
            raise FieldError(
                Text("date（1回だけ）か weekly（毎週）のどちらか一つを書いてください。",
                     "give exactly one of date (a one-off session) or weekly (a weekly rule)."),
                Text("例: date: 2026-05-10", "e.g. date: 2026-05-10"),
            )
        if self.end <= self.start:
            raise FieldError(
                Text(f"終わり（{self.end:%H:%M}）が始まり（{self.start:%H:%M}）より前です。",
                     f"the end ({self.end:%H:%M}) is not after the start ({self.start:%H:%M})."),
                Text("start と end の時刻を確かめてください。", "check the start and end times."),
            )
        return self


class Course(Model):
    id: Annotated[Slug, not_reserved("classes")]
    title: LangLineStr
    reading: OneLine | None = None
    kind: Literal["class", "consultation"] = "class"
    lessons: list[Slug] = []
    level: Level | None = None
    phone: Phone = "both"
    instructor: LangLineStr | None = None
    capacity: int = Field(ge=0)
    fee: int = Field(default=0, ge=0)  # yen
    apply: LangStr | None = None  # how to apply
    contact: Contact | None = None
    description: LangStr | None = None
    sessions: list[Session] = []
