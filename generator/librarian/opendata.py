"""Open data under data/: bunkazai.csv in the national 推奨データセット「文化財一覧」 format,
items.json with every record, and the data page that lists the downloads with their licence.

bunkazai.csv starts with a byte order mark: Excel, which most re-users of a ward's data open
it with, reads a CSV without one as Shift_JIS and shows the Japanese garbled. Programs read
it as UTF-8 with the mark (Python's utf-8-sig, pandas, R's readr do so by default)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import pickle

from ..cache import write_atomic
from ..content import Content
from ..context import BuildContext, code_digest
from ..iiif.derive import ItemImages
from ..models.archive import TYPE_LABELS, Item
from ..render.docs import render_page
from ..stages import Derived
from ..search.normalise import reading as title_reading
from .authorities import creator_name
from ..models.eras import display as date_display

# 推奨データセット 文化財一覧: the 34 columns, in the standard's order.
BUNKAZAI_COLUMNS = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ", "名称_通称", "名称_英語",
    "文化財分類", "種類", "場所名称", "住所", "方書", "緯度", "経度", "電話番号", "内線番号", "員数（数）", "員数（単位）",
    "法人番号", "所有者等", "文化財指定日", "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "画像",
    "画像_ライセンス", "概要", "概要_英語", "説明", "説明_英語", "URL", "備考",
]
UNITS = {"ukiyo-e": "枚", "map": "枚", "book": "冊", "document": "枚", "photo": "枚"}
# 種類 in the words of 美術工芸品 designations (絵画, 書跡・典籍, 古文書, 歴史資料), so the rows sort
# beside other wards' holdings; 文化財分類 stays empty: these items are not designated.
KINDS = {"ukiyo-e": "絵画", "map": "歴史資料", "book": "書跡・典籍", "document": "古文書", "photo": "歴史資料"}
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# Files other steps publish under data/, described on the data page when present.
OTHER_FILES = {"events.csv": ("教室・相談会の一覧（推奨データセット「イベント一覧」）",
                              "Classes and consultations (national open-data event list format)")}


def katakana(reading: str) -> str:
    """名称_カナ is written in katakana; librarians write readings in hiragana."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in reading)


def _image_url(ctx: BuildContext, published: ItemImages | None) -> str:
    if published is None or not published.images:
        return ""
    return ctx.url(published.images[0].size_path(1200))


def _summary(content: Content, item: Item, lang: str) -> str:
    parts = [creator_name(content.creators, c, lang) for c in item.creators if c.role == "artist"]
    if item.series and item.series in content.series:
        s = content.series[item.series].title
        parts.append(s.en if lang == "en" and s.en else s.ja)
    if item.date:
        parts.append(date_display(item.date.text, item.date.start, item.date.end, lang))
    if item.medium:
        parts.append(item.medium.get(lang))
    return ("　" if lang == "ja" else "; ").join(p for p in parts if p)


def bunkazai_rows(content: Content, ctx: BuildContext, iiif: dict[str, ItemImages],
                  numbered: list[tuple[int, Item]] | None = None) -> list[list[str]]:
    """The rows of these items (with their NO), or of every item in id order."""
    ward = ctx.config.ward
    rows = []
    if numbered is None:
        numbered = list(enumerate(sorted(content.items, key=lambda i: i.id), start=1))
    for no, item in numbered:
        place_note = ""
        if item.place is not None:
            place_note = f"描かれた場所: {item.place.name.ja}"
            if item.place.has_coordinates:
                place_note += f"（{item.place.lat}, {item.place.lon}）"
        owner = item.source.institution.ja if item.source else ""
        row = {
            "都道府県コード又は市区町村コード": ward.code, "NO": str(no), "都道府県名": ward.prefecture,
            # A record without a reading gets the one search uses (pykakasi's): 名称_カナ is how
            # re-users sort and search the list, and an empty one drops the item from both.
            "市区町村名": ward.city, "名称": item.title.ja,
            "名称_カナ": katakana(item.title.reading or title_reading(item.title.ja)),
            "名称_英語": item.title.en or "", "種類": KINDS[item.type],
            # 場所名称/緯度/経度 are where the property is kept, not the place a print shows (that goes in 備考).
            "場所名称": owner, "電話番号": ward.phone, "員数（数）": "1", "員数（単位）": UNITS[item.type],
            "所有者等": owner, "利用可能日時特記事項": "デジタルアーカイブで常時閲覧できます",
            "画像": _image_url(ctx, iiif.get(item.id)), "画像_ライセンス": item.rights,
            "概要": _summary(content, item, "ja"), "概要_英語": _summary(content, item, "en"),
            "説明": item.description.ja if item.description else "",
            "説明_英語": (item.description.en or "") if item.description else "",
            "URL": ctx.url(f"items/{item.id}/"),
            "備考": "　".join(p for p in (f"資料ID: {item.id}", f"資料の種類: {TYPE_LABELS[item.type][0]}", place_note) if p),
        }
        rows.append([row.get(column, "") for column in BUNKAZAI_COLUMNS])
    return rows


def _csv_lines(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)  # RFC 4180, as the standard's template
    return out.getvalue()


def bunkazai_csv(lines: list[tuple[str, str]]) -> str:
    """The CSV file of the items' lines (_item_lines)."""
    return "\ufeff" + _csv_lines([BUNKAZAI_COLUMNS]) + "".join(row for row, _ in lines)


def _item_json(ctx: BuildContext, item: Item) -> str:
    record = item.model_dump(mode="json", exclude_none=True)
    record["url"] = {"ja": ctx.url(f"items/{item.id}/"), "en": ctx.url(f"items/{item.id}/", "en")}
    if item.images:
        record["manifest"] = ctx.url(f"iiif/{item.id}/manifest.json")
    return json.dumps(record, ensure_ascii=False)


def items_json(content: Content, ctx: BuildContext, lines: list[tuple[str, str]]) -> str:
    """items.json of the items' lines (_item_lines) and the authorities."""
    data = {"site": ctx.site_url, "generated": ctx.today.isoformat(), "license": _license(ctx),
            "items": [RawJSON(line) for _, line in lines],
            "creators": [c.model_dump(mode="json", exclude_none=True) for c in content.creators.values()],
            "series": [s.model_dump(mode="json", exclude_none=True) for s in content.series.values()]}
    return _json_by_lines(data)


class RawJSON(str):
    """A value already written as JSON."""


def _item_lines(content: Content, ctx: BuildContext, derived: Derived) -> list[tuple[str, str]]:
    """Each item's CSV row and JSON record, in id order. Kept from the last build by what
    they are made of (the item and what is derived from it, its row number, the settings,
    the authorities), so that a one-record rebuild makes one line again, not every line."""
    ward = ctx.config.ward
    base = hashlib.sha256("\0".join([
        code_digest(), ctx.site_url, repr(ward), repr(sorted(ctx.config.raw.items(), key=str)),
        repr(sorted(content.creators.items())), repr(sorted(content.series.items()))]).encode("utf-8")).hexdigest()
    path = ctx.cache / "opendata" / "lines.pickle"
    try:
        before = pickle.loads(path.read_bytes())
        if before.get("base") != base:
            before = {}
    except Exception:  # none yet, or unreadable: make every line
        before = {}
    kept = before.get("lines", {})
    digests = derived.item_digests
    ordered = sorted(content.items, key=lambda i: i.id)
    now: dict[str, tuple[str, str, str]] = {}
    fresh = [(no, item) for no, item in enumerate(ordered, start=1)
             if not ((hit := kept.get(item.id)) and hit[0] == f"{no}:{digests[item.id]}")]
    rows = {item.id: _csv_lines([row]) for (_, item), row in zip(fresh, bunkazai_rows(content, ctx, derived.iiif, fresh))}
    for no, item in enumerate(ordered, start=1):
        if item.id in rows:
            now[item.id] = (f"{no}:{digests[item.id]}", rows[item.id], _item_json(ctx, item))
        else:
            now[item.id] = kept[item.id]
    if now != kept:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, pickle.dumps({"base": base, "lines": now}, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written only costs time
    return [(row, record) for _, row, record in now.values()]


def _json_by_lines(data: dict) -> str:
    """JSON with one record per line: readable and diffable (an edit is one changed line),
    and written by json's C encoder, which an indented dump does not use."""
    parts = []
    for key, value in data.items():
        name = json.dumps(key, ensure_ascii=False)
        if isinstance(value, list) and value:
            rows = ",\n".join(" " + (v if isinstance(v, RawJSON) else json.dumps(v, ensure_ascii=False)) for v in value)
            parts.append(f"{name}: [\n{rows}\n]")
        else:
            parts.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _license(ctx: BuildContext) -> str:
    return str((ctx.config.raw.get("extra") or {}).get("open_data_license") or DEFAULT_LICENSE)


def write(content: Content, ctx: BuildContext, derived: Derived) -> None:
    folder = ctx.static / "data"
    folder.mkdir(parents=True, exist_ok=True)
    lines = _item_lines(content, ctx, derived)
    (folder / "bunkazai.csv").write_text(bunkazai_csv(lines), encoding="utf-8", newline="")
    (folder / "items.json").write_text(items_json(content, ctx, lines), encoding="utf-8")
    files = [
        {"name": "bunkazai.csv", "ja": "所蔵資料の一覧（推奨データセット「文化財一覧」の34項目）",
         "en": "The archive's items (national open-data format 文化財一覧, 34 columns; Japanese headings)",
         "format": "CSV (UTF-8)", "count": len(content.items)},
        {"name": "items.json", "ja": "すべての資料の記録（全項目）と作者・シリーズの典拠",
         "en": "Every item record in full, with the creator and series authorities",
         "format": "JSON", "count": len(content.items)},
    ]
    for name, (ja, en) in OTHER_FILES.items():
        if (folder / name).exists():
            files.append({"name": name, "ja": ja, "en": en, "format": "CSV (UTF-8)", "count": None})
    ctx.add_nav(90, "オープンデータ", "Open data", "data/index.md")
    render_page(ctx, "data/index.md", "data.md.j2", {"ja": "オープンデータ", "en": "Open data"},
                files=files, license=_license(ctx))
