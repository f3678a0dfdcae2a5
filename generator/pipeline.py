"""The orchestrator: load & validate -> derive -> render -> index & publish (DESIGN.md).

Each stage is a function below that hands its typed result to the next (stages.py): load
gives the Content, derive the Derived, render the Rendered, and publish puts the site in
place. A step is a function in its own module, called with what it reads. build() runs the
stages in a scratch folder beside the output and swaps the result into place only when
every step has passed.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ParamSpec, TypeVar

from .cache import lock as repo_lock
from .config import load_config
from .content import Content, load_content
from .context import BuildContext
from .errors import BuildError, Problem, Text
from . import server_config
from .publish import Assembly, check_output, spare_for, write_marker
from .publish import publish as swap_into_place
from .stages import Derived, Rendered, derived_from
from .schedule import derive as schedule
from .iiif import derive as iiif
from .search import derive as search, pagefind
from .render import classes, docs, engine, home, items, lessons, policy
from .render import search as search_page
from .librarian import opendata, report as quality_report
from .render import authorities

P = ParamSpec("P")
T = TypeVar("T")


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

    def run(self, step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """One step, timed under its module and name (e.g. search.derive.derive)."""
        result = step(*args, **kwargs)
        self(f"{step.__module__.removeprefix('generator.')}.{step.__name__}")
        return result


def build(root: Path, out: Path | None = None, site_url: str | None = None, today: dt.date | None = None,
          progress: bool = True) -> BuildResult:
    """Build the repository at root into out (default: site/) and publish it, holding the
    repository's lock throughout (cache.lock): commands that write .cache/ take turns."""
    # An output folder sitegen must not replace is refused before anything is written.
    check_output(Path(os.path.abspath(out or root.resolve() / "site")), root.resolve())
    with repo_lock(root):
        try:
            return _build(root, out, site_url, today, progress)
        finally:
            gc.unfreeze()  # load() froze what it loaded for this build only: serve builds again in one process


def _build(root: Path, out: Path | None, site_url: str | None, today: dt.date | None, progress: bool) -> BuildResult:
    started = time.perf_counter()
    lap = _Timer()
    root = root.resolve()
    config = load_config(root)
    # Only a build of site/ for the configured URL and today's date publishes: previews (serve,
    # --out elsewhere, another --site-url or --today) read the publication record, never advance it.
    out = Path(os.path.abspath(out or root / "site"))
    real_publish = out == root / "site" and site_url in (None, config.site_url) and today in (None, dt.date.today())
    check_output(out, root)
    content = load(root)  # raises ContentErrors: nothing below runs, site/ untouched
    lap("load content")
    work = out.parent / f".{out.name}.build"  # (one build at a time: the lock)
    cache = root / ".cache"
    try:
        cache.mkdir(exist_ok=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        _discard(work, cache / "trash")  # what a killed build left
        work.mkdir()
        ctx = BuildContext(root=root, config=config, site_url=config.url(site_url), work=work,
                           cache=cache, today=today or dt.date.today(), progress=progress)
        ctx.static.mkdir()
        ctx.assembly = Assembly(ctx.site, spare_for(cache, out))
        derived = derive(content, ctx, lap)
        lap.run(pagefind.start, ctx, derived.search.documents)  # Pagefind indexes while the docs tree is written
        rendered = render(content, ctx, derived, lap)
        publish(ctx, out, derived, lap)
        if real_publish:
            schedule.save_ledger(ctx, derived.schedule)  # only now: what subscribers can see has changed
    except OSError as exc:
        raise BuildError(
            Text(f"ファイルを書けませんでした（{exc.strerror}: {exc.filename}）。以前のサイトはそのままです。",
                 f"could not write files ({exc.strerror}: {exc.filename}). The previous site is unchanged."),
            Text("ディスクの空きと、出力先フォルダへの書き込み権限を確かめてください。",
                 "check the free disk space and that the output folder is writable."),
        ) from exc
    finally:
        pagefind.stop(cache)  # a failed build's Pagefind run ends before the lock is let go
        _discard(work, cache / "trash")
        lap("clean up")
    return BuildResult(out=out, content=content, seconds=time.perf_counter() - started, pages=rendered.pages,
                       warnings=rendered.warnings, problems=content.problems)


# --- the stages --------------------------------------------------------------------------
def load(root: Path) -> Content:
    """Load & validate: the content as typed models. Raises ContentErrors; writes only its caches
    (.cache/content/, lesson pictures, title facts), never the output."""
    content = load_content(root)
    # Everything loaded lives until the end: the collector need not scan it again and again.
    gc.freeze()
    return content


def derive(content: Content, ctx: BuildContext, lap: _Timer | None = None) -> Derived:
    """Expensive work, cached by content: server settings, the schedule's feeds, tiles and
    manifests, the search catalogue. Each step's result is an argument of the next that reads it."""
    lap = lap or _Timer()
    lap.run(server_config.write, content, ctx)
    timetable = lap.run(schedule.derive, content, ctx)
    images = lap.run(iiif.derive, content, ctx, timetable.ledger)
    found = lap.run(search.derive, content, ctx, images)
    return derived_from(content.items, timetable, images, found)


def write_docs(content: Content, ctx: BuildContext, derived: Derived, lap: _Timer | None = None) -> None:
    """The docs tree of both languages (render/docs.py), each render step given what it reads."""
    lap = lap or _Timer()
    docs.begin(ctx)
    lap.run(home.write, content, ctx)
    lap.run(items.write, content, ctx, derived)
    lap.run(lessons.write, content, ctx, derived.schedule)
    lap.run(classes.write, content, ctx, derived.schedule)
    lap.run(search_page.write, content, ctx)
    lap.run(policy.write, content, ctx)
    # The librarian's pages: authorities, the staff report, open data.
    lap.run(authorities.write, content, ctx, derived)
    lap.run(quality_report.write, content, ctx)
    lap.run(opendata.write, content, ctx, derived)
    docs.copy_assets(ctx)
    docs.finish(ctx)
    lap("docs tree")


def render(content: Content, ctx: BuildContext, derived: Derived, lap: _Timer) -> Rendered:
    """The docs tree, its HTML (MkDocs) and the static files, together in the scratch site."""
    write_docs(content, ctx, derived, lap)
    lap.run(pagefind.finish, ctx)  # before MkDocs: both at once would need more memory than either
    _say(ctx.progress, "rendering pages (MkDocs)…")
    warnings = engine.render_html(ctx)
    lap("render html (MkDocs)")
    ctx.assembly.link_tree(ctx.static, ctx.site)
    lap("static files")
    return Rendered(pages=sum(1 for rel in ctx.docs_wanted if rel.endswith(".md")), warnings=warnings)


def publish(ctx: BuildContext, out: Path, derived: Derived, lap: _Timer) -> None:
    """Index & publish: the search index of the finished site, its marker, then the swap into
    out (publish.py), after the output folder is checked again."""
    lap.run(pagefind.index, ctx, derived.search.documents)
    ctx.assembly.add([write_marker(ctx.site)])
    ctx.assembly.prune()
    lap("prune recycled site")
    check_output(out, ctx.root)  # again: the folder may have changed during the build
    if swap_into_place(ctx.site, out):
        ctx.assembly.keep_replaced(ctx.site)
    lap("publish")


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
