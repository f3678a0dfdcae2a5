"""Japanese era dates (和暦) as librarians write them, turned into a range of years.

The forms catalogues use: 安政4年, 天保元年, 天保2–3年頃, 文化年間, 明治時代, 1857, 1830–32,
c. 1831, 19世紀. Era year N is the conventional Western year of the era's first year plus
N − 1 (天保元年 = 1830, as every conversion table gives it): the lunisolar calendar's last
weeks of a year are not worth a false precision on a print dated only by year.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# (era, reading in Hepburn, first year): facts from the standard 元号 tables. An era's last
# year is the next era's first (嘉永7年 and 安政元年 are both 1854).
ERAS: list[tuple[str, str, int]] = [
    ("天正", "Tenshō", 1573), ("文禄", "Bunroku", 1592), ("慶長", "Keichō", 1596), ("元和", "Genna", 1615),
    ("寛永", "Kan'ei", 1624), ("正保", "Shōhō", 1644), ("慶安", "Keian", 1648), ("承応", "Jōō", 1652),
    ("明暦", "Meireki", 1655), ("万治", "Manji", 1658), ("寛文", "Kanbun", 1661), ("延宝", "Enpō", 1673),
    ("天和", "Tenna", 1681), ("貞享", "Jōkyō", 1684), ("元禄", "Genroku", 1688), ("宝永", "Hōei", 1704),
    ("正徳", "Shōtoku", 1711), ("享保", "Kyōhō", 1716), ("元文", "Genbun", 1736), ("寛保", "Kanpō", 1741),
    ("延享", "Enkyō", 1744), ("寛延", "Kan'en", 1748), ("宝暦", "Hōreki", 1751), ("明和", "Meiwa", 1764),
    ("安永", "An'ei", 1772), ("天明", "Tenmei", 1781), ("寛政", "Kansei", 1789), ("享和", "Kyōwa", 1801),
    ("文化", "Bunka", 1804), ("文政", "Bunsei", 1818), ("天保", "Tenpō", 1830), ("弘化", "Kōka", 1844),
    ("嘉永", "Kaei", 1848), ("安政", "Ansei", 1854), ("万延", "Man'en", 1860), ("文久", "Bunkyū", 1861),
    ("元治", "Genji", 1864), ("慶応", "Keiō", 1865), ("明治", "Meiji", 1868), ("大正", "Taishō", 1912),
    ("昭和", "Shōwa", 1926), ("平成", "Heisei", 1989), ("令和", "Reiwa", 2019),
]
# Old character forms found in older catalogues.
ERA_VARIANTS = {"萬延": "万延", "慶應": "慶応", "寳暦": "宝暦", "寶暦": "宝暦", "寳永": "宝永", "寶永": "宝永"}
# Periods written as 〜時代 that are not single eras.
PERIODS = {"江戸": ("Edo", 1603, 1868), "安土桃山": ("Azuchi-Momoyama", 1573, 1603)}

_ERA = {name: (roman, start) for name, roman, start in ERAS}
_NEXT = {ERAS[i][0]: ERAS[i + 1][2] for i in range(len(ERAS) - 1)}
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DASH = "[-‐‑–—―〜~～]"
_NUM = r"(?:\d+|元|[〇一二三四五六七八九十]+)"
_APPROX_BEFORE = re.compile(r"^(?:c\.|ca\.|circa|about|約)\s*", re.IGNORECASE)
_APPROX_AFTER = re.compile(r"\s*(?:頃|ごろ|ころ|か)$")
_ERA_NAMES = "|".join(sorted([*_ERA, *ERA_VARIANTS], key=len, reverse=True))
_ERA_YEARS = re.compile(rf"^({_ERA_NAMES})\s*({_NUM})年?(?:\s*{_DASH}\s*(?:({_ERA_NAMES})\s*)?({_NUM}))?年?$")
_ERA_WHOLE = re.compile(rf"^({_ERA_NAMES})(?:年間|時代|期)?$")
_PERIOD = re.compile(rf"^({'|'.join(PERIODS)})時代$")
_YEARS = re.compile(rf"^(\d{{3,4}})年?(?:\s*{_DASH}\s*(\d{{1,4}})年?)?$")
_CENTURY = re.compile(r"^(\d{1,2})世紀(前半|後半)?$")
_DECADE = re.compile(r"^(\d{3})0(?:年代|s)$")
# "安政4年（1857）": the years a cataloguer added in brackets are read from the era itself.
_BRACKETED_YEARS = re.compile(rf"\s*[（(]\s*\d{{3,4}}(?:\s*{_DASH}\s*\d{{1,4}})?\s*年?\s*[)）]$")


@dataclass(frozen=True)
class ParsedDate:
    start: int
    end: int
    approximate: bool = False
    era: str | None = None  # the era the text names (modern form), for "安政4年（1857）"
    era_years: tuple[int, int] | None = None  # era year numbers; None for a whole era
    period_en: str | None = None  # "Edo period" for 江戸時代


def _number(text: str) -> int:
    if text == "元":
        return 1
    if text.isdigit():
        return int(text)
    # Kanji numerals up to 99 (era years never go higher): 十二 = 12, 二十 = 20, 二十三 = 23.
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    return int("".join(str(_KANJI_DIGITS[c]) for c in text))


def _era_year(era: str, n: int) -> int | None:
    start = _ERA[era][1]
    year = start + n - 1
    last = _NEXT.get(era)
    # An era year past the era's end (天保20年) is a typo, not a date.
    return year if n >= 1 and (last is None or year <= last) else None


def _complete(start: int, end_text: str) -> int:
    # "1830–32" means 1832: the missing leading digits come from the start year.
    if len(end_text) < len(str(start)):
        return int(str(start)[: len(str(start)) - len(end_text)] + end_text)
    return int(end_text)


def parse(text: str) -> ParsedDate | None:
    """The year range a date text stands for, or None when it cannot be read."""
    s = unicodedata.normalize("NFKC", text).strip()
    s = s.replace("　", " ")
    if _BRACKETED_YEARS.search(s) and not _BRACKETED_YEARS.fullmatch(s):
        s = _BRACKETED_YEARS.sub("", s)
    approximate = False
    if _APPROX_BEFORE.search(s):
        s, approximate = _APPROX_BEFORE.sub("", s), True
    if _APPROX_AFTER.search(s):
        s, approximate = _APPROX_AFTER.sub("", s), True
    if m := _ERA_YEARS.match(s):
        era = ERA_VARIANTS.get(m[1], m[1])
        era2 = ERA_VARIANTS.get(m[3], m[3]) if m[3] else era
        n1, n2 = _number(m[2]), _number(m[4]) if m[4] else None
        start = _era_year(era, n1)
        end = _era_year(era2, n2) if n2 is not None else start
        if start is None or end is None or end < start:
            return None
        if era2 != era:  # 嘉永7年–安政2年: keep the range, name no single era
            return ParsedDate(start, end, approximate)
        return ParsedDate(start, end, approximate, era, (n1, n2 if n2 is not None else n1))
    if m := _ERA_WHOLE.match(s):
        era = ERA_VARIANTS.get(m[1], m[1])
        start = _ERA[era][1]
        return ParsedDate(start, _NEXT.get(era, start), approximate, era, None)
    if m := _PERIOD.match(s):
        roman, start, end = PERIODS[m[1]]
        return ParsedDate(start, end, approximate, period_en=f"{roman} period")
    if m := _YEARS.match(s):
        start = int(m[1])
        end = _complete(start, m[2]) if m[2] else start
        return ParsedDate(start, end, approximate) if end >= start else None
    if m := _DECADE.match(s):
        return ParsedDate(int(m[1]) * 10, int(m[1]) * 10 + 9, approximate)
    if m := _CENTURY.match(s):
        first = (int(m[1]) - 1) * 100 + 1
        if m[2] == "前半":
            return ParsedDate(first, first + 49, approximate)
        if m[2] == "後半":
            return ParsedDate(first + 50, first + 99, approximate)
        return ParsedDate(first, first + 99, approximate)
    return None


def year_range(start: int, end: int) -> str:
    """1831, 1830–32, 1848–1912 (the short form only within one century)."""
    if start == end:
        return str(start)
    if str(start)[:2] == str(end)[:2] and len(str(start)) == len(str(end)) == 4:
        return f"{start}–{str(end)[2:]}"
    return f"{start}–{end}"


def era_of(year: int) -> tuple[str, str] | None:
    """(era, Hepburn) of a Western year: the latest era begun by then (1854 -> 安政, whose first
    year it is). Browse pages prefer the era a date's text names (嘉永7年 stays in 嘉永)."""
    found = None
    for name, roman, start in ERAS:
        if start <= year:
            found = (name, roman)
    return found if ERAS[0][2] <= year < 2100 else None


def era_named(text: str) -> tuple[str, str] | None:
    """(era, Hepburn) that a date text names, if it names one."""
    parsed = parse(text)
    return (parsed.era, _ERA[parsed.era][0]) if parsed and parsed.era else None


def display(text: str, start: int | None, end: int | None, lang: str) -> str:
    """A date as readers see it: 安政4年（1857） on Japanese pages, 1857 (Ansei 4) on English ones."""
    parsed = parse(text)
    if start is None or end is None:
        if parsed is None:
            return text
        start, end = parsed.start, parsed.end
    years = year_range(start, end)
    western = bool(re.fullmatch(r"[\d\s.,cairout–—~〜年頃-]*", unicodedata.normalize("NFKC", text).lower()))
    if lang == "ja":
        # Western years already written (1857, 安政4年（1857）) are not repeated.
        return text if western or re.search(r"\d{3,4}", unicodedata.normalize("NFKC", text)) else f"{text}（{years}）"
    approx = "c. " if parsed and parsed.approximate else ""
    if parsed and parsed.era:
        roman = _ERA[parsed.era][0]
        if parsed.era_years is None:
            return f"{approx}{years} ({roman} era)"
        a, b = parsed.era_years
        return f"{approx}{years} ({roman} {a if a == b else f'{a}–{b}'})"
    if parsed and parsed.period_en:
        return f"{approx}{years} ({parsed.period_en})"
    # The Japanese wording stays on the Japanese page; an English reader gets the years.
    return f"{approx}{years}" if parsed else text
