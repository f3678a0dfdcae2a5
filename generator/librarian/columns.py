"""The catalogue spreadsheet: its encodings and the column names `sitegen import` understands.

Librarians export from Excel (CP932, or UTF-8 with a BOM) or from other tools (UTF-8). Column
names are those of the shared corpus (file, title_ja, …), the record's own field names
(title.ja, source.url, …) and the Japanese headings staff use.
"""
from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from pathlib import Path
from typing import Iterator

from ..errors import ContentErrors, Problem, Text, printable

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


# A catalogue of 10,000 items with long descriptions is a few MB; a file far larger than
# this is not a catalogue (and would be read into memory whole).
MAX_BYTES = 100 * 1024 * 1024
# Named columns in row 1: the import knows 28, so a header naming more than this is not a
# catalogue (an export of a whole database, or a file that is not CSV at all).
MAX_COLUMNS = 100
# Problems listed for one file before the rest are summed up in one line.
MAX_PROBLEMS = 20
# What a file that is not CSV text starts with, and what to call it.
_NOT_CSV = [
    (b"PK\x03\x04", "Excel のブック（.xlsx）などの圧縮されたファイル", "an Excel workbook (.xlsx) or another zipped document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "古い形式の Excel のブック（.xls）", "an old-style Excel workbook (.xls)"),
    (b"\x89PNG\r\n\x1a\n", "PNG 画像", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG 画像", "a JPEG image"),
    (b"GIF8", "GIF 画像", "a GIF image"),
    (b"II*\x00", "TIFF 画像", "a TIFF image"),
    (b"MM\x00*", "TIFF 画像", "a TIFF image"),
    (b"%PDF-", "PDF", "a PDF document"),
    (b"\xff\xfe", "UTF-16 のテキスト（Excel の「Unicode テキスト」）", "UTF-16 text (Excel's 'Unicode Text')"),
    (b"\xfe\xff", "UTF-16 のテキスト（Excel の「Unicode テキスト」）", "UTF-16 text (Excel's 'Unicode Text')"),
]
_SAVE_AS_CSV = Text("Excel などで開き、「名前を付けて保存」で「CSV UTF-8（コンマ区切り）」を選んで保存し、その .csv ファイルを指定してください。",
                    "open it in Excel (or another spreadsheet), choose Save As > 'CSV UTF-8 (Comma delimited)', and import that .csv file.")
# Control characters (C0 but tab and line breaks, DEL, C1): invisible in a spreadsheet, and
# an escape sequence in a message would be acted on by the terminal.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0: "NUL", 0x1b: "ESC", 0x7f: "DEL"}


def shown(value: str, limit: int = 60) -> str:
    """A cell quoted in a message: one line, control characters shown as \\x.., and short."""
    value = printable(value)
    return value if len(value) <= limit else value[:limit - 1] + "…"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet labels it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _refuse(rel: str, what: Text, fix: Text, line: int | None = None) -> ContentErrors:
    return ContentErrors([Problem(rel, what, fix, line=line)])


def _not_csv(raw: bytes, rel: str) -> None:
    for magic, ja, en in _NOT_CSV:
        if raw.startswith(magic):
            raise _refuse(rel, Text(f"CSV ファイルではなく、{ja}です。", f"this is not a CSV file but {en}."), _SAVE_AS_CSV)
    if b"\0" in raw[:8192] and raw[:8192].count(b"\0") > 8:
        raise _refuse(rel, Text("CSV（文字だけのファイル）ではありません（文字でないデータが入っています）。",
                                "this is not a CSV file: it holds binary data, not text."), _SAVE_AS_CSV)


def decode(raw: bytes, rel: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM) or Shift_JIS/CP932, the two ways Excel
    saves Japanese CSV."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise _refuse(rel, Text("文字コードが UTF-8 でも Shift_JIS（CP932）でもありません。",
                            "the file is neither UTF-8 nor Shift_JIS (CP932) text."),
                  Text("Excel で「CSV UTF-8（コンマ区切り）」を選んで保存し直してください。",
                       "save it again from Excel as 'CSV UTF-8 (Comma delimited)'."))


def _read(path: Path, rel: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _refuse(rel, Text(f"ファイルが大きすぎます（{size // (1024 * 1024):,} MB、上限は {MAX_BYTES // (1024 * 1024)} MB）。目録の CSV ではないようです。",
                                    f"the file is too large for a catalogue ({size // (1024 * 1024):,} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB)."),
                          Text("目録を書き出した CSV ファイルか確かめてください。大きな目録は何回かに分けて取り込めます。",
                               "check that this is the catalogue exported as CSV; a very large catalogue can be imported in parts."))
        return path.read_bytes()
    except OSError as exc:
        raise _refuse(rel, Text(f"ファイルを読めません（{exc.strerror}）。", f"cannot read the file ({exc.strerror})."),
                      Text("ファイルの場所と、読む権限があるかを確かめてください。", "check the path and that you may read the file.")) from exc


def _control(cell: str) -> str | None:
    found = CONTROL_CHARS.search(cell)
    if not found:
        return None
    code = ord(found.group())
    name = _CONTROL_NAMES.get(code, "")
    return f"\\x{code:02x}" + (f", {name}" if name else "")


def _rows(text: str, rel: str) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells); a cell over the csv module's field limit (a quote
    that opens a cell and is never closed swallows the rest of the file) is named by row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    number, line = 0, 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            at = number + 1
            if "field larger than field limit" in str(exc):
                limit = csv.field_size_limit()
                raise _refuse(rel, Text(f"{at}行目（ファイルの {line}行目から）: 1つのセルが {limit:,} 文字を超えています。閉じていない「\"」があると、そこからファイルの終わりまでが1つのセルになります。",
                                        f"row {at} (from line {line} of the file): a cell is longer than {limit:,} characters. "
                                        "A cell that opens with a quote (\") that is never closed takes in the rest of the file."),
                              Text(f"{at}行目で「\"」で始まるセルを探し、閉じる「\"」を足すか、その「\"」を消してください（セルの中の「\"」は「\"\"」と2つ続けて書きます）。",
                                   f"find the cell in row {at} that starts with a quote and close it, or remove that quote "
                                   "(a quote inside a cell is written twice: \"\")."), line=at) from None
            raise _refuse(rel, Text(f"{at}行目（ファイルの {line}行目から）: CSV として読めません（{shown(str(exc))}）。",
                                    f"row {at} (from line {line} of the file): it cannot be read as CSV ({shown(str(exc))})."),
                          Text("Excel で開き、「CSV UTF-8（コンマ区切り）」で保存し直してください。",
                               "open it in Excel and save it again as 'CSV UTF-8 (Comma delimited)'."), line=at) from None
        number += 1
        yield number, row
        line = reader.line_num + 1


def _summed_up(problems: list[Problem], rel: str) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [Problem(rel, Text(f"ほかにも {rest:,} 件の問題があります（最初の {MAX_PROBLEMS} 件を示しました）。",
                                                         f"{rest:,} more problems like these (the first {MAX_PROBLEMS} are shown)."),
                                              Text("上の問題を直してから、もう一度実行してください。",
                                                   "fix the ones above, then run it again."))]


def _header(header: list[str], rel: str) -> dict[int, str]:
    """column index -> column name, from row 1; raises ContentErrors naming each bad heading."""
    named = [h for h in header if h.strip()]
    if not named:
        raise _refuse(rel, Text("1行目に列の名前がありません。", "row 1 names no columns."),
                      Text("1行目に列の名前（file, title_ja, …）を書いてください。",
                           "put the column names (file, title_ja, …) in row 1."), line=1)
    if len(named) > MAX_COLUMNS:
        raise _refuse(rel, Text(f"1行目に {len(named):,} 個の列の名前があります。読み込める列は {MAX_COLUMNS} 個までです。",
                                f"row 1 names {len(named):,} columns; a catalogue has at most {MAX_COLUMNS}."),
                      Text(f"目録の列だけを残してください（使える列名: {', '.join(COLUMNS)}）。",
                           f"keep only the catalogue's columns (known columns: {', '.join(COLUMNS)})."), line=1)
    columns: dict[int, str] = {}
    problems: list[Problem] = []
    unknown: list[str] = []
    seen: dict[str, int] = {}
    for i, heading in enumerate(header):
        key = unicodedata.normalize("NFKC", heading).strip().casefold()
        if not key or key in IGNORED:
            continue
        letter = column_letter(i)
        control = _control(heading)
        if control:
            problems.append(Problem(rel, Text(f"{letter}列の名前に見えない制御文字（{control}）が入っています。",
                                              f"the name of column {letter} holds an invisible control character ({control})."),
                                    Text("その列の名前を打ち直してください。", "type that column name again."), line=1))
            continue
        name = _ALIASES.get(key)
        if name is None:
            unknown.append(heading)
            close = difflib.get_close_matches(key, list(_ALIASES), n=1)
            hint_ja = f"「{close[0]}」の書き間違いではありませんか。" if close else ""
            hint_en = f"did you mean '{close[0]}'? " if close else ""
            problems.append(Problem(rel, Text(f"列「{shown(heading)}」（{letter}列）は知らない列名です。",
                                              f"unknown column '{shown(heading)}' (column {letter})."),
                                    Text(f"{hint_ja}使える列名: {', '.join(COLUMNS)}（読み込まない列: {', '.join(sorted(IGNORED))}）",
                                         f"{hint_en}known columns: {', '.join(COLUMNS)} (not read: {', '.join(sorted(IGNORED))})"),
                                    field=heading, line=1))
            continue
        if name in seen:
            first = seen[name]
            same = unicodedata.normalize("NFKC", header[first]).strip().casefold() == key
            what = (Text(f"列「{shown(heading)}」が2つあります（{column_letter(first)}列と{letter}列）。",
                         f"there are two columns called '{shown(heading)}' (columns {column_letter(first)} and {letter}).")
                    if same else
                    Text(f"列「{shown(heading)}」（{letter}列）は列「{shown(header[first])}」（{column_letter(first)}列）と同じ項目です。",
                         f"column '{shown(heading)}' (column {letter}) holds the same field as column "
                         f"'{shown(header[first])}' (column {column_letter(first)})."))
            problems.append(Problem(rel, what, Text("どちらか一方の列を消すか、2つの列を1つにまとめてください。",
                                                    "delete one of the two columns, or merge them into one."),
                                    field=heading, line=1))
            continue
        seen[name] = i
        columns[i] = name
    if problems:
        raise ContentErrors(_summed_up(problems, rel))
    return columns


def read_rows(path: Path, rel: str) -> tuple[dict[int, str], list[tuple[int, dict[str, str]]], str]:
    """(column index -> column name, [(spreadsheet row number, {column: cell})], encoding).

    Row numbers are those a spreadsheet shows: the header is row 1. Anything that is not a
    readable catalogue raises ContentErrors naming the file, the row and the column."""
    raw = _read(path, rel)
    _not_csv(raw, rel)
    text, encoding = decode(raw, rel)
    rows_in = _rows(text, rel)
    header: list[str] = []
    for _, header in rows_in:
        break
    if not any(h.strip() for h in header) and not text.strip(" \t\r\n,\ufeff"):
        raise _refuse(rel, Text("ファイルが空です。", "the file is empty."),
                      Text("1行目に列の名前（file, title_ja, …）を書き、2行目から1行に1点ずつ書いてください。",
                           "put the column names (file, title_ja, …) in row 1 and one item a row below it."))
    columns = _header(header, rel)
    names = {i: header[i].strip() or column_letter(i) for i in range(len(header))}
    problems: list[Problem] = []
    rows = []
    # Numbered as a spreadsheet shows them: a cell with line breaks is still one row.
    for number, row in rows_in:
        for i, cell in enumerate(row):
            control = _control(cell)
            if control:
                column = names.get(i, column_letter(i))
                problems.append(Problem(rel, Text(f"{number}行目、列「{shown(column)}」: 「{shown(cell)}」に見えない制御文字（{control}）が入っています。",
                                                  f"row {number}, column '{shown(column)}': '{shown(cell)}' holds an invisible control character ({control})."),
                                        Text("そのセルを打ち直してください（ほかのソフトから貼り付けたときに入ることがあります）。",
                                             "type the cell again (such characters come in with text pasted from other programs)."),
                                        line=number))
        extra = [i for i in range(len(header), len(row)) if row[i].strip()]
        if extra:
            problems.append(Problem(rel, Text(f"{number}行目のセルが {len(row)} 個あり、1行目の列の数（{len(header)}）より多くなっています（{column_letter(extra[0])}列に「{shown(row[extra[0]], 30)}」）。",
                                              f"row {number} has {len(row)} cells, more than the {len(header)} columns row 1 names "
                                              f"('{shown(row[extra[0]], 30)}' in column {column_letter(extra[0])})."),
                                    Text("「,」を含むセルが「\"」で囲まれていないと、その先が右にずれます。そのセルを \"…\" で囲むか、Excel で保存し直してください。",
                                         "a cell holding a comma must be in quotes (\"…\"), or the cells after it move right; "
                                         "quote that cell, or save the file again from Excel."),
                                    line=number))
            continue
        cells = {columns[i]: unicodedata.normalize("NFC", cell).strip() for i, cell in enumerate(row) if i in columns}
        if any(cells.values()):
            rows.append((number, cells))
    if problems:
        raise ContentErrors(_summed_up(problems, rel))
    if not rows:
        raise _refuse(rel, Text("1行目に列の名前はありますが、資料の行がありません。",
                                "row 1 names the columns, but there are no rows of items below it."),
                      Text("2行目から1行に1点ずつ資料を書いてください（または正しいファイルを指定してください）。",
                           "write one item a row from row 2 (or check that this is the right file)."))
    return columns, rows, encoding


def split_cell(value: str) -> list[str]:
    return [v.strip() for v in value.replace("；", ";").split(";") if v.strip()]


# --- characters an Excel Shift_JIS save lost ------------------------------------------------
# Excel's "CSV (コンマ区切り)" is Shift_JIS (CP932): a character it cannot hold (ō, ū, 𠮷, 﨑 in
# some fonts, ①…) is written as '?', and the text is damaged for good. Columns of free text,
# where such a '?' is a lost character (id, file, URLs and numbers are checked elsewhere).
TEXT_COLUMNS = {"title_ja", "title_en", "reading", "artist_ja", "artist_en", "series", "date", "place_ja", "place_en",
                "medium_ja", "medium_en", "subjects", "description_ja", "description_en", "institution",
                "institution_en", "type"}
_JA = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f"
# A '?' inside a word (Sens?ji, T?kaid?), at the start of one (?飾), or touching Japanese text,
# which writes its question mark full-width (？).
_LOST = re.compile(rf"(?<=\w)\?(?=\w)|^\?(?=\w)|(?<=[{_JA}])\?|\?(?=[{_JA}])")
SAVE_AS_UTF8 = Text("Excel で「名前を付けて保存」を選び、ファイルの種類を「CSV UTF-8（コンマ区切り）」にして保存し直し、そのファイルを取り込んでください。",
                    "in Excel choose Save As and the type 'CSV UTF-8 (コンマ区切り)' (CSV UTF-8, comma delimited), "
                    "then import that file.")


def cp932_lost(cell: str) -> bool:
    """True when a cell of a Shift_JIS file has a '?' where a character was."""
    return "?" in cell and bool(_LOST.search(cell))


def near(text: str, at: int, width: int = 20) -> str:
    """The part of a long cell around position at, for a message: '…Shin-?hashi Bri…'."""
    start, end = max(0, at - width), min(len(text), at + width)
    return shown(("…" if start else "") + text[start:end] + ("…" if end < len(text) else ""), 2 * width + 2)


def lost_position(cell: str) -> int:
    found = _LOST.search(cell)
    return found.start() if found else cell.find("?")


def cp932_damaged(good: str, cell: str) -> bool:
    """True when cell is good as a Shift_JIS save leaves it: each character CP932 cannot hold
    became '?' (or, by Windows' best fit, its letter without the accent: ō -> o)."""
    if cell == good or len(cell) != len(good) or "?" not in cell and good.isascii():
        return False
    lost = False
    for was, now in zip(good, cell):
        if was == now:
            continue
        try:
            was.encode("cp932")
            return False  # a character Shift_JIS holds was changed: an edit, not a loss
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", was)[:1]
            if now not in ("?", base):
                return False
            lost = True
    return lost
