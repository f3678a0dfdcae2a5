"""The orchestrator: load & validate -> derive -> render -> index & publish (DESIGN.md).

Each stage is a list of steps, each a function of (content, ctx) in its own module; this
file only runs them in order, in a scratch folder beside the output, and swaps the result
into place when every step has passed.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import gc
import os
import shutil
import subprocess
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
from .publish import Assembly, check_output, killed_leftovers, publish, spare_for, write_marker
from .schedule import derive as schedule
from .iiif import derive as iiif
from .search import derive as search, pagefind
from .render import classes, docs, engine, home, items, lessons, policy
from .render import search as search_page
from .librarian import opendata, report as quality_report
from .render import authorities

Step = Callable[[Content, BuildContext], None]

# Derive: expensive work, cached by content (tiles, manifests, catalog, feeds, open data).
DERIVE: list[Step] = [server_config.write, schedule.derive, iiif.derive, search.derive]
# Render: write the docs tree (both languages).
RENDER: list[Step] = [home.write, items.write, lessons.write, classes.write, search_page.write, policy.write]
RENDER += [authorities.write, quality_report.write, opendata.write]  # librarian: authority pages, staff report, open data
# After HTML: steps that read or add to the finished site (e.g. the search index).
POST: list[Callable[[BuildContext], None]] = [pagefind.index]


@dataclass
class BuildResult:
    out: Path
    content: Content
    seconds: float
    pages: int = 0  # pages rendered (both languages)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _say(ctx_progress: bool, text: str) -> None:
    if ctx_progress:
        print(text, file=sys.stderr, flush=True)


class _Timer:
    """SITEGEN_TIMINGS=1 prints how long each step took (to find what a slow build spends)."""

    def __init__(self) -> None:
        self.on = os.environ.get("SITEGEN_TIMINGS") == "1"
        self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        if self.on:
            print(f"[time] {name:<28} {now - self.last:7.2f} s", file=sys.stderr, flush=True)
        self.last = now


def build(root: Path, out: Path | None = None, site_url: str | None = None, today: dt.date | None = None,
          progress: bool = True) -> BuildResult:
    started = time.perf_counter()
    lap = _Timer()
    root = root.resolve()
    config = load_config(root)
    # Only a build of site/ for the configured URL and today's date publishes: previews (serve,
    # --out elsewhere, another --site-url or --today) read the publication record, never advance it.
    out = Path(os.path.abspath(out or root / "site"))
    real_publish = out == root / "site" and site_url in (None, config.site_url) and today in (None, dt.date.today())
    check_output(out, root)
    content = load_content(root)  # raises ContentErrors: nothing below runs, site/ untouched
    # Everything loaded lives until the end: the collector need not scan it again and again.
    gc.freeze()
    lap("load content")
    work = out.parent / f".{out.name}.build-{os.getpid()}"
    cache = root / ".cache"
    lock = None
    try:
        cache.mkdir(exist_ok=True)
        # Builds of one repo take turns: they share the caches (docs tree, rendered HTML).
        lock = open(cache / "build.lock", "w")
        fcntl.flock(lock, fcntl.LOCK_EX)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)
        _sweep_killed(out, cache / "trash")
        work.mkdir()
        ctx = BuildContext(root=root, config=config, site_url=config.url(site_url), work=work,
                           cache=cache, today=today or dt.date.today(), progress=progress)
        ctx.static.mkdir()
        ctx.assembly = Assembly(ctx.site, spare_for(cache, out))
        for step in DERIVE:
            step(content, ctx)
            lap(f"{step.__module__.removeprefix('generator.')}.{step.__name__}")
        docs.begin(ctx)
        for step in RENDER:
            step(content, ctx)
            lap(f"{step.__module__.removeprefix('generator.')}.{step.__name__}")
        docs.copy_assets(ctx)
        docs.finish(ctx)
        lap("docs tree")
        _say(progress, "rendering pages (MkDocs)…")
        warnings = engine.render_html(ctx)
        lap("render html (MkDocs)")
        ctx.assembly.link_tree(ctx.static, ctx.site)
        lap("static files")
        for post in POST:
            post(ctx)
            lap(f"{post.__module__.removeprefix('generator.')}.{post.__name__}")
        ctx.assembly.add([write_marker(ctx.site)])
        ctx.assembly.prune()
        lap("prune recycled site")
        check_output(out, root)  # again: the folder may have changed during the build
        if publish(ctx.site, out):
            ctx.assembly.keep_replaced(ctx.site)
        lap("publish")
        if real_publish:
            schedule.save_ledger(ctx)  # only now: what subscribers can see has changed
    except OSError as exc:
        raise BuildError(
            Text(f"ファイルを書けませんでした（{exc.strerror}: {exc.filename}）。以前のサイトはそのままです。",
                 f"could not write files ({exc.strerror}: {exc.filename}). The previous site is unchanged."),
            Text("ディスクの空きと、出力先フォルダへの書き込み権限を確かめてください。",
                 "check the free disk space and that the output folder is writable."),
        ) from exc
    finally:
        _discard(work, cache / "trash")
        if lock is not None:
            lock.close()
        lap("clean up")
    pages = sum(1 for rel in ctx.docs_wanted if rel.endswith(".md"))
    return BuildResult(out=out, content=content, seconds=time.perf_counter() - started, pages=pages,
                       warnings=warnings, problems=content.problems)


def _sweep_killed(out: Path, trash: Path) -> None:
    """Scratch folders that killed builds left beside the output go to the trash."""
    for left in killed_leftovers(out.parent, f".{out.name}.build-*"):
        _discard(left, trash)


def _discard(folder: Path, trash: Path) -> None:
    """Remove a build's scratch folder (its docs copy and the site it replaced, tens of
    thousands of files for a large archive) without making the librarian wait: it is moved
    into .cache/trash/ at once and deleted there by a detached process. Where it cannot be
    moved (another file system), it is deleted here."""
    if not folder.exists():
        return
    try:
        trash.mkdir(parents=True, exist_ok=True)
        os.rename(folder, trash / f"{folder.name}-{time.time_ns()}")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    code = "import pathlib, shutil, sys\nfor p in pathlib.Path(sys.argv[1]).iterdir(): shutil.rmtree(p, ignore_errors=True)"
    try:
        subprocess.Popen([sys.executable, "-c", code, str(trash)], start_new_session=True, close_fds=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)
