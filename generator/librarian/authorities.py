"""Loading the name authorities, matching names to them, and checking that records refer to
ids that exist. Called by content.py; the import uses NameIndex to link spreadsheet names."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from ..errors import ContentErrors, Problem, Text
from ..models.archive import Item
from ..models.authorities import Creator, Series
from ..models.common import Model, problems_from_validation
from ..yamlfile import LineMap, load_yaml

A = TypeVar("A", Creator, Series)
# items/<name>/ pages that are not items: the era browse page and the per-type pages.
RESERVED_ITEM_IDS = {"periods", "types", "page"}  # browse pages: items/periods/, items/types/…, items/page/2/
_MACRONS = str.maketrans("āīūēōĀĪŪĒŌâîûêôÂÎÛÊÔ", "aiueoAIUEOaiueoAIUEO")
# Words catalogues abbreviate or spell two ways; compared after lower-casing.
_WORDS = {"mt": "mount", "mt.": "mount", "no.": "no", "the": ""}


def name_key(name: str) -> str:
    """What 'the same name' means: NFKC, no case, no macrons, no spaces or punctuation,
    Mt. = Mount. 'Thirty-Six Views of Mt. Fuji' = 'Thirty-six Views of Mount Fuji'."""
    s = unicodedata.normalize("NFKC", name).translate(_MACRONS).casefold()
    words = [_WORDS.get(w, w) for w in re.split(r"[\s\-‐–—・･/,:;'\"’()（）「」『』]+", s) if w]
    return "".join(re.sub(r"[.。、,]", "", w) for w in words)


def _keys(name: str) -> set[str]:
    keys = {name_key(name)}
    words = unicodedata.normalize("NFKC", name).split()
    if 1 < len(words) <= 3:  # "Hokusai Katsushika": Western order of a Japanese name
        keys.add(name_key(" ".join(reversed(words))))
    return {k for k in keys if k}


class NameIndex:
    """Finds an authority by any of its names, in either language."""

    def __init__(self, entries: dict[str, Creator] | dict[str, Series]):
        self.by_key: dict[str, str] = {}
        self.ambiguous: set[str] = set()
        for entry in entries.values():
            for name in entry.names:
                for key in _keys(name):
                    if self.by_key.get(key, entry.id) != entry.id:
                        self.ambiguous.add(key)
                    self.by_key[key] = entry.id

    def find(self, name: str) -> str | None:
        keys = _keys(name)
        if keys & self.ambiguous:
            return None
        for key in keys:
            if key in self.by_key:
                return self.by_key[key]
        return None


def _load_list(root: Path, name: str, model: type[A], problems: list[Problem]) -> dict[str, A]:
    path = root / "archive" / name
    rel = f"archive/{name}"
    if not path.exists():
        return {}
    try:
        data, lines = load_yaml(path, rel)
    except ContentErrors as exc:
        problems.extend(exc.problems)
        return {}
    if data is None:
        return {}
    if not isinstance(data, list):
        problems.append(Problem(rel, Text("一覧（「- id: …」の箇条書き）になっていません。",
                                          "the file is not a list of entries ('- id: …')."),
                                Text("各項目を「- id: 」で始めてください。", "start each entry with '- id: '."), line=1))
        return {}
    out: dict[str, A] = {}
    for i, entry in enumerate(data):
        try:
            value = model.model_validate(entry)
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, rel, lines, model, prefix=(i,)))
            continue
        if value.id in out:
            problems.append(Problem(rel, Text(f"ID「{value.id}」が2回使われています。", f"the id '{value.id}' is used twice."),
                                    Text("どちらかの ID を変えるか、2つの項目をまとめてください。",
                                         "change one of the ids or merge the two entries."),
                                    field=f"[{i}].id", line=lines.get((i, "id"))))
            continue
        out[value.id] = value
    return out


def load_authorities(root: Path, items: list["Item"], problems: list[Problem]) -> tuple[dict[str, Creator], dict[str, Series]]:
    """Read creators.yml and series.yml and check every item's references to them."""
    creators = _load_list(root, "creators.yml", Creator, problems)
    series = _load_list(root, "series.yml", Series, problems)
    for sid, s in series.items():
        for j, cid in enumerate(s.creators):
            if cid not in creators:
                problems.append(_unknown("archive/series.yml", f"{sid}.creators[{j}]", None, cid, "creators.yml",
                                         creators))
    for item in items:
        rel = f"archive/{item.id}.yml"
        lines: LineMap | None = None
        if item.id in RESERVED_ITEM_IDS:
            problems.append(Problem(
                rel, Text(f"ID「{item.id}」は一覧ページ（items/{item.id}/）の名前なので、資料には使えません。",
                          f"the id '{item.id}' is the name of a browse page (items/{item.id}/), not usable for an item."),
                Text(f"ファイル名と id を {item.id}-1 のように変えてください。", f"rename the file and id, e.g. to {item.id}-1."),
                field="id", line=1))

        def line(loc: tuple) -> int | None:
            nonlocal lines
            if lines is None:  # read again only when there is something to report
                try:
                    lines = load_yaml(root / rel, rel)[1]
                except ContentErrors:
                    lines = {}
            return lines.get(loc)

        for j, ref in enumerate(item.creators):
            if ref.id is not None and ref.id not in creators:
                problems.append(_unknown(rel, f"creators[{j}].id", line(("creators", j, "id")), ref.id,
                                         "creators.yml", creators))
        if item.series is not None and item.series not in series:
            problems.append(_unknown(rel, "series", line(("series",)), item.series, "series.yml", series))
        if item.date is not None and item.date.start is None:
            problems.append(Problem(
                rel, Text(f"年代「{item.date.text}」を西暦の年に読み替えられませんでした（書かれたとおりに表示します）。",
                          f"the date '{item.date.text}' could not be read as years (it is shown as written)."),
                Text("安政4年、天保2–3年頃、文化年間、1857、1830–32、c. 1831 のように書くか、start: と end: に西暦を書いてください。",
                     "write it like 安政4年, 天保2–3年頃, 文化年間, 1857, 1830–32 or c. 1831, or give start: and end: years."),
                field="date.text", line=line(("date", "text")), severity="warning"))
    return creators, series


def _unknown(rel: str, field: str, line: int | None, value: str, file: str, known: dict[str, Model]) -> Problem:
    listing = ", ".join(sorted(known)) or "—"
    return Problem(
        rel, Text(f"「{value}」は archive/{file} にありません。", f"'{value}' is not in archive/{file}."),
        Text(f"archive/{file} に id: {value} の項目を加えるか、次の ID から選んでください: {listing}",
             f"add an entry with id: {value} to archive/{file}, or use one of: {listing}"),
        field=field, line=line)


def creator_name(creators: dict[str, Creator], ref, lang: str) -> str:
    """The name to show for a creator reference: the authority's, else the record's own."""
    if ref.id and ref.id in creators:
        return creators[ref.id].name.get(lang)
    return ref.name.get(lang) if ref.name else (ref.id or "")
