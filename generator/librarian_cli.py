"""The librarian's commands: add, import, report (cli.COMMANDS lists them). Thin: the work is
in generator/librarian/."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cache import lock
from .errors import BuildError, ContentErrors, Text, print_problems, printable, user_lang


def _ja() -> bool:
    return user_lang() == "ja"


def _value(value: object) -> str:
    """A field's value in the dry run's list of changes: one line, short."""
    # Imported here for start-up time: only the command that runs loads its modules.
    from .librarian.columns import shown

    if value is None:
        return "（なし）" if _ja() else "(none)"
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return shown(str(value), 80)


# --- import ----------------------------------------------------------------------------
def import_setup(p: argparse.ArgumentParser) -> None:
    p.add_argument("catalogue", type=Path, help="the spreadsheet, saved as CSV (UTF-8 or Shift_JIS)")
    p.add_argument("--images", type=Path, required=True, help="folder holding the scans named in the file column")
    p.add_argument("--rights", default=None, help="rights URI for every row (e.g. https://creativecommons.org/publicdomain/mark/1.0/)")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--skip-bad", action="store_true", help="import the good rows and report the bad ones")


def import_run(args: argparse.Namespace) -> int:
    if not args.catalogue.is_file():
        raise BuildError(Text(f"{args.catalogue} がありません。", f"{args.catalogue} does not exist."),
                         Text("CSV ファイルの場所を確かめてください。", "check the path of the CSV file."))
    if not args.images.is_dir():
        raise BuildError(Text(f"画像のフォルダ {args.images} がありません。", f"the scan folder {args.images} does not exist."),
                         Text("--images にスキャン画像の入ったフォルダを指定してください。", "give --images the folder with the scans."))
    with lock(args.root):  # it keeps scan fingerprints in .cache/, and writes archive/ and images/
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    # Imported here for start-up time: only the command that runs loads its modules.
    from .librarian.importer import plan_import

    plan = plan_import(args.root, args.catalogue, args.images, rights=args.rights, skip_bad=args.skip_bad)
    if plan.problems:
        print_problems(plan.problems)
    for r in plan.rows:
        if r.action == "unchanged":
            continue
        what = {"create": ("新規", "create"), "update": ("更新", "update")}[r.action][0 if _ja() else 1]
        detail = f" ({', '.join(r.fields)})" if r.action == "update" else ""
        scans = f" + {', '.join(r.scans)}" if r.scans else ""
        print(printable(f"{what}: archive/{r.id}.yml{detail}{scans}"))
        if args.dry_run:
            for name, old, new in r.changes:
                print(printable(f"    {name}: {_value(old)} → {_value(new)}"))
    counts = {a: sum(r.action == a for r in plan.rows) for a in ("create", "update", "unchanged")}
    if not args.dry_run:
        # Imported here for start-up time: only the command that runs loads its modules.
        from .librarian.records import write_all

        write_all(plan.changes)
    prefix = ("（試しに実行: 何も書き込んでいません）" if _ja() else "(dry run: nothing written) ") if args.dry_run else ""
    if _ja():
        print(f"{prefix}新規 {counts['create']} 件、更新 {counts['update']} 件、変更なし {counts['unchanged']} 件"
              + (f"、飛ばした行 {len(plan.skipped)} 件" if plan.skipped else "") + "。")
    else:
        print(f"{prefix}{counts['create']} created, {counts['update']} updated, {counts['unchanged']} unchanged"
              + (f", {len(plan.skipped)} row(s) skipped" if plan.skipped else "") + ".")
    return 0


# --- add -------------------------------------------------------------------------------
def add_setup(p: argparse.ArgumentParser) -> None:
    p.add_argument("scans", type=Path, nargs="+", help="scan file(s): copied into images/<id>/, never moved")
    p.add_argument("--id", default=None, help="the item's id (a-z, 0-9, '-'); made from the title when left out")
    p.add_argument("--title-ja", default=None)
    p.add_argument("--title-en", default=None)
    p.add_argument("--reading", default=None, help="reading of the title in hiragana")
    p.add_argument("--type", default=None, help="ukiyo-e, map, book, document or photo")
    p.add_argument("--artist", default=None, help="artist's name (any language or alias in archive/creators.yml)")
    p.add_argument("--series", default=None)
    p.add_argument("--date", default=None, help="as written: 安政4年, 天保2–3年頃, 1857 …")
    p.add_argument("--rights", default=None, help="rights URI")
    p.add_argument("--no-input", action="store_true", help="never ask questions, even on a terminal")


def add_run(args: argparse.Namespace) -> int:
    # Imported here for start-up time: only the command that runs loads its modules.
    from .librarian.add import add_item
    from .librarian.questions import answers_command

    try:
        result = add_item(args)
    except (ContentErrors, BuildError, KeyboardInterrupt, EOFError) as exc:
        if isinstance(exc, ContentErrors):
            print_problems(exc.problems)
        elif isinstance(exc, BuildError):
            print(exc.format(), file=sys.stderr)
        else:
            print(file=sys.stderr)
        # What was answered is not lost: the same command with the answers, to fix and run again.
        if getattr(args, "asked", False) or isinstance(exc, (KeyboardInterrupt, EOFError)):
            print(("答えた内容で、もう一度実行するには: " if _ja() else "to run it again with your answers: ")
                  + answers_command(args), file=sys.stderr)
        return 130 if isinstance(exc, KeyboardInterrupt) else 1
    if result.problems:
        print_problems(result.problems)
    print(printable(f"archive/{result.id}.yml を作りました（画像: {', '.join(result.scans)}）。" if _ja()
                    else f"created archive/{result.id}.yml (scans: {', '.join(result.scans)})."))
    return 0


# --- report ----------------------------------------------------------------------------
def report_run(args: argparse.Namespace) -> int:
    # Imported here for start-up time: only the command that runs loads its modules.
    from .content import load_content
    from .iiif.derive import check_scans
    from .librarian.report import build_report, terminal_table

    with lock(args.root):  # loading and the report keep what they worked out in .cache/
        content = load_content(args.root.resolve())
        _, scan_problems = check_scans(content)  # headers only: a bomb is refused before decoding
        if scan_problems:
            raise ContentErrors(scan_problems)
        report = build_report(content, args.root.resolve() / ".cache")
    sys.stdout.write(terminal_table(report, user_lang()))
    return 0
