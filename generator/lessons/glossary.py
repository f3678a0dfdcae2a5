"""Phone words (タップ, スワイプ, アプリ …) explained where a lesson first uses them.

The words and their explanations are content, kept by instructors in lessons/glossary.yml
(`word: explanation`, furigana syntax allowed), so that adding a word needs no code.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

from markdown.treeprocessors import Treeprocessor

from ..errors import ContentErrors, Problem, Text
from ..yamlfile import load_yaml
from .furigana import append_text

GLOSSARY_FILE = "lessons/glossary.yml"
# Where a word is not explained: headings, links, buttons, readings, code, and the word itself.
SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "button", "summary", "ruby", "rt", "code", "pre", "dfn",
        "label", "script", "style"}


def load_glossary(root: Path) -> tuple[dict[str, str], list[Problem]]:
    path = root / GLOSSARY_FILE
    if not path.is_file():
        return {}, []
    try:
        data, lines = load_yaml(path, GLOSSARY_FILE)
    except ContentErrors as exc:
        return {}, list(exc.problems)
    if data is None:
        return {}, []
    fix = Text("「タップ: 画面を指で1回、軽くたたくことです。」のように、1行に言葉と説明を書いてください。",
               "write one word and its explanation per line, e.g. 'タップ: 画面を指で1回、軽くたたくことです。'")
    if not isinstance(data, dict):
        return {}, [Problem(GLOSSARY_FILE, Text("「言葉: 説明」の形になっていません。",
                                                "the file does not hold 'word: explanation' lines."), fix, line=1)]
    terms: dict[str, str] = {}
    problems: list[Problem] = []
    for word, note in data.items():
        if not isinstance(word, str) or not isinstance(note, str) or not word.strip() or not note.strip():
            problems.append(Problem(GLOSSARY_FILE, Text(f"「{word}」の説明が文字になっていません。",
                                                        f"the explanation of '{word}' is not text."),
                                    fix, field=str(word), line=lines.get((word,))))
            continue
        terms[word.strip()] = note.strip()
    return terms, problems


def term_element(word: str, note: str, between: str = "") -> etree.Element:
    """The word and its explanation; `between` is text that stays between them (the rest of
    a 「quotation」 the word is in)."""
    span = etree.Element("span", {"class": "term"})
    dfn = etree.SubElement(span, "dfn")
    dfn.text = word
    dfn.tail = between or None
    explanation = etree.SubElement(span, "span", {"class": "term__note"})
    append_text(explanation, "（" + note + "）")
    return span


_KATAKANA = re.compile(r"[\u30A1-\u30FAー\uFF66-\uFF9F]")
_KANJI = re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF々]")


def _part_of_a_longer_word(text: str, start: int, end: int) -> bool:
    """アプリ in アプリケーション, タップ in ダブルタップ, 画面 in 画面上: the word runs on into
    letters of its own kind, so explaining it there would split a compound."""
    word = text[start:end]
    for script in (_KATAKANA, _KANJI):
        if start > 0 and script.match(word[0]) and script.match(text[start - 1]):
            return True
        if end < len(text) and script.match(word[-1]) and script.match(text[end]):
            return True
    return False


def _after_the_quotation(text: str, end: int) -> int | None:
    """Where an explanation of a word ending at `end` goes: right after it, or after the 」 of
    the 「quotation」 it is in (a button's label is quoted as it is on the screen); None when
    that quotation does not close in this text."""
    if text.count("「", 0, end) <= text.count("」", 0, end):
        return end
    close = text.find("」", end)
    return close + 1 if close >= 0 else None


class GlossaryProcessor(Treeprocessor):
    """Explain each glossary word once, at its first use in reading order."""

    def __init__(self, md, terms: dict[str, str]):
        super().__init__(md)
        self.terms = terms
        self.explained: set[str] = set()

    def run(self, root: etree.Element) -> None:
        self.explained = set()
        self._walk(root)

    def _pattern(self) -> re.Pattern | None:
        pending = sorted((w for w in self.terms if w not in self.explained), key=len, reverse=True)
        return re.compile("|".join(map(re.escape, pending))) if pending else None

    def _walk(self, el: etree.Element) -> None:
        if el.tag in SKIP:
            return
        children: list[etree.Element] = []
        el.text, nodes = self._split(el.text or "")
        children.extend(nodes)
        for child in list(el):
            self._walk(child)
            child.tail, nodes = self._split(child.tail or "")
            children.append(child)
            children.extend(nodes)
        el[:] = children

    def _split(self, text: str) -> tuple[str, list[etree.Element]]:
        head, nodes, at = None, [], 0
        search = 0
        while (pattern := self._pattern()) and (m := pattern.search(text, search)):
            word = m.group(0)
            after = _after_the_quotation(text, m.end())
            if _part_of_a_longer_word(text, m.start(), m.end()) or after is None:
                search = m.end()  # explained at a later use that stands on its own
                continue
            before = text[at:m.start()]
            if nodes:
                nodes[-1].tail = before
            else:
                head = before
            nodes.append(term_element(word, self.terms[word], text[m.end():after]))
            self.explained.add(word)
            at = search = after
        if nodes:
            nodes[-1].tail = text[at:]
            return head or "", nodes
        return text, nodes
