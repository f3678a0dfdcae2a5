"""The orchestrator: load & validate -> derive -> render -> index & publish (DESIGN.md).

Each stage is a list of steps, each a function of (content, ctx) in its own module; this
file only runs them in order, in a scratch folder beside the output, and swaps the result
into place when every step has passed.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import load_config
from .content import Content, load_content
from .context import BuildContext
from .errors import BuildError, Problem, Text
from . import server_config
from .publish import publish
from .schedule import derive as schedule
from .iiif import derive as iiif
from .search import derive as search, pagefind
from .render import classes, docs, engine, home, items, lessons
from .render import search as search_page
from .librarian import opendata, report as quality_report
from .render import authorities

Step = Callable[[Content, BuildContext], None]

# Derive: expensive work, cached by content (tiles, manifests, catalog, feeds, open data).
DERIVE: list[Step] = [server_config.write, schedule.derive, iiif.derive, search.derive]
# Render: write the docs tree (both languages).
RENDER: list[Step] = [home.write, items.write, lessons.write, classes.write, search_page.write]
RENDER += [authorities.write, quality_report.write, opendata.write]  # librarian: authority pages, staff report, open data
# After HTML: steps that read or add to the finished site (e.g. the search index).
POST: list[Callable[[BuildContext], None]] = [schedule.save_ledger, pagefind.index]


@dataclass
class BuildResult:
    out: Path
    content: Content
    seconds: float
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _say(ctx_progress: bool, text: str) -> None:
    if ctx_progress:
        print(text, file=sys.stderr, flush=True)


def build(root: Path, out: Path | None = None, site_url: str | None = None, today: dt.date | None = None,
          progress: bool = True) -> BuildResult:
    started = time.perf_counter()
    root = root.resolve()
    out = (out or root / "site").absolute()
    config = load_config(root)
    content = load_content(root)  # raises ContentErrors: nothing below runs, site/ untouched
    work = out.parent / f".{out.name}.build-{os.getpid()}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        ctx = BuildContext(root=root, config=config, site_url=config.url(site_url), work=work,
                           cache=root / ".cache", today=today or dt.date.today(), progress=progress)
        ctx.static.mkdir()
        for step in DERIVE:
            step(content, ctx)
        for step in RENDER:
            step(content, ctx)
        docs.copy_assets(ctx)
        _say(progress, "rendering pages (MkDocs)…")
        warnings = engine.render_html(ctx)
        shutil.copytree(ctx.static, ctx.site, dirs_exist_ok=True, copy_function=_link_or_copy)
        for post in POST:
            post(ctx)
        publish(ctx.site, out)
    except OSError as exc:
        raise BuildError(
            Text(f"ファイルを書けませんでした（{exc.strerror}: {exc.filename}）。以前のサイトはそのままです。",
                 f"could not write files ({exc.strerror}: {exc.filename}). The previous site is unchanged."),
            Text("ディスクの空きと、出力先フォルダへの書き込み権限を確かめてください。",
                 "check the free disk space and that the output folder is writable."),
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildResult(out=out, content=content, seconds=time.perf_counter() - started,
                       warnings=warnings, problems=content.problems)


def _link_or_copy(src: str, dst: str) -> str:
    """Cached derivatives (tiles) are hard-linked into the site: no copy of gigabytes per build."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst
