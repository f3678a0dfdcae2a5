"""A spreadsheet row as record fields: merged into the existing record, so the fields the
spreadsheet does not hold stay as they are. Problems are reported against row and column."""
from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

from ..errors import Problem, Text
from ..models.archive import ITEM_TYPES, TYPE_LABELS
from ..models.common import RIGHTS_EXAMPLES
from ..models.rights import canonical_rights
from .authorities import NameIndex
from .columns import shown, split_cell
from .plausibility import TitleFacts
from ..models.eras import parse as parse_date

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
_TYPES = {unicodedata.normalize("NFKC", k).casefold(): k for k in ITEM_TYPES} | {
    label: key for key, (label, _) in TYPE_LABELS.items()} | {
    en.casefold(): key for key, (_, en) in TYPE_LABELS.items()} | {"浮世絵版画": "ukiyo-e", "錦絵": "ukiyo-e", "古地図": "map"}

class Row:
    """Collects one row's problems; the row is bad when any of them is an error."""

    def __init__(self, rel: str, number: int, problems: list[Problem], options: dict[str, str] | None = None):
        self.rel, self.number, self.problems, self.bad = rel, number, problems, False
        self.options = options  # `sitegen add`: column -> the command-line option that sets it

    def report(self, column: str, what: Text, fix: Text | None, warning: bool = False) -> None:
        self.bad |= not warning
        severity = "warning" if warning else "error"
        if self.options is not None:
            option = self.options.get(column, column)
            self.problems.append(Problem(self.rel, what, fix, field=option, severity=severity))
            return
        where = Text(f"{self.number}行目、列「{column}」: ", f"row {self.number}, column '{column}': ")
        # "row 4, column 'type'" in the words of the spreadsheet, so no separate field name.
        self.problems.append(Problem(self.rel, Text(where.ja + what.ja, where.en + what.en), fix,
                                     line=self.number, severity=severity))


def _has_japanese(text: str) -> bool:
    return bool(_JAPANESE.search(text))


# A two-language field's English, as messages name it: field -> (ja, en, the English column).
_ENGLISH = {
    "title": ("英語のタイトル", "English title", "title_en"),
    "place": ("場所の英語名", "English place name", "place_en"),
    "medium": ("技法の英語", "English medium", "medium_en"),
    "description": ("英語の説明", "English description", "description_en"),
    "institution": ("所蔵機関の英語名", "English name of the institution", "institution_en"),
}


def _small_change(before: str, after: str) -> bool:
    """A correction (a typo, a word added) rather than another text."""
    a, b = (re.sub(r"\s+", "", unicodedata.normalize("NFKC", t)) for t in (before, after))
    return a in b or b in a or difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.8


def _set_lang(data: dict, key: str, ja: str, en: str, row: Row | None = None, ja_column: str = "",
              english: str = "", mirror: bool = True) -> None:
    """Set a two-language field from its cells so that the two languages agree: when only the
    Japanese changes, the English written for the old Japanese is kept if the change is small
    (with a warning to check it), and removed otherwise (the English page then shows the
    Japanese); either way the row says what happened."""
    if not ja and not en:
        return
    cur = data.get(key)
    cur = {"ja": cur} if isinstance(cur, str) else dict(cur or {})
    old_ja, old_en = cur.get("ja"), cur.get("en")
    if ja:
        cur["ja"] = ja
        if not en and old_en and old_ja and old_ja != ja:
            if old_en == old_ja:  # one text on both pages (an English name): it follows
                cur.pop("en")
            elif row is not None:
                label_ja, label_en, column = _ENGLISH[english or key]
                said = Text(f"{label_ja}「{shown(old_en)}」は、前の「{shown(old_ja)}」に合わせて書かれたものです（この表で「{shown(ja)}」に変わります）。",
                            f"the {label_en} '{shown(old_en)}' was written for the old '{shown(old_ja)}', which this "
                            f"row changes to '{shown(ja)}'.")
                if _small_change(old_ja, ja):
                    row.report(ja_column, Text(said.ja + "小さな直しなので、英語はそのまま残します。",
                                               said.en + " The change is small, so the English is kept."),
                               Text(f"英語がまだ合っているか確かめてください。変えるなら {column} 列を足してください。",
                                    f"check that the English still fits; to change it, add the column {column}."), warning=True)
                else:
                    cur.pop("en")
                    row.report(ja_column, Text(said.ja + "英語は消しました（英語のページには日本語が出ます）。",
                                               said.en + " The English was removed (English pages show the Japanese "
                                               "until there is English)."),
                               Text(f"{column} 列を足して、この行の英語を書いてください（前の英語が合っているなら、それを書いてください）。",
                                    f"add the column {column} with the English for this row (the old English, if it "
                                    "still fits)."), warning=True)
        if mirror and not en and not _has_japanese(ja) and not cur.get("en"):
            cur["en"] = ja  # "The Metropolitan Museum of Art" is English on both pages
    if en:
        cur["en"] = en
        if mirror and "ja" not in cur and not _has_japanese(en):
            cur["ja"] = en  # only an English name is known: Japanese pages show it as written
    data[key] = cur


def _number(text: str, kind: type) -> Any:
    """'35.45' -> 35.45 so the record holds a number; anything else is left for validation to name."""
    try:
        value = kind(unicodedata.normalize("NFKC", text))
    except ValueError:
        return text
    return value



def merge(data: dict, item_id: str, cells: dict[str, str], sources: list, rights: str | None, row: Row,
           creator_index: NameIndex, creators: dict, series_index: NameIndex, series: dict,
           readings: TitleFacts | None = None) -> dict:
    data["id"] = item_id
    if cells.get("type"):
        key = _TYPES.get(unicodedata.normalize("NFKC", cells["type"]).casefold())
        if key is None:
            row.report("type", Text(f"種類「{shown(cells['type'])}」は使えません。", f"'{shown(cells['type'])}' is not a known type."),
                       Text(f"次のどれかを書いてください: {', '.join(ITEM_TYPES)}", f"use one of: {', '.join(ITEM_TYPES)}"))
        else:
            data["type"] = key
    old_title = (data.get("title") or {}).get("ja") if isinstance(data.get("title"), dict) else data.get("title")
    _set_lang(data, "title", cells.get("title_ja", ""), cells.get("title_en", ""), row, "title_ja", mirror=False)
    title = {"ja": data["title"]} if isinstance(data.get("title"), str) else dict(data.get("title") or {})
    if cells.get("reading"):
        title["reading"] = cells["reading"]
    elif (old_title and title.get("reading") and title.get("ja") != old_title and readings is not None
          and not readings.fits(title["ja"], title["reading"])):
        row.report("title_ja", Text(f"読み「{shown(title['reading'])}」は前のタイトル「{shown(old_title)}」のもので、"
                                    f"新しいタイトル「{shown(title['ja'])}」の読みではないので消しました"
                                    "（検索とオープンデータはタイトルから読みを作ります）。",
                                    f"the reading '{shown(title['reading'])}' was for the old title '{shown(old_title)}', "
                                    f"not for '{shown(title['ja'])}', so it was removed (search and the open data read the "
                                    "title by themselves until there is one)."),
                   Text("reading 列を足して、新しいタイトルの読みを書いてください。",
                        "add a reading column with the reading of the new title."), warning=True)
        title.pop("reading")
    data["title"] = title
    artists = _artists(cells, row, creator_index, creators, data.get("creators") or [])
    if artists:
        data["creators"] = artists + [c for c in data.get("creators") or [] if c.get("role", "artist") != "artist"]
    if cells.get("series"):
        sid = cells["series"] if cells["series"] in series else series_index.find(cells["series"])
        if sid is None:
            row.report("series", Text(f"シリーズ「{shown(cells['series'])}」は archive/series.yml にありません。",
                                      f"no series in archive/series.yml is called '{shown(cells['series'])}'."),
                       Text("archive/series.yml にそのシリーズ（id、title）を加えるか、variants に別の書き方を足してください。",
                            "add the series (id, title) to archive/series.yml, or add this spelling to its variants."))
        else:
            data["series"] = sid
    if cells.get("date"):
        old_date = data.get("date") if isinstance(data.get("date"), dict) else {}
        date = {"text": cells["date"]}
        if old_date.get("text") == cells["date"]:
            date = dict(old_date)  # years a librarian wrote by hand stay
        for column, key in (("date_start", "start"), ("date_end", "end")):
            if cells.get(column):
                date[key] = _number(cells[column], int)
        data["date"] = date
        if "start" not in date and parse_date(cells["date"]) is None:
            row.report("date", Text(f"年代「{shown(cells['date'])}」を西暦に読み替えられません（書かれたとおりに載せます）。",
                                    f"the date '{shown(cells['date'])}' cannot be read as years (it is kept as written)."),
                       Text("安政4年、天保2–3年頃、1830–32 のように書くか、date_start / date_end 列に西暦を書いてください。",
                            "write it like 安政4年, 天保2–3年頃 or 1830–32, or add date_start / date_end columns."), warning=True)
    if cells.get("place_ja") or cells.get("place_en") or cells.get("lat") or cells.get("lon"):
        place = dict(data.get("place") or {})
        name = place.get("name")
        place["name"] = {"ja": name} if isinstance(name, str) else dict(name or {})
        _set_lang(place, "name", cells.get("place_ja", ""), cells.get("place_en", ""), row, "place_ja", "place")
        for key in ("lat", "lon"):
            if cells.get(key):
                place[key] = _number(cells[key], float)
        data["place"] = place
    if cells.get("height_cm") or cells.get("width_cm"):
        dims = dict(data.get("dimensions") or {})
        for key in ("height_cm", "width_cm"):
            if cells.get(key):
                dims[key] = _number(cells[key], float)
        data["dimensions"] = dims
    _set_lang(data, "medium", cells.get("medium_ja", ""), cells.get("medium_en", ""), row, "medium_ja")
    _set_lang(data, "description", cells.get("description_ja", ""), cells.get("description_en", ""), row,
              "description_ja")
    if cells.get("subjects"):
        data["subjects"] = [s for s in re.split(r"[;；、,]", cells["subjects"]) if s.strip()]
        data["subjects"] = [s.strip() for s in data["subjects"]]
    if cells.get("institution") or cells.get("institution_en") or cells.get("source_url"):
        source = dict(data.get("source") or {})
        _set_lang(source, "institution", cells.get("institution", ""), cells.get("institution_en", ""), row,
                  "institution")
        if cells.get("source_url"):
            source["url"] = cells["source_url"]
        data["source"] = source
    value = rights or cells.get("rights", "")
    if value:
        canonical = canonical_rights(value)
        if canonical is None:
            row.report("rights", Text(f"「{shown(value)}」は実在するライセンスや権利表示ではありません（文章の権利表示は受け付けません）。",
                                      f"'{shown(value)}' is not an existing licence or rights statement "
                                      "(rights written as prose are not accepted)."),
                       Text(f"URI か CC0・CC BY 4.0 のような名前で書いてください（例: {RIGHTS_EXAMPLES}）。"
                            "全行に同じものを使うなら --rights を付けてください。",
                            f"write a URI or a name such as CC0 or CC BY 4.0 (for example {RIGHTS_EXAMPLES}), "
                            "or give --rights to set one for every row."))
        data["rights"] = canonical or value
    elif not data.get("rights"):
        row.report("rights", Text("利用条件（rights）がありません。", "there are no rights."),
                   Text(f"rights 列に URI を書くか、--rights URI を付けてください（例: {RIGHTS_EXAMPLES}）。",
                        f"fill the rights column or give --rights URI (for example {RIGHTS_EXAMPLES})."))
    if sources:
        by_file = {s.get("file"): s for s in data.get("images") or [] if isinstance(s, dict)}
        data["images"] = [by_file.get(name, {"file": name}) for _, name, _ in sources]
    return data


def _artists(cells: dict[str, str], row: Row, index: NameIndex, creators: dict, before: list) -> list[dict]:
    out: list[dict] = []
    names_ja, names_en = split_cell(cells.get("artist_ja", "")), split_cell(cells.get("artist_en", ""))
    # The record's own English names of its artists, by their Japanese name: a row naming the
    # same artist in Japanese only keeps the English (a name in creators.yml brings its own).
    english = {c["name"].get("ja"): c["name"]["en"] for c in before if isinstance(c, dict)
               and c.get("role", "artist") == "artist" and isinstance(c.get("name"), dict) and c["name"].get("en")}
    for k in range(max(len(names_ja), len(names_en))):
        ja = names_ja[k] if k < len(names_ja) else ""
        en = names_en[k] if k < len(names_en) else ""
        cid = (index.find(ja) if ja else None) or (index.find(en) if en else None)
        if cid:
            out.append({"id": cid, "name": {"ja": creators[cid].name.ja, **({"en": creators[cid].name.en} if creators[cid].name.en else {})},
                        "role": "artist"})
            continue
        column = "artist_ja" if ja else "artist_en"
        if ja and not en and english.get(ja):
            en = english[ja]
        row.report(column, Text(f"作者「{shown(ja or en)}」は archive/creators.yml にありません（名前のまま載せます）。",
                                f"'{shown(ja or en)}' is not in archive/creators.yml (the name is kept as written)."),
                   Text("archive/creators.yml にその人を加えるか、aliases にこの書き方を足すと、作者のページにつながります。",
                        "add the person to archive/creators.yml, or this spelling to their aliases, to link the name."),
                   warning=True)
        out.append({"name": {"ja": ja or en, **({"en": en} if en else {})}, "role": "artist"})
    for cid in split_cell(cells.get("creator_id", "")):
        if cid not in creators:
            row.report("creator_id", Text(f"「{shown(cid)}」は archive/creators.yml にありません。", f"'{shown(cid)}' is not in archive/creators.yml."),
                       Text("creators.yml の id を書いてください。", "use an id from creators.yml."))
            continue
        if not any(a.get("id") == cid for a in out):
            out.append({"id": cid, "name": {"ja": creators[cid].name.ja, **({"en": creators[cid].name.en} if creators[cid].name.en else {})},
                        "role": "artist"})
    return out
