"""`sitegen import CATALOGUE.csv --images DIR`: one item per spreadsheet row.

Everything is checked before anything is written: a bad row is reported with its row number
and column, and then nothing is written at all (unless --skip-bad). A row that matches its
record changes nothing (the file is not even rewritten); a changed row updates only the fields
the spreadsheet holds.
"""
from __future__ import annotations

import copy
import difflib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from pydantic import ValidationError

from ..content import AUTHORITY_FILES
from ..errors import ContentErrors, Problem, Text
from ..models.archive import _SCAN_NAME, SCAN_SUFFIXES, Item
from ..models.common import RIGHTS_EXAMPLES, SLUG_RE, problems_from_validation
from ..models.rights import canonical_rights
from ..yamlfile import load_yaml
from .authorities import RESERVED_ITEM_IDS, NameIndex, load_authorities
from .columns import (CONTROL_CHARS, SAVE_AS_UTF8, TEXT_COLUMNS, cp932_damaged, cp932_lost, lost_position, near, read_rows,
                      shown, split_cell)
from .dedupe import Fingerprint, FingerprintCache, ScanProblem, looks_alike
from .plausibility import TitleFacts
from .rowrecord import Row, merge
from .records import Changes, dump_record, slugify

# Record field (as pydantic names it) -> the column a librarian should look at.
_FIELD_COLUMNS = [("title.ja", "title_ja"), ("title.en", "title_en"), ("title.reading", "reading"),
                  ("title", "title_ja"), ("date.start", "date_start"), ("date.end", "date_end"), ("date", "date"),
                  ("place.name", "place_ja"), ("place.lat", "lat"), ("place.lon", "lon"), ("place", "place_ja"),
                  ("dimensions.height_cm", "height_cm"), ("dimensions.width_cm", "width_cm"),
                  ("dimensions", "height_cm"), ("medium", "medium_ja"), ("description", "description_ja"),
                  ("source.url", "source_url"), ("source", "institution"), ("images", "file"),
                  ("creators", "artist_ja"), ("subjects", "subjects")]


@dataclass
class RowResult:
    row: int
    id: str
    action: str  # "create", "update", "unchanged"
    fields: list[str] = field(default_factory=list)  # what an update changes
    scans: list[str] = field(default_factory=list)  # scans copied in
    # Each changed value of an update: (field, old, new), None where there is none.
    changes: list[tuple[str, object, object]] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[RowResult]
    problems: list[Problem]
    skipped: list[int]
    changes: Changes


def _existing_records(root: Path) -> dict[str, dict]:
    out = {}
    for path in sorted((root / "archive").glob("*.yml")):
        if path.name in AUTHORITY_FILES:
            continue
        try:
            data, _ = load_yaml(path, f"archive/{path.name}")
        except ContentErrors:
            data = None
        out[path.stem] = data if isinstance(data, dict) else {"__broken__": True}
    return out


def _existing_scans(root: Path, cache: FingerprintCache) -> dict[str, Fingerprint]:
    out = {}
    folder = root / "images"
    for path in sorted(folder.glob("*/*")) if folder.is_dir() else []:
        if path.is_file() and path.suffix.lower() in SCAN_SUFFIXES and not path.name.startswith("."):
            out[f"{path.parent.name}/{path.name}"] = cache.get(path)
    return out


def _same_title(existing: dict[str, dict], cells: dict[str, str]) -> str:
    def key(text: object) -> str:
        return unicodedata.normalize("NFKC", text).strip() if isinstance(text, str) else ""

    found = set()
    for item_id, data in existing.items():
        title = data.get("title") if isinstance(data.get("title"), dict) else {}
        for lang, column in (("ja", "title_ja"), ("en", "title_en")):
            if cells.get(column) and key(title.get(lang)) == key(cells[column]):
                found.add(item_id)
    return found.pop() if len(found) == 1 else ""


def _keep_comments(path: Path, text: str) -> str:
    """A librarian's notes above and below the fields survive an update."""
    if not path.exists():
        return text
    lines = path.read_text(encoding="utf-8").splitlines()
    head = []
    for line in lines:
        if not line.startswith("#"):
            break
        head.append(line)
    tail = []
    for line in reversed(lines[len(head):]):
        if not line.startswith("#"):
            break
        tail.insert(0, line)
    return "".join(f"{line}\n" for line in head) + text + "".join(f"{line}\n" for line in tail)


def _flat(value: object, at: str = "") -> dict[str, object]:
    """A record as field path -> value: title.ja, creators[0].name.en; a list of plain values
    (subjects) stays one value."""
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, inner in value.items():
            out.update(_flat(inner, f"{at}.{key}" if at else str(key)))
        return out
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        out = {}
        for k, inner in enumerate(value):
            out.update(_flat(inner, f"{at}[{k}]"))
        return out
    return {at: value}


def value_changes(old: dict | None, new: dict) -> list[tuple[str, object, object]]:
    """(field, old value, new value) of each field that differs, None where there is none."""
    before, after = _flat(old or {}), _flat(new)
    return [(key, before.get(key), after.get(key)) for key in list(dict.fromkeys([*after, *before]))
            if before.get(key) != after.get(key)]


def _lost_characters(cells: dict[str, str], old: dict | None, row: Row) -> dict[str, str]:
    """A Shift_JIS file's cells with the record's own text where the save only lost characters
    of it (Sens?ji for Sensōji: the record's stays), and an error for any other cell with a
    lost character: such a file never overwrites good text, and never adds damaged text."""
    good = [v for v in _flat(old or {}).values() if isinstance(v, str)]
    good += [s for v in _flat(old or {}).values() if isinstance(v, list) for s in v if isinstance(s, str)]
    out = dict(cells)
    for column, value in cells.items():
        if column not in TEXT_COLUMNS or "?" not in value:
            continue
        parts = re.split(r"([;；、,])", value)  # the cells holding several values, a part at a time
        for whole in ([value], parts):
            mended = [next((g for g in good if cp932_damaged(g, part)), part) for part in whole]
            if "".join(mended) != value and not any(cp932_lost(m) for m in mended):
                out[column] = kept = "".join(mended)
                at = next(i for i, (a, b) in enumerate(zip(value, kept)) if a != b)
                row.report(column, Text(f"「{near(value, at)}」は、Shift_JIS で保存したときに文字が失われたものです。"
                                        f"記録の「{near(kept, at)}」をそのまま残します。",
                                        f"'{near(value, at)}' lost characters when the file was saved as Shift_JIS; the "
                                        f"record's '{near(kept, at)}' is kept."),
                           SAVE_AS_UTF8, warning=True)
                break
        else:
            if cp932_lost(value):
                at = lost_position(value)
                row.report(column, Text(f"「{near(value, at)}」の「?」は、Excel がこのファイルを Shift_JIS（CP932）で保存したときに失われた文字です"
                                        "（ō・ū などや一部の漢字は Shift_JIS にありません）。この行は取り込みません。",
                                        f"the '?' in '{near(value, at)}' is a character lost when Excel saved this file as Shift_JIS "
                                        "(CP932), which cannot hold ō, ū and some kanji. This row is not imported."),
                           SAVE_AS_UTF8)
    return out


def _scan_name(name: str, k: int) -> str:
    if _SCAN_NAME.match(name) and ".." not in name:
        return name
    suffix = Path(name).suffix.lower()
    stem = slugify(Path(name).stem)
    return f"{stem or f'scan-{k + 1}'}{suffix}"


class UnsafeScanName(Exception):
    """A file cell that does not name a regular file inside the --images folder."""

    def __init__(self, what: Text, fix: Text):
        super().__init__(what.en)
        self.what, self.fix = what, fix


def scan_in(folder: Path, name: str) -> Path:
    """The scan a catalogue's file cell names: a path inside folder (it may not exist yet:
    the caller says so), never outside it, whatever the cell holds."""
    cell = shown(name)
    inside = Text(f"--images のフォルダ（{shown(str(folder))}）の中のファイル名を書いてください（例: fuji-01.jpg、sub/fuji-01.jpg）。",
                  f"write the name of a scan inside the --images folder ({folder}), "
                  "e.g. fuji-01.jpg or sub/fuji-01.jpg.")
    if CONTROL_CHARS.search(name):
        raise UnsafeScanName(Text(f"「{cell}」には見えない制御文字が入っています。", f"'{cell}' holds an invisible control character."),
                             inside)
    if "\\" in name:
        raise UnsafeScanName(Text(f"「{cell}」は「\\」で区切られています（Windows の書き方）。",
                                  f"'{cell}' uses '\\' (a Windows path)."),
                             Text("フォルダは「/」で区切り、--images のフォルダの中のファイル名を書いてください（例: sub/fuji-01.jpg）。",
                                  "separate folders with '/' and name a scan inside the --images folder (e.g. sub/fuji-01.jpg)."))
    parts = PurePosixPath(name).parts
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise UnsafeScanName(Text(f"「{cell}」はフォルダの外を指す絶対パスです。", f"'{cell}' is a full path, not a name inside the --images folder."),
                             inside)
    if ".." in parts:
        raise UnsafeScanName(Text(f"「{cell}」は「..」で --images のフォルダの外を指しています。",
                                  f"'{cell}' leads out of the --images folder ('..')."), inside)
    base = folder.resolve()
    path = base.joinpath(*parts)
    if not os.path.lexists(path):
        return path
    real = path.resolve()
    if not real.is_relative_to(base):
        raise UnsafeScanName(Text(f"「{cell}」は --images のフォルダの外にあるファイルへのリンク（ショートカット）です。",
                                  f"'{cell}' is a link to a file outside the --images folder."),
                             Text("リンクではなく、スキャン画像そのものを --images のフォルダにコピーしてください。",
                                  "copy the scan itself into the --images folder instead of a link."))
    if real.exists() and not stat.S_ISREG(real.stat().st_mode):
        raise UnsafeScanName(Text(f"「{cell}」は画像ファイルではありません（フォルダなど）。", f"'{cell}' is not a file (a folder or a device)."),
                             inside)
    return real


def plan_import(root: Path, csv_path: Path, images_dir: Path, rights: str | None = None,
                skip_bad: bool = False) -> ImportPlan:
    """Check every row and work out what would change; raise ContentErrors when a row is bad
    (with skip_bad: report it and leave it out)."""
    root = root.resolve()
    rel = csv_path.name
    problems: list[Problem] = []
    load_authorities(root, [], problems)
    if any(p.is_error for p in problems):
        raise ContentErrors(problems)
    if rights is not None:
        if canonical_rights(rights) is None:
            raise ContentErrors([Problem("--rights", Text(f"「{rights}」は実在するライセンスや権利表示ではありません。",
                                                          f"'{rights}' is not an existing licence or rights statement."),
                                         Text(f"例: {RIGHTS_EXAMPLES}", f"for example {RIGHTS_EXAMPLES}"))])
        rights = canonical_rights(rights)
    _, rows, encoding = read_rows(csv_path, rel)
    return plan_rows(root, rel, rows, lambda name: scan_in(images_dir, name), rights, skip_bad, problems,
                     cp932=encoding == "cp932")


def plan_rows(root: Path, rel: str, rows: list[tuple[int, dict[str, str]]], scan_path: Callable[[str], Path],
              rights: str | None = None, skip_bad: bool = False, problems: list[Problem] | None = None,
              options: dict[str, str] | None = None, cp932: bool = False) -> ImportPlan:
    """The work of import for rows from anywhere (the spreadsheet, or `sitegen add`'s options).
    cp932: the rows come from a Shift_JIS file, whose cells may have lost characters."""
    problems = [] if problems is None else problems
    readings = TitleFacts(root / ".cache")
    creators, series = load_authorities(root, [], problems)
    creator_index, series_index = NameIndex(creators), NameIndex(series)
    existing = _existing_records(root)
    cache = FingerprintCache(root / ".cache")
    scans = _existing_scans(root, cache)
    owner_of = {fp.sha256: key for key, fp in scans.items()}
    ids_of_rows: dict[str, int] = {}
    incoming: dict[str, tuple[int, str, Fingerprint]] = {}  # sha -> (row, id, fp)
    results: list[RowResult] = []
    skipped: list[int] = []
    changes = Changes()

    for number, cells in rows:
        row = Row(rel, number, problems, options)
        for column, value in cells.items():
            if CONTROL_CHARS.search(value):
                row.report(column, Text(f"「{shown(value)}」には見えない制御文字が入っています。",
                                        f"'{shown(value)}' holds an invisible control character."),
                           Text("その値を打ち直してください（ほかのソフトから貼り付けたときに入ることがあります）。",
                                "type it again (such characters come in with text pasted from other programs)."))
        if row.bad:
            skipped.append(number)
            continue
        # --- scans: read first, because an existing scan's bytes say which record a row is
        files = split_cell(cells.get("file", ""))
        sources: list[tuple[Path, str, Fingerprint]] = []
        for k, name in enumerate(files):
            try:
                src = scan_path(name)
            except UnsafeScanName as exc:
                row.report("file", exc.what, exc.fix)
                continue
            if src.exists() and not src.is_file():
                row.report("file", Text(f"{src} は画像ファイルではありません（フォルダなど）。", f"{src} is not a file (a folder or a device)."),
                           Text("スキャン画像のファイルを指定してください。", "name the scan file itself."))
                continue
            if not src.is_file():
                folder = src.parent
                near = difflib.get_close_matches(name, [p.name for p in folder.iterdir()] if folder.is_dir() else [], n=1)
                row.report("file", Text(f"画像ファイル {src} が見つかりません。", f"the scan {src} does not exist."),
                           Text(f"ファイル名とフォルダを確かめてください{'（' + near[0] + ' ではありませんか）' if near else ''}。",
                                f"check the file name and its folder{f' (did you mean {near[0]}?)' if near else ''}."))
                continue
            if src.suffix.lower() not in SCAN_SUFFIXES:
                row.report("file", Text(f"「{shown(name)}」は対応していない種類のファイルです。", f"'{shown(name)}' is not a supported kind of scan."),
                           Text("JPEG（.jpg）、TIFF（.tif）、PNG（.png）にしてください。", "use a JPEG, TIFF or PNG file."))
                continue
            try:
                fp = cache.get(src)
            except ScanProblem as exc:
                row.report("file", Text(f"画像 {shown(name)}: {exc.what.ja}", f"the scan {shown(name)}: {exc.what.en}"), exc.fix)
                continue
            except OSError as exc:
                row.report("file", Text(f"画像 {shown(name)} を読めません（{exc.strerror or exc}）。",
                                        f"cannot read the scan {shown(name)} ({exc.strerror or exc})."),
                           Text("壊れていないか、画像ソフトで開いて確かめてください。", "open it in an image viewer to check it."))
                continue
            sources.append((src, _scan_name(name, k), fp))

        # --- the item's id
        explicit = cells.get("id", "")
        if explicit:
            item_id = explicit.lower() if SLUG_RE.match(explicit.lower()) else ""
            if not item_id:
                row.report("id", Text(f"「{shown(explicit)}」は ID に使えません。", f"'{shown(explicit)}' is not a usable id."),
                           Text("半角英小文字・数字・「-」だけで書いてください（例: hokusai-great-wave）。",
                                "use only a-z, 0-9 and '-' (e.g. hokusai-great-wave)."))
        else:
            # Stable across re-imports: the record that already holds this scan keeps its id.
            owners = {owner_of[fp.sha256].split("/")[0] for _, _, fp in sources if fp.sha256 in owner_of}
            item_id = owners.pop() if len(owners) == 1 else ""
            if not item_id and not files:
                # Not scanned yet: the record with this title is this row's (the other title may be the edit).
                item_id = _same_title(existing, cells)
            if not item_id:
                for basis in ([Path(f).stem for f in files] + [cells.get("title_en", ""), cells.get("title_ja", "")]):
                    item_id = slugify(basis) if basis else ""
                    if item_id:
                        break
            if not item_id:
                row.report("id", Text("ID を作れる値（file、title_en、title_ja）がありません。",
                                      "there is nothing to make an id from (file, title_en, title_ja)."),
                           Text("id 列を足して、その行の ID を書いてください。", "add an id column and give the row an id."))
        if not item_id:
            skipped.append(number)
            continue
        if item_id in RESERVED_ITEM_IDS:
            row.report("id", Text(f"ID「{item_id}」は一覧ページの名前なので使えません。", f"the id '{item_id}' is taken by a browse page."),
                       Text("id 列に別の ID を書いてください。", "put another id in the id column."))
        if item_id in ids_of_rows:
            row.report("id" if explicit else "file", Text(f"ID「{item_id}」は {ids_of_rows[item_id]}行目でも使われています。",
                                                          f"the id '{item_id}' is also used by row {ids_of_rows[item_id]}."),
                       Text("行ごとに違う ID を id 列に書いてください（同じ資料なら1行にまとめてください）。",
                            "give each row its own id in the id column (or merge the rows if they are one item)."))
        ids_of_rows.setdefault(item_id, number)
        old = existing.get(item_id)
        if old is not None and old.get("__broken__"):
            row.report("id", Text(f"archive/{item_id}.yml が読めない状態です。", f"archive/{item_id}.yml cannot be read."),
                       Text("先に sitegen check でそのファイルを直してください。", "fix it first (sitegen check shows how)."))
            old = None

        # A scan this item already holds keeps its name there (no second copy under a new name).
        sources = [(src, owner_of[fp.sha256].split("/", 1)[1] if owner_of.get(fp.sha256, "").startswith(item_id + "/")
                    else name, fp) for src, name, fp in sources]
        # --- duplicates: the same bytes under another id is refused; a look-alike is reported
        for src, dest_name, fp in sources:
            other = owner_of.get(fp.sha256)
            if other and other.split("/")[0] != item_id:
                row.report("file", Text(f"{src.name} は images/{other} とまったく同じ画像です（別の資料 {other.split('/')[0]} として登録済み）。",
                                        f"{src.name} is the same file as images/{other} (already item {other.split('/')[0]})."),
                           Text(f"同じ資料なら id 列に {other.split('/')[0]} と書いて更新してください。違う資料なら正しい画像を選んでください。",
                                f"if it is that item, put {other.split('/')[0]} in the id column; otherwise pick the right scan."))
            elif fp.sha256 in incoming and incoming[fp.sha256][1] != item_id:
                row.report("file", Text(f"{src.name} は {incoming[fp.sha256][0]}行目の画像とまったく同じです。",
                                        f"{src.name} is the same file as the scan of row {incoming[fp.sha256][0]}."),
                           Text("同じ画像を2つの資料に使わないでください。", "do not use one scan for two items."))
            else:
                for key, efp in scans.items():
                    if key.split("/")[0] != item_id and efp.sha256 != fp.sha256 and looks_alike(efp, fp):
                        row.report("file", Text(f"{src.name} は images/{key} とほぼ同じ絵です（撮り直しか縮小版かもしれません）。",
                                                f"{src.name} looks like images/{key} (a re-scan or resized copy?)."),
                                   Text(f"同じ資料なら、その ID（{key.split('/')[0]}）の資料を更新してください。違う資料なら、このままで構いません。",
                                        f"if it is that item, update {key.split('/')[0]} instead; if not, nothing to do."),
                                   warning=True)
            incoming.setdefault(fp.sha256, (number, item_id, fp))
        if old and not explicit and old.get("images") and sources and not any(
                owner_of.get(fp.sha256, "").startswith(item_id + "/") for _, _, fp in sources):
            row.report("file", Text(f"ID「{item_id}」の資料（archive/{item_id}.yml）はすでにあり、別の画像を持っています。",
                                    f"an item '{item_id}' (archive/{item_id}.yml) already exists with a different scan."),
                       Text("別の資料なら id 列に新しい ID を書いてください。同じ資料の画像を差し替えるなら id 列に "
                            f"{item_id} と書いてください。",
                            f"if this is another item, give it a new id in the id column; to replace that item's scan, "
                            f"put {item_id} in the id column."))

        if cp932:
            cells = _lost_characters(cells, old, row)
        # --- the record: the existing one, with the fields the spreadsheet holds replaced
        data = merge(copy.deepcopy(old or {}), item_id, cells, sources, rights, row, creator_index, creators,
                      series_index, series, readings)
        if row.bad:
            skipped.append(number)
            continue
        try:
            Item.model_validate(data)
        except ValidationError as exc:
            for p in problems_from_validation(exc, rel, {}, Item):
                column = next((c for f, c in _FIELD_COLUMNS if (p.field or "").startswith(f)), p.field or "")
                row.report(column, p.what, p.fix)
            skipped.append(number)
            continue
        copies = []
        for src, dest_name, fp in sources:
            dest = root / "images" / item_id / dest_name
            if dest.exists():
                if cache.get(dest).sha256 != fp.sha256:
                    row.report("file", Text(f"images/{item_id}/{dest_name} はすでにあり、中身が違います。",
                                            f"images/{item_id}/{dest_name} already exists with different content."),
                               Text("差し替えるなら古い画像を先に別の場所へ移してください（上書きはしません）。",
                                    "to replace it, move the old scan away first (import never overwrites a scan)."))
                continue
            copies.append((src, dest))
            cache.expect_copy(src, dest)
        if row.bad:
            skipped.append(number)
            continue
        changes.copies.extend(copies)
        if old == data:
            action, changed = "unchanged", []
        else:
            action = "update" if old else "create"
            changed = sorted(k for k in set(data) | set(old or {}) if (old or {}).get(k) != data.get(k))
            path = root / "archive" / f"{item_id}.yml"
            changes.texts.append((path, _keep_comments(path, dump_record(data))))
        values = value_changes(old, data) if action == "update" else []
        results.append(RowResult(number, item_id, action, changed, [f"images/{item_id}/{d.name}" for _, d in copies],
                                 values))
    cache.save()
    if skipped and not skip_bad:
        raise ContentErrors(problems)
    return ImportPlan(results, problems, skipped, changes)
