"""sitegen: one thin command per task; the work is done by the domain modules.

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
from pathlib import Path
from typing import Callable

from .errors import BuildError, ContentErrors, SiteError, print_problems, user_lang

Setup = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[Setup, Run, str]] = {}
# Modules that register further commands (add, import, report, search) when imported.
COMMAND_MODULES: list[str] = ["generator.librarian_cli", "generator.search_cli"]


def command(name: str, help_ja: str, help_en: str, setup: Setup, run: Run) -> None:
    COMMANDS[name] = (setup, run, help_ja if user_lang() == "ja" else help_en)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-04-01") from None


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number from 1 to 65535 (e.g. 8000)")
    return int(text)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path, default=Path("."), help="the repository folder (default: here)")


# --- check -----------------------------------------------------------------------------
def _check_setup(p: argparse.ArgumentParser) -> None:
    _common(p)


def _check_run(args: argparse.Namespace) -> int:
    from .content import load_content
    from .iiif.derive import check_scans

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


command("check", "内容を検査する（サイトは作らない）", "validate all content (builds nothing)", _check_setup, _check_run)


# --- build -----------------------------------------------------------------------------
def _build_setup(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--out", type=Path, default=None, help="output folder (default: site/)")
    p.add_argument("--site-url", default=None, help="the URL the site is published at (default: site_url in mkdocs.yml)")
    p.add_argument("--today", type=_date, default=None, help="build date for schedules, YYYY-MM-DD (default: today)")
    p.add_argument("--quiet", action="store_true", help="no progress output")


def _build_run(args: argparse.Namespace) -> int:
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


command("build", "サイトを作る", "build the site", _build_setup, _build_run)


# --- serve -----------------------------------------------------------------------------
def _serve_setup(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--port", type=_port, default=8000)
    p.add_argument("--site-url", default=None, help="URL to build for (default: http://127.0.0.1:PORT/)")
    p.add_argument("--today", type=_date, default=None)


def _serve_run(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.root.resolve(), port=args.port, site_url=args.site_url, today=args.today)


command("serve", "サイトを作ってこのパソコンで表示し、変更を反映し続ける",
        "build, serve on 127.0.0.1 and rebuild on change", _serve_setup, _serve_run)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sitegen", description="the ward's archive and lessons site generator")
    sub = p.add_subparsers(dest="command", required=True)
    for name, (setup, _run, help_text) in COMMANDS.items():
        setup(sub.add_parser(name, help=help_text, description=help_text))
    return p


def main(argv: list[str] | None = None) -> int:
    _load_commands()
    args = parser().parse_args(argv)
    _setup, run, _ = COMMANDS[args.command]
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


def _load_commands() -> None:
    """Commands defined in other modules register themselves on import."""
    import importlib

    for module in COMMAND_MODULES:
        importlib.import_module(module)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
