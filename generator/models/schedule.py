"""Courses, their sessions, and venues: lessons/schedule/. All times are Asia/Tokyo.

Dates and times are read as people write them (2026-10-20, 2026/10/20, 2026年10月20日;
10:00, 9:30, full-width digits too) and anything else, an impossible day (2026-02-30) or
hour (25:00) included, is refused with what is wrong. A schedule is bounded: years 1900 to
2100, a weekly rule of at most two years, and lists no longer than the dates they change.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from ..errors import FieldError, Text
from .common import LangLineStr, LangStr, Model, OneLine, Slug, not_reserved
from .lessons import Level, Phone

Status = Literal["受付中", "残りわずか", "満員", "中止"]
STATUS_EN = {"受付中": "Open", "残りわずか": "Few places left", "満員": "Full", "中止": "Cancelled"}
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]

FIRST_YEAR, LAST_YEAR = 1900, 2100
# A weekly rule covers at most two years (105 class days): a longer one is a typo in a year
# (until: 2062-12-15) or a rule nobody will maintain; the next period is a new session.
MAX_WEEKS = 105
MAX_SPAN = dt.timedelta(weeks=MAX_WEEKS - 1)
MAX_SESSIONS = 500  # per course: forty years of a monthly consultation

_DATE_RE = re.compile(r"^(\d+)\s*(?:[-/.]\s*(\d+)\s*[-/.]|年\s*(\d+)\s*月)\s*(\d+)\s*日?$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DATE_FIX = Text("2026-10-20 のように「年-月-日」で書いてください。", "write it as year-month-day, e.g. 2026-10-20.")
_TIME_FIX = Text("13:30 のように、24時間制の「時:分」で書いてください（午後1時半は 13:30）。",
                 'write it as hours:minutes on the 24-hour clock, e.g. "13:30" for half past one in the afternoon.')


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _to_date(value: Any) -> Any:
    """A date as people write it; an impossible one gets a message saying why."""
    if isinstance(value, dt.datetime):
        raise FieldError(Text(f"「{value}」には時刻も入っています。日付だけを書いてください。",
                              f"'{value}' has a time in it; this field takes only the date."),
                         Text("時刻は start と end に書いてください。", "put the times in start and end."))
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        m = _DATE_RE.match(text)
        if not m:
            raise FieldError(Text(f"「{_shown(value)}」は日付として読めません。", f"'{_shown(value)}' is not a date."), _DATE_FIX)
        year, month, day_of_month = int(m[1]), int(m[2] or m[3]), int(m[4])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise _year_error(year)
        if not 1 <= month <= 12:
            raise FieldError(Text(f"「{_shown(value)}」: {month} 月はありません（1〜12 月）。",
                                  f"'{_shown(value)}': there is no month {month} (months are 1 to 12)."), _DATE_FIX)
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day_of_month <= last:
            raise FieldError(Text(f"「{_shown(value)}」: {year}年{month}月は {last} 日までです。",
                                  f"'{_shown(value)}': {calendar.month_name[month]} {year} has {last} days."),
                             Text("日付を確かめてください（曜日もカレンダーで確かめてください）。",
                                  "check the date (and its weekday) on a calendar."))
        day = dt.date(year, month, day_of_month)
    else:
        raise FieldError(Text(f"「{_shown(value)}」は日付ではありません。", f"'{_shown(value)}' is not a date."), _DATE_FIX)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _year_error(day.year)
    return day


def _year_error(year: int) -> FieldError:
    return FieldError(Text(f"{year} 年は日程の年として範囲外です（{FIRST_YEAR}〜{LAST_YEAR} 年）。",
                           f"the year {year} is outside the years a schedule can use ({FIRST_YEAR} to {LAST_YEAR})."),
                      Text("年を確かめてください（例: 2026-10-20）。", "check the year (e.g. 2026-10-20)."))


def _to_time(value: Any) -> Any:
    """A time of day as people write it: 10:00, 9:30, １０：００; never a number of seconds."""
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        m = _TIME_RE.match(text)
        if m:
            hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
            if hour <= 23 and minute <= 59 and second <= 59:
                return dt.time(hour, minute, second)
            raise FieldError(Text(f"「{_shown(value)}」は時刻としてありえません（時は 0〜23、分は 00〜59）。",
                                  f"'{_shown(value)}' is not a time of day (hours 0 to 23, minutes 00 to 59)."), _TIME_FIX)
    raise FieldError(Text(f"「{_shown(value)}」は時刻として読めません。", f"'{_shown(value)}' is not a time of day."), _TIME_FIX)


def _at_most(n: int, what_ja: str, what_en: str, fix: Text):
    """A list refused by its length before its entries are read (one message, not thousands)."""
    def check(value: Any) -> Any:
        if isinstance(value, (list, tuple)) and len(value) > n:
            raise FieldError(Text(f"{what_ja}が {len(value):,} 件あります（{n} 件まで）。",
                                  f"{len(value):,} {what_en} (at most {n})."), fix)
        return value
    return BeforeValidator(check)


Day = Annotated[dt.date, BeforeValidator(_to_date)]
ClockTime = Annotated[dt.time, BeforeValidator(_to_time)]


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
    start_date: Day
    until: Day | None = None
    count: int | None = Field(default=None, gt=0)
    # Weeks with no class that need no notice (holidays): left out of the calendar (EXDATE).
    # A class called off after it was announced is an exception with cancelled: true instead.
    skip: Annotated[list[Day], _at_most(
        MAX_WEEKS, "休みの日", "skipped dates",
        Text("規則が作る日のうち、教室のない週の日付だけを書いてください。",
             "list only the dates of the rule that have no class."))] = []

    @field_validator("count")
    @classmethod
    def _few_enough(cls, count: int | None) -> int | None:
        if count is not None and count > MAX_WEEKS:
            raise FieldError(Text(f"count が {count} 回です。毎週の回は {MAX_WEEKS} 回（2年）までです。",
                                  f"count is {count}; a weekly rule has at most {MAX_WEEKS} dates (two years)."),
                             Text("回数を確かめてください。続きの期間は、新しい回（sessions の次の「- id:」）にしてください。",
                                  "check the number; for the following period add a new session (another '- id:')."))
        return count

    @field_validator("until")
    @classmethod
    def _near_enough(cls, until: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start_date")  # absent when start_date itself was wrong
        if until is not None and start is not None and until - start > MAX_SPAN:
            raise FieldError(Text(f"start_date（{start}）から until（{until}）まで2年を超えます。"
                                  f"毎週の回は {MAX_WEEKS} 回（2年）までです。",
                                  f"from start_date ({start}) to until ({until}) is more than two years; "
                                  f"a weekly rule has at most {MAX_WEEKS} dates."),
                             Text("until の年を確かめてください。続きの期間は、新しい回（sessions の次の「- id:」）にしてください。",
                                  "check the year of until; for the following period add a new session (another '- id:')."))
        return until

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

    date: Day
    cancelled: bool = False
    moved_to: Day | None = None
    start: ClockTime | None = None
    end: ClockTime | None = None
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
    date: Day | None = None  # a one-off session
    weekly: Weekly | None = None  # or a weekly rule
    start: ClockTime
    end: ClockTime
    status: Status = "受付中"
    capacity: int | None = Field(default=None, ge=0)  # when it differs from the course's
    note: LangStr | None = None
    exceptions: Annotated[list[Exception_], _at_most(
        MAX_WEEKS, "例外", "exceptions",
        Text("変更のある日だけを書いてください（一つの日に一つ）。", "list only the dates that change, one entry a date."))] = []

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
    sessions: Annotated[list[Session], _at_most(
        MAX_SESSIONS, "回", "sessions",
        Text("終わった回を別のファイル（別の教室）に分けてください。", "move past sessions into another course file."))] = []
