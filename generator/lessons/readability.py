"""Warnings on lesson text that is hard to read (やさしい日本語 guidelines): long sentences,
long runs of kanji, long runs of katakana. Readers see the text without its readings, so
the checks do too."""
from __future__ import annotations

import re

from ..errors import Problem, Text
from .furigana import strip_furigana

MAX_SENTENCE = 60
KANJI_RUN = re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF々〆ヶ]{6,}")
KATAKANA_RUN = re.compile(r"[\u30A1-\u30FA\u30FC\uFF66-\uFF9F]{10,}")
SENTENCE_END = re.compile(r"(?<=[。！？!?])")
# Markdown that is not read as text: pictures, link targets, list and heading marks, tab fences.
MARKUP = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # a picture's alt text is checked with the picture
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>\s?)"), ""),
    (re.compile(r"^\s*///.*$"), ""),
    (re.compile(r"[*_`]"), ""),
]


def plain_line(line: str) -> str:
    line = strip_furigana(line)
    for pattern, repl in MARKUP:
        line = pattern.sub(repl, line)
    return line.strip()


def readability_warnings(body: str, rel: str, first_line: int) -> list[Problem]:
    problems: list[Problem] = []
    for offset, raw in enumerate(body.split("\n")):
        problems += text_warnings(plain_line(raw), rel, first_line + offset)
    return problems


def front_matter_warnings(texts: list[tuple[str, int | None]], rel: str) -> list[Problem]:
    """The front matter's reader-facing text (objectives, what to bring, summary), by line."""
    problems: list[Problem] = []
    for text, line in texts:
        problems += text_warnings(strip_furigana(text).strip(), rel, line)
    return problems


def text_warnings(text: str, rel: str, line: int | None) -> list[Problem]:
    problems: list[Problem] = []
    for sentence in (s.strip() for s in SENTENCE_END.split(text)):
        if len(sentence) > MAX_SENTENCE:
            problems.append(_warn(rel, line,
                                  Text(f"文が長すぎます（{len(sentence)}文字）:「{sentence[:20]}…」",
                                       f"a sentence is too long ({len(sentence)} characters): '{sentence[:20]}…'"),
                                  Text(f"{MAX_SENTENCE}文字以内の短い文に分けてください。",
                                       f"split it into short sentences of at most {MAX_SENTENCE} characters.")))
    for m in KANJI_RUN.finditer(text):
        problems.append(_warn(rel, line, Text(f"漢字が{len(m.group())}字続いています:「{m.group()}」",
                                              f"{len(m.group())} kanji in a row: '{m.group()}'"),
                              Text("ひらがなを入れるか、やさしい言葉に言いかえてください。",
                                   "add kana between them or use plainer words.")))
    for m in KATAKANA_RUN.finditer(text):
        problems.append(_warn(rel, line, Text(f"カタカナが{len(m.group())}字続いています:「{m.group()}」",
                                              f"{len(m.group())} katakana in a row: '{m.group()}'"),
                              Text("短い言葉に分けるか、説明を加えてください。",
                                   "split the word or explain it.")))
    return problems


def _warn(rel: str, line: int | None, what: Text, fix: Text) -> Problem:
    return Problem(rel, what, fix, line=line, severity="warning")
