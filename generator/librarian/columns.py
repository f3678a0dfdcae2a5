"""The catalogue spreadsheet: its encodings and the column names `sitegen import` understands.

Librarians export from Excel (CP932, or UTF-8 with a BOM) or from other tools (UTF-8). Column
names are those of the shared corpus (file, title_ja, …), the record's own field names
(title.ja, source.url, …) and the Japanese headings staff use.
"""
from __future__ import annotations

import csv
import difflib
import io
import unicodedata
from pathlib import Path

from ..errors import ContentErrors, Problem, Text

# column -> other names for it. Cells holding several values separate them with ';'.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "資料id", "識別子"),
    "file": ("files", "image", "images", "scan", "scans", "images.file", "ファイル", "画像", "画像ファイル"),
    "type": ("種類", "資料種別"),
    "title_ja": ("title", "title.ja", "タイトル", "資料名", "名称"),
    "title_en": ("title.en", "英語タイトル", "名称_英語"),
    "reading": ("title_reading", "title.reading", "よみ", "読み", "名称_よみ"),
    "artist_ja": ("creator_ja", "作者", "絵師"),
    "artist_en": ("creator_en", "作者_英語", "絵師_英語"),
    "creator_id": ("creator", "creators", "creators.id", "作者id"),
    "series": ("series_id", "シリーズ"),
    "date": ("date.text", "年代", "制作年"),
    "date_start": ("start", "date.start", "開始年"),
    "date_end": ("end", "date.end", "終了年"),
    "place_ja": ("place", "place.name", "place.name.ja", "場所"),
    "place_en": ("place.name.en", "場所_英語"),
    "lat": ("latitude", "place.lat", "緯度"),
    "lon": ("lng", "longitude", "place.lon", "経度"),
    "height_cm": ("dimensions.height_cm", "縦", "縦cm"),
    "width_cm": ("dimensions.width_cm", "横", "横cm"),
    "medium_ja": ("medium", "medium.ja", "技法", "材質"),
    "medium_en": ("medium.en",),
    "subjects": ("subject", "主題", "キーワード"),
    "description_ja": ("description", "description.ja", "説明", "解説"),
    "description_en": ("description.en", "説明_英語"),
    "institution": ("institution_ja", "source.institution", "source.institution.ja", "所蔵", "所蔵機関"),
    "institution_en": ("source.institution.en", "所蔵_英語"),
    "source_url": ("url", "source.url", "出典url"),
    "rights": ("license", "licence", "利用条件", "ライセンス"),
}
# Measured from the scan itself when needed, so a spreadsheet's copy is not used.
IGNORED = {"width_px", "height_px", "bytes"}
_ALIASES = {unicodedata.normalize("NFKC", a).casefold(): name for name, alts in COLUMNS.items()
            for a in (name, *alts)}


def decode(raw: bytes, rel: str) -> str:
    """UTF-8 (with or without BOM) or Shift_JIS/CP932, the two ways Excel saves Japanese CSV."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ContentErrors([Problem(
        rel, Text("文字コードが UTF-8 でも Shift_JIS（CP932）でもありません。",
                  "the file is neither UTF-8 nor Shift_JIS (CP932) text."),
        Text("Excel で「CSV UTF-8（コンマ区切り）」を選んで保存し直してください。",
             "save it again from Excel as 'CSV UTF-8 (Comma delimited)'."))])


def read_rows(path: Path, rel: str) -> tuple[dict[int, str], list[tuple[int, dict[str, str]]]]:
    """(column index -> column name, [(spreadsheet row number, {column: cell})]).

    Row numbers are those a spreadsheet shows: the header is row 1."""
    text = decode(path.read_bytes(), rel)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ContentErrors([Problem(rel, Text("ファイルが空です。", "the file is empty."),
                                     Text("1行目に列の名前（file, title_ja, …）を書いてください。",
                                          "put the column names (file, title_ja, …) in the first row."))]) from None
    columns: dict[int, str] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for i, heading in enumerate(header):
        key = unicodedata.normalize("NFKC", heading).strip().casefold()
        if not key or key in IGNORED:
            continue
        name = _ALIASES.get(key)
        if name is None:
            close = difflib.get_close_matches(key, list(_ALIASES), n=1)
            hint_ja = f"「{close[0]}」の書き間違いではありませんか。" if close else ""
            hint_en = f"did you mean '{close[0]}'? " if close else ""
            problems.append(Problem(rel, Text(f"列「{heading}」は知らない列名です。", f"unknown column '{heading}'."),
                                    Text(f"{hint_ja}使える列名: {', '.join(COLUMNS)}（読み込まない列: {', '.join(sorted(IGNORED))}）",
                                         f"{hint_en}known columns: {', '.join(COLUMNS)} (not read: {', '.join(sorted(IGNORED))})"),
                                    field=heading, line=1))
            continue
        if name in seen:
            problems.append(Problem(rel, Text(f"列「{heading}」は列「{seen[name]}」と同じ項目です。",
                                              f"column '{heading}' holds the same field as column '{seen[name]}'."),
                                    Text("どちらか一方の列を消してください。", "delete one of the two columns."),
                                    field=heading, line=1))
            continue
        seen[name] = heading
        columns[i] = name
    if problems:
        raise ContentErrors(problems)
    rows = []
    # Numbered as a spreadsheet shows them: a cell with line breaks is still one row.
    for number, row in enumerate(reader, start=2):
        cells = {columns[i]: unicodedata.normalize("NFC", cell).strip() for i, cell in enumerate(row) if i in columns}
        if any(cells.values()):
            rows.append((number, cells))
    return columns, rows


def split_cell(value: str) -> list[str]:
    return [v.strip() for v in value.replace("；", ";").split(";") if v.strip()]
