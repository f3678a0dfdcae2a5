"""`sitegen add` on a terminal: the questions for the fields a record needs.

Each answer is checked as soon as it is given, with the rules the record will be checked by:
a bad one is explained and asked again (the answers before it stay), a name is offered from
the authorities (archive/creators.yml, archive/series.yml) by its closest spellings, and the
reading is suggested from the title. Enter leaves an optional field empty or takes the
suggestion shown in [brackets].
"""
from __future__ import annotations

import argparse
import difflib
import re
import shlex
import unicodedata
from pathlib import Path
from typing import Callable

from ..errors import Problem, Text, printable, user_lang
from ..models.archive import ITEM_TYPES, TYPE_LABELS
from ..models.authorities import Creator, Series
from ..models.eras import parse as parse_date
from ..models.rights import canonical_rights
from ..search.normalise import reading
from .authorities import NameIndex, load_authorities, name_key
from .columns import CONTROL_CHARS, shown

# What add asks for, in order: (argument, required).
FIELDS = [("title_ja", True), ("title_en", False), ("reading", False), ("type", True), ("artist", False),
          ("date", False), ("series", False), ("rights", True)]
# Rights a ward's archive mostly uses, offered by number (any other name or URI works too).
COMMON_RIGHTS = [("PDM", "パブリックドメイン・マーク", "Public Domain Mark"), ("CC0", "CC0（権利放棄）", "CC0 (no rights reserved)"),
                 ("CC BY 4.0", "CC BY 4.0（表示）", "CC BY 4.0 (attribution)"),
                 ("InC", "著作権あり（In Copyright）", "In Copyright"),
                 ("NoC-OKLR", "著作権なし・その他の法的制限あり", "No Copyright, other known legal restrictions")]
_KANA_READING = re.compile(r"^[\u3041-\u309f\u30a1-\u30ffー・ 　]+$")


class Bad(Exception):
    """An answer that cannot be used: the reason, shown before the question is asked again."""

    def __init__(self, why: Text):
        super().__init__(why.en)
        self.why = why


class Dialog:
    """Asks on the terminal; `ask` repeats a question until its check accepts the answer."""

    def __init__(self, read: Callable[[str], str] | None = None, say: Callable[[str], None] | None = None):
        self.read = read or (lambda prompt: input(prompt))
        self.say = say or (lambda text: print(text, flush=True))
        self.ja = user_lang() == "ja"

    def t(self, text: Text) -> str:
        return text.ja if self.ja else text.en

    def ask(self, question: Text, check: Callable[[str], str | None], suggestion: str = "") -> str | None:
        prompt = self.t(question) + (f" [{suggestion}]" if suggestion else "") + ": "
        while True:
            answer = unicodedata.normalize("NFC", self.read(prompt)).strip()
            if not answer and suggestion:
                answer = suggestion
            try:
                return check(answer)
            except Bad as exc:
                self.say(printable("  " + self.t(exc.why)))


def _text(required: bool) -> Callable[[str], str | None]:
    def check(answer: str) -> str | None:
        if CONTROL_CHARS.search(answer):
            raise Bad(Text("見えない制御文字が入っています。打ち直してください。",
                           "it holds an invisible control character; type it again."))
        if not answer:
            if required:
                raise Bad(Text("これは必ず書いてください。", "this one is needed."))
            return None
        return answer

    return check


def suggested_reading(title: str) -> str:
    """The reading search would give the title (pykakasi's), kana and spaces only."""
    kana = re.sub(r"[^\u3041-\u309fー ]+", " ", reading(title))
    return re.sub(r"\s+", " ", kana).strip()


def _reading(answer: str) -> str | None:
    if answer in ("", "-"):
        return None
    if not _KANA_READING.match(answer):
        raise Bad(Text("読みはひらがなで書いてください（例: ふがくさんじゅうろっけい）。",
                       "write the reading in hiragana (e.g. ふがくさんじゅうろっけい)."))
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in answer)  # katakana too


def _type(answer: str) -> str:
    key = unicodedata.normalize("NFKC", answer).strip().casefold()
    for n, item_type in enumerate(ITEM_TYPES, start=1):
        ja, en = TYPE_LABELS[item_type]
        if key in (str(n), item_type, ja.casefold(), en.casefold()):
            return item_type
    raise Bad(Text(f"「{shown(answer)}」は種類にありません。番号か名前で選んでください。",
                   f"'{shown(answer)}' is not one of the types; choose one by its number or name."))


def _date(dialog: Dialog) -> Callable[[str], str | None]:
    tried: list[str] = []

    def check(answer: str) -> str | None:
        if not answer:
            return None
        if parse_date(answer) is None and answer not in tried:
            tried.append(answer)  # the same answer twice: kept as written
            raise Bad(Text(f"「{shown(answer)}」は西暦の年に読み替えられません。安政4年、天保2–3年頃、文化年間、1857、1830–32 のように書いてください"
                           "（このままでよければ、もう一度同じものを入れてください）。",
                           f"'{shown(answer)}' cannot be read as years; write it like 安政4年, 天保2–3年頃, 文化年間, 1857 "
                           "or 1830–32 (to keep it as written, type it again)."))
        return answer

    return check


def _rights(answer: str) -> str:
    if answer.isdigit() and 1 <= int(answer) <= len(COMMON_RIGHTS):
        answer = COMMON_RIGHTS[int(answer) - 1][0]
    canonical = canonical_rights(answer) if answer else None
    if canonical is None:
        raise Bad(Text(f"「{shown(answer)}」は実在するライセンスや権利表示ではありません。番号か、CC BY 4.0 のような名前か、URI で書いてください。",
                       f"'{shown(answer)}' is not an existing licence or rights statement; give a number, a name such as "
                       "CC BY 4.0, or its URI."))
    return canonical


def _from_authority(entries: dict, index: NameIndex, what: Text, label: Callable) -> Callable[[Dialog, str], str | None]:
    """A name checked against an authority: found -> its name; else the closest names are
    offered by number, or the name kept as written (artists) once confirmed."""

    def pick(dialog: Dialog, answer: str) -> str | None:
        if not answer:
            return None
        if answer in entries:
            return answer
        found = index.find(answer)
        if found:
            dialog.say(printable(f"  → {label(entries[found])}"))
            return found
        names = {name_key(n): e.id for e in entries.values() for n in e.names if name_key(n)}
        close = list(dict.fromkeys(names[k] for k in difflib.get_close_matches(name_key(answer), list(names), n=5,
                                                                               cutoff=0.5)))
        if not close:
            close = [e.id for e in entries.values() if answer.casefold() in " ".join(e.names).casefold()][:5]
        if not close:
            raise Bad(Text(f"「{shown(answer)}」は {what.ja} にありません。",
                           f"'{shown(answer)}' is not in {what.en}."))
        dialog.say(dialog.t(Text("  次のどれですか。", "  Did you mean one of these?")))
        for n, eid in enumerate(close, start=1):
            dialog.say(printable(f"    {n}) {label(entries[eid])}"))
        choice = dialog.read(dialog.t(Text("  番号（どれでもなければ Enter）: ", "  Number (Enter if none): "))).strip()
        if choice.isdigit() and 1 <= int(choice) <= len(close):
            return close[int(choice) - 1]
        raise Bad(Text("もう一度書いてください。", "type it again."))

    return pick


def _creator_label(c: Creator) -> str:
    life = f", {c.life()}" if c.life() else ""
    return f"{c.name.ja}（{c.name.en or ''}{life}）" if c.name.en or life else c.name.ja


def _series_label(s: Series) -> str:
    return f"{s.title.ja}（{s.title.en}）" if s.title.en else s.title.ja


def ask_missing(args: argparse.Namespace, root: Path, dialog: Dialog) -> None:
    """Ask for each field add needs that the command line did not give; answers go on args
    (so that, whatever happens next, they can be shown as the command to run again)."""
    problems: list[Problem] = []
    creators, series = load_authorities(root, [], problems)  # a broken file: no names to offer
    t = dialog.t
    dialog.say(t(Text("資料の記録を作ります。[ ] の中は Enter でそのまま使えます。なければ Enter で空欄にできます（* は必須）。",
                      "Making the item's record. Enter takes what is in [ ], or leaves a field empty (* is needed).")))
    for name, required in FIELDS:
        if getattr(args, name, None):
            continue
        star = " *" if required else ""
        if name == "title_ja":
            value = dialog.ask(Text(f"タイトル（日本語）{star}", f"Title in Japanese{star}"), _text(True))
        elif name == "title_en":
            value = dialog.ask(Text("タイトル（英語）", "Title in English"), _text(False))
        elif name == "reading":
            hint = suggested_reading(args.title_ja) if args.title_ja else ""
            value = dialog.ask(Text("タイトルの読み（ひらがな。なしは -）", "Reading of the title, in hiragana (- for none)"),
                               _reading, hint)
        elif name == "type":
            for n, item_type in enumerate(ITEM_TYPES, start=1):
                dialog.say(f"  {n}) {item_type}  {TYPE_LABELS[item_type][0 if dialog.ja else 1]}")
            value = dialog.ask(Text(f"種類（番号か名前）{star}", f"Type (number or name){star}"), _type)
        elif name == "artist":
            pick = _from_authority(creators, NameIndex(creators), Text("archive/creators.yml", "archive/creators.yml"),
                                   _creator_label)

            def artist(answer: str) -> str | None:
                try:
                    found = pick(dialog, answer)
                except Bad:
                    keep = dialog.read(t(Text(f"  「{shown(answer)}」は creators.yml にありません。このまま名前として載せますか [y/N]: ",
                                              f"  '{shown(answer)}' is not in creators.yml. Keep it as written [y/N]: ")))
                    if keep.strip().lower() in ("y", "yes", "はい"):
                        return answer
                    raise Bad(Text("もう一度書いてください。", "type it again.")) from None
                return creators[found].name.ja if found in creators else found

            value = dialog.ask(Text("作者（絵師）の名前", "Artist's name"), artist)
        elif name == "date":
            value = dialog.ask(Text("年代（例: 安政4年、天保2–3年頃、1857）", "Date (e.g. 安政4年, 天保2–3年頃, 1857)"), _date(dialog))
        elif name == "series":
            if not series:
                continue
            shown_ids = list(series)
            for n, sid in enumerate(shown_ids[:20], start=1):
                dialog.say(printable(f"  {n}) {_series_label(series[sid])}"))
            pick_series = _from_authority(series, NameIndex(series), Text("archive/series.yml", "archive/series.yml"),
                                          _series_label)

            def one_series(answer: str) -> str | None:
                if answer.isdigit() and 1 <= int(answer) <= min(20, len(shown_ids)):
                    return shown_ids[int(answer) - 1]
                return pick_series(dialog, answer)

            value = dialog.ask(Text("シリーズ（番号か名前。なければ Enter）", "Series (number or name; Enter if none)"), one_series)
        else:  # rights
            for n, (short, ja, en) in enumerate(COMMON_RIGHTS, start=1):
                dialog.say(f"  {n}) {short}  {ja if dialog.ja else en}")
            value = dialog.ask(Text(f"利用条件（番号、CC BY 4.0 のような名前、または URI）{star}",
                                    f"Rights (number, a name such as CC BY 4.0, or a URI){star}"), _rights)
        if value:
            setattr(args, name, value)
    args.asked = True


def answers_command(args: argparse.Namespace) -> str:
    """The command that gives the same answers again, for when add stops after the questions."""
    parts = ["sitegen", "add", *(str(p) for p in args.scans)]
    for name, _ in [("id", False), *FIELDS]:
        value = getattr(args, name, None)
        if value:
            parts += [f"--{name.replace('_', '-')}", value]
    return printable(" ".join(shlex.quote(p) for p in parts))
