"""Japanese era dates as librarians write them, read as years and shown both ways."""
from __future__ import annotations

import pytest

from generator.models.eras import display, era_named, era_of, parse
from generator.models.archive import DateSpan


@pytest.mark.parametrize("text,start,end,approximate", [
    ("安政4年", 1857, 1857, False),
    ("天保元年", 1830, 1830, False),
    ("天保2–3年頃", 1831, 1832, True),
    ("天保2-3年頃", 1831, 1832, True),
    ("文化年間", 1804, 1818, False),
    ("1857", 1857, 1857, False),
    ("1830–32", 1830, 1832, False),
    ("c. 1831", 1831, 1831, True),
    ("ca. 1831", 1831, 1831, True),
    ("１８５７年", 1857, 1857, False),  # full-width digits from a Japanese keyboard
    ("安政四年", 1857, 1857, False),  # kanji numerals
    ("天保十二年", 1841, 1841, False),
    ("萬延元年", 1860, 1860, False),  # old character form of 万延
    ("明治時代", 1868, 1912, False),
    ("嘉永7年–安政2年", 1854, 1855, False),  # across an era change
    ("江戸時代", 1603, 1868, False),
    ("安政4年（1857）", 1857, 1857, False),  # years a cataloguer added in brackets
    ("1850年代", 1850, 1859, False),
    ("1850s", 1850, 1859, False),
])
def test_date_forms_become_year_ranges(text, start, end, approximate):
    parsed = parse(text)
    assert parsed is not None, text
    assert (parsed.start, parsed.end, parsed.approximate) == (start, end, approximate)


@pytest.mark.parametrize("text", ["天保20年", "不明", "安政4年か5年", "", "1857–1840"])
def test_unreadable_dates_are_refused_not_guessed(text):
    assert parse(text) is None


@pytest.mark.parametrize("text,ja,en", [
    ("安政4年", "安政4年（1857）", "1857 (Ansei 4)"),
    ("天保2–3年頃", "天保2–3年頃（1831–32）", "c. 1831–32 (Tenpō 2–3)"),
    ("文化年間", "文化年間（1804–18）", "1804–18 (Bunka era)"),
    ("1857", "1857", "1857"),
    ("c. 1831", "c. 1831", "c. 1831"),
    ("不明", "不明", "不明"),
    ("安政4年（1857）", "安政4年（1857）", "1857 (Ansei 4)"),  # not 安政4年（1857）（1857）
])
def test_dates_are_shown_both_ways(text, ja, en):
    assert display(text, None, None, "ja") == ja
    assert display(text, None, None, "en") == en


def test_a_record_gets_its_years_from_the_text():
    assert (DateSpan(text="安政4年").start, DateSpan(text="安政4年").end) == (1857, 1857)
    written = DateSpan(text="安政4年", start=1856, end=1858)  # years written out win
    assert (written.start, written.end) == (1856, 1858)
    unread = DateSpan(text="不明")
    assert unread.text == "不明" and unread.start is None  # kept as written


def test_browse_groups_by_the_era_the_date_names_else_by_year():
    assert era_named("嘉永7年") == ("嘉永", "Kaei")  # 1854, the year 安政 began: the text decides
    assert era_named("1854") is None
    assert era_of(1854) == ("安政", "Ansei")
    assert era_of(1500) is None
