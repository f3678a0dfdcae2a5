"""sitegen: one thin command per task; the work is done by the domain modules. COMMANDS
lists every command (the librarian's in librarian_cli.py, search in search_cli.py).

Each command imports its stage modules when it runs, not at start-up: they bring in pyvips,
MkDocs and Pagefind, which `sitegen --help` need not load (`sitegen check` loads pyvips to
read scan headers, but not MkDocs or Pagefind).

Every failure a user can cause ends in a message (file, field, what, how to fix) and a
non-zero exit status, never a traceback.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import librarian_cli, search_cli
from .cache import lock
from .errors import BuildError, ContentErrors, SiteError, print_problems, user_lang

Setup = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Command:
    name: str
    help_ja: str
    help_en: str
    run: Run
    setup: Setup | None = None  # its own options; every command takes --root


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-04-01") from None


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number from 1 to 65535 (e.g. 8000)")
    return int(text)


def _root(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path, default=Path("."), help="the repository folder (default: here)")


# --- check -----------------------------------------------------------------------------
def _check_run(args: argparse.Namespace) -> int:
    # Imported here for start-up time: only the command that runs loads its modules.
    from .content import load_content
    from .iiif.derive import check_scans

    with lock(args.root):  # loading keeps what it validated in .cache/
        content = load_content(args.root.resolve())  # ContentErrors handled in main()
        _, scan_problems = check_scans(content)  # headers only: a bomb is refused before decoding
    if scan_problems:
        raise ContentErrors(content.problems + scan_problems)
    if content.problems:
        print_problems(content.problems)
    n = (len(content.items), len(content.lessons), len(content.courses), len(content.venues))
    print(("内容に問題はありません（資料 {} 点、レッスン {} 件、教室 {} 件、会場 {} か所）。" if user_lang() == "ja"
           else "content is valid ({} items, {} lessons, {} courses, {} venues).").format(*n))
    return 0


# --- build -----------------------------------------------------------------------------
def _build_setup(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=None, help="output folder (default: site/)")
    p.add_argument("--site-url", default=None, help="the URL the site is published at (default: site_url in mkdocs.yml)")
    p.add_argument("--today", type=_date, default=None, help="build date for schedules, YYYY-MM-DD (default: today)")
    p.add_argument("--quiet", action="store_true", help="no progress output")


def _build_run(args: argparse.Namespace) -> int:
    # Imported here for start-up time: only the command that runs loads its modules.
    from .pipeline import build

    result = build(args.root, out=args.out, site_url=args.site_url, today=args.today, progress=not args.quiet)
    if result.problems:
        print_problems(result.problems)
    for w in result.warnings:
        print(w.rstrip(), file=sys.stderr)
    pages = result.pages
    msg = ("{out} を作りました（{pages} ページ、{s:.1f} 秒）。" if user_lang() == "ja"
           else "built {out} ({pages} pages, {s:.1f} s).")
    print(msg.format(out=result.out, pages=pages, s=result.seconds))
    return 0


# --- serve -----------------------------------------------------------------------------
def _serve_setup(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=_port, default=8000)
    p.add_argument("--site-url", default=None, help="URL to build for (default: http://127.0.0.1:PORT/)")
    p.add_argument("--today", type=_date, default=None)


def _serve_run(args: argparse.Namespace) -> int:
    # Imported here for start-up time: only the command that runs loads its modules.
    from .serve import serve

    return serve(args.root.resolve(), port=args.port, site_url=args.site_url, today=args.today)


# Every command, in the order `sitegen --help` lists them.
COMMANDS: list[Command] = [
    Command("check", "内容を検査する（サイトは作らない）", "validate all content (builds nothing)", _check_run),
    Command("build", "サイトを作る", "build the site", _build_run, _build_setup),
    Command("serve", "サイトを作ってこのパソコンで表示し、変更を反映し続ける",
            "build, serve on 127.0.0.1 and rebuild on change", _serve_run, _serve_setup),
    Command("import", "目録（CSV）から資料を取り込む", "import items from a catalogue spreadsheet (CSV)",
            librarian_cli.import_run, librarian_cli.import_setup),
    Command("add", "スキャン画像を1点の資料として加える", "add scans as one new item",
            librarian_cli.add_run, librarian_cli.add_setup),
    Command("report", "公開前に直すべき点の一覧（品質レポート）", "quality report: what still needs work before publishing",
            librarian_cli.report_run),
    Command("search", "資料を検索する（読み・ローマ字・旧字体でも）", "search the archive (kana, romaji and old kanji forms work too)",
            search_cli.run, search_cli.setup),
]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sitegen", description="the ward's archive and lessons site generator")
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        help_text = command.help_ja if user_lang() == "ja" else command.help_en
        options = sub.add_parser(command.name, help=help_text, description=help_text)
        _root(options)
        if command.setup is not None:
            command.setup(options)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run = next(command.run for command in COMMANDS if command.name == args.command)
    try:
        return run(args)
    except ContentErrors as exc:
        print_problems(exc.problems)
        return 1
    except BuildError as exc:
        print(exc.format(), file=sys.stderr)
        return 1
    except SiteError as exc:  # pragma: no cover - every SiteError subclass is handled above
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The console command: main(), then exit at once (os._exit) without tearing down the
    interpreter's objects one by one, which after a build of a large archive is slow."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
