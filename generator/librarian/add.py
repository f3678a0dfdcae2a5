"""`sitegen add SCAN... --id ID --title-ja …`: one new item from scans on the librarian's disk.

The scans are copied (never moved or altered) into images/<id>/, and archive/<id>.yml is
written with the given fields and commented placeholders for the rest. On a terminal, it
asks for the fields the command line did not give (questions.py).
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import lock
from ..errors import BuildError, ContentErrors, Problem, Text
from ..models.common import SLUG_RE
from .columns import shown
from .importer import plan_rows
from .questions import FIELDS, Bad, Dialog, ask_missing
from .records import slugify, write_all

# column of the import -> option of `add` (messages name what the librarian typed)
OPTIONS = {"id": "--id", "title_ja": "--title-ja", "title_en": "--title-en", "reading": "--reading",
           "type": "--type", "artist_ja": "--artist", "artist_en": "--artist", "series": "--series",
           "date": "--date", "rights": "--rights", "file": "SCAN"}
PLACEHOLDERS = {
    "series": "series: fugaku36   # an id in archive/series.yml",
    "date": "date: {text: 安政4年}",
    "place": "place: {name: {ja: 場所, en: Place}, lat: 35.6940, lon: 139.7536}",
    "dimensions": "dimensions: {height_cm: 25.7, width_cm: 37.9}",
    "medium": "medium: {ja: 木版多色摺, en: Woodblock print}",
    "subjects": "subjects: [富士山]",
    "description": "description: {ja: 説明, en: Description}",
    "source": "source: {institution: {ja: 千代田区立図書館, en: Chiyoda City Library}}",
}


@dataclass
class AddResult:
    id: str
    scans: list[str]
    problems: list[Problem] = field(default_factory=list)


def _another_id(dialog: Dialog, root, taken: str) -> str:
    def check(answer: str) -> str:
        answer = answer.lower()
        if not SLUG_RE.match(answer):
            raise Bad(Text("半角英小文字・数字・「-」だけで書いてください（例: hokusai-great-wave-2）。",
                           "use only a-z, 0-9 and '-' (e.g. hokusai-great-wave-2)."))
        if (root / "archive" / f"{answer}.yml").exists():
            raise Bad(Text(f"archive/{answer}.yml もすでにあります。", f"archive/{answer}.yml exists too."))
        return answer

    dialog.say(dialog.t(Text(f"  ID「{taken}」の資料はすでにあります（archive/{taken}.yml）。",
                             f"  an item with the id '{taken}' already exists (archive/{taken}.yml).")))
    n = 2
    while (root / "archive" / f"{taken}-{n}.yml").exists():
        n += 1
    return dialog.ask(Text("この資料の ID", "This item's id"), check, f"{taken}-{n}"[:64])


def add_item(args: argparse.Namespace, dialog: Dialog | None = None) -> AddResult:
    root = args.root.resolve()
    if dialog is None and not args.no_input and sys.stdin.isatty() and not all(
            getattr(args, name, None) for name, _ in FIELDS):
        dialog = Dialog()
    if dialog is not None:
        ask_missing(args, root, dialog)
    names = [p.name for p in args.scans]
    for name in names:
        if ";" in name or "；" in name:  # the file cell separates scans with ';'
            raise BuildError(Text(f"画像のファイル名「{shown(name)}」に「;」が入っています。",
                                  f"the scan's file name '{shown(name)}' contains ';'."),
                             Text("「;」を使わない名前に変えてから実行してください。", "rename it without ';' first."))
    if len(set(names)) != len(names):
        raise BuildError(Text("同じ名前の画像ファイルが2つあります。", "two of the scans have the same file name."),
                         Text("どちらかの名前を変えてから実行してください。", "rename one of them first."))
    by_name = {p.name: p.resolve() for p in args.scans}
    cells = {"file": ";".join(names)}
    for column, attr in (("id", "id"), ("title_ja", "title_ja"), ("title_en", "title_en"), ("reading", "reading"),
                         ("type", "type"), ("artist_ja", "artist"), ("series", "series"), ("date", "date")):
        value = getattr(args, attr, None)
        if value:
            cells[column] = value.strip()
    if "id" not in cells:
        # From the title: a scanner's file names (IMG_0001.jpg) say nothing about the item.
        for basis in (cells.get("title_en"), cells.get("title_ja")):
            if basis and slugify(basis):
                cells["id"] = slugify(basis)
                break
    item_id = cells.get("id", "").lower()
    # Only a well-formed id names a file: '../x' is refused by plan_rows, never looked up.
    if dialog is not None and item_id and SLUG_RE.match(item_id) and (root / "archive" / f"{item_id}.yml").exists():
        item_id = cells["id"] = args.id = _another_id(dialog, root, item_id)
    if item_id and SLUG_RE.match(item_id) and (root / "archive" / f"{item_id}.yml").exists():
        raise ContentErrors([Problem("sitegen add", Text(f"ID「{item_id}」の資料はすでにあります（archive/{item_id}.yml）。",
                                                         f"an item with the id '{item_id}' already exists (archive/{item_id}.yml)."),
                                     Text("別の ID を --id で指定してください。", "choose another id with --id."), field="--id")])
    with lock(root):  # (not while asking: the questions may wait for a long time)
        return _create(root, cells, by_name, args.rights)


def _create(root: Path, cells: dict[str, str], by_name: dict[str, Path], rights: str | None) -> AddResult:
    """Write the new item's record and copy its scans (the caller holds the lock)."""
    plan = plan_rows(root, "sitegen add", [(1, cells)], lambda name: by_name[name], rights=rights,
                     options=OPTIONS)
    result = plan.rows[0]
    if result.action != "create":  # the scan is already an item: add never changes one
        raise ContentErrors([Problem("sitegen add", Text(f"この画像はすでに資料「{result.id}」として登録されています。",
                                                         f"this scan is already the item '{result.id}'."),
                                     Text(f"archive/{result.id}.yml を編集してください。", f"edit archive/{result.id}.yml instead."),
                                     field="SCAN")])
    # The record, then the fields still to fill in, as comments the librarian can complete.
    path, text = plan.changes.texts[0]
    missing = [line for key, line in PLACEHOLDERS.items() if not re.search(rf"^{key}:", text, re.MULTILINE)]
    if missing:
        text += "# Still to fill in when known (remove the '# ' at the start of a line to use it):\n"
        text += "".join(f"# {line}\n" for line in missing)
    plan.changes.texts[0] = (path, text)
    write_all(plan.changes)
    return AddResult(result.id, result.scans, plan.problems)
