"""The Pagefind step: the search page's index, made from the search documents (documents.py)
through Pagefind's Python indexing API, and published as Pagefind writes it.

Each document becomes one small HTML page (documents.html: the normaliser's terms as index
words in weighted paragraphs, the result's metadata and the filter values), kept in
.cache/pagefind/pages/ and rewritten only where the document changed. Pagefind indexes that
folder (PagefindIndex.add_directory, one index for both languages: force_language) into a
bundle kept in .cache/pagefind/bundles/<digest>/, named by everything it was made from: a
build with the same documents and the same Pagefind reuses it as it is. The bundle is linked
into the site as pagefind/, whole; nothing here reads or changes what Pagefind wrote.

The documents come from the records, not from the rendered pages, so Pagefind can run while
the pages are written: start() brings pages/ up to date and runs Pagefind in a thread of its
own (Pagefind itself is another process), finish() waits for it, index() links the bundle,
and stop() ends a run that a failed build leaves behind. index() alone does all three.

Upgrading Pagefind is changing its pin in pyproject.toml: a new version makes new bundles,
and tests/test_search_parity.py says whether the search page still answers as
`sitegen search` does (ranking.py).
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from ..context import BuildContext
from ..cache import Family, new_folder
from ..errors import BuildError, Text
from .documents import Document, html

LANGUAGE = "ja"  # the one index's language: Japanese has no stemmer to change the index words
MANIFEST = "pages.json"  # what each page of pages/ was made from: {url: document digest}
KEEP = 2  # bundles kept: this build's and the one before (a build that goes back finds it)


def _code_version() -> str:
    """A hash of what shapes the pages and the bundle: these modules and the installed
    versions of Pagefind and of pykakasi (the readings)."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for source in ("pagefind.py", "documents.py", "normalise.py", "kana.py", "records.py"):
        h.update(source.encode() + b"\0" + (here / source).read_bytes())
    for package in ("pagefind", "pykakasi"):
        h.update(f"{package}={version(package)}\0".encode())
    return h.hexdigest()[:32]


def bundle_digest(documents: list[Document], code: str) -> str:
    h = hashlib.sha256(code.encode())
    for document in sorted(documents, key=lambda d: d.url):
        h.update(f"{document.url}\0{document.digest}\0".encode("utf-8"))
    return h.hexdigest()[:32]


@dataclass
class _Run:
    """One build's bundle: there already (thread None), or being made by a thread."""
    target: Path
    thread: threading.Thread | None = None
    error: BaseException | None = None
    seconds: float = 0.0  # Pagefind's own time, for SITEGEN_TIMINGS
    loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)
    task: asyncio.Task | None = field(default=None, repr=False)


_RUNS: dict[Path, _Run] = {}  # by store (.cache/pagefind): one build of a repository at a time


def start(ctx: BuildContext, documents: list[Document]) -> None:
    """Begin making the bundle of these documents (SearchData.documents): kept, or made by
    Pagefind in the background while the build goes on. finish() waits for it."""
    store = ctx.cache / "pagefind"
    stop(ctx.cache)  # (a run a failed build did not stop)
    code = _code_version()
    target = store / "bundles" / bundle_digest(documents, code)
    run = _RUNS[store] = _Run(target)
    if (target / "pagefind-entry.json").is_file():
        return
    if ctx.progress:
        print("search index (Pagefind), while the pages are made…", file=sys.stderr, flush=True)
    pages = store / "pages"
    _forget_others(store)
    _sync_pages(pages, store / MANIFEST, documents, code)
    started = threading.Event()
    run.thread = threading.Thread(target=_make, args=(run, pages, started), name="pagefind", daemon=True)
    run.thread.start()
    started.wait()


def finish(ctx: BuildContext) -> None:
    """Wait for the bundle start() began, if any; a BuildError if Pagefind failed."""
    store = ctx.cache / "pagefind"
    run = _RUNS.get(store)
    if run is not None and run.thread is not None:
        run.thread.join()
        if os.environ.get("SITEGEN_TIMINGS") == "1":
            print(f"[time] {'search.pagefind (Pagefind)':<28} {run.seconds:7.2f} s", file=sys.stderr, flush=True)
        if run.error is not None:
            del _RUNS[store]
            raise _failed(run.error)
        run.thread = None
        _prune(store / "bundles", keep=run.target)


def stop(cache: Path) -> None:
    """End a run that start() began and no finish() waited for (the build failed on the
    way): Pagefind is stopped and what it wrote removed, before the build lets go of the
    repository's lock."""
    run = _RUNS.pop(cache / "pagefind", None)
    if run is None or run.thread is None:
        return
    if run.loop is not None and run.task is not None:
        try:
            run.loop.call_soon_threadsafe(run.task.cancel)
        except RuntimeError:  # its loop has ended: the run is over
            pass
    run.thread.join()


def _make(run: _Run, pages: Path, started: threading.Event) -> None:
    """The thread of a run: Pagefind indexes pages/ into a new folder, which becomes the
    bundle only when Pagefind has written all of it."""
    begun = time.perf_counter()

    async def main() -> None:
        run.loop, run.task = asyncio.get_running_loop(), asyncio.current_task()
        started.set()
        with new_folder(run.target) as fresh:  # the bundle takes its place only when whole
            await _index(pages, fresh)

    try:
        asyncio.run(main())
    except BaseException as error:  # handed to finish(); a cancelled run (stop()) ends here too
        run.error = error
    finally:
        started.set()
        run.seconds = time.perf_counter() - begun


def _failed(error: BaseException) -> BuildError:
    """The build's message for Pagefind failing: the Pagefind service's own words."""
    if isinstance(error, BuildError):
        return error
    if isinstance(error, OSError):  # no Pagefind program where it was looked for
        message = f"{error.strerror or error}: {error.filename}" if error.filename else str(error)
    else:
        message = str(error.args[0]) if error.args else type(error).__name__
    return BuildError(Text(f"検索索引（Pagefind）を作れませんでした: {message}",
                           f"building the search index (Pagefind) failed: {message}"), _HOW_TO_FIX)


_HOW_TO_FIX = Text("pagefind[extended] が入っているか確かめ（make site）、もう一度 build してください。",
                   "check that pagefind[extended] is installed (make site), then build again.")


async def _index(pages: Path, output: Path) -> None:
    """Pagefind's bundle of pages/ in output, through its Python API (a service process with
    one index, written with write_files before the service stops)."""
    from pagefind.index import IndexConfig  # here for start-up time: a kept bundle needs none
    from pagefind.service import PagefindService

    async with PagefindService() as service:
        index = await service.create_index(IndexConfig(force_language=LANGUAGE, output_path=str(output)))
        await index.add_directory(str(pages))
        await index.write_files()
        await _written(output)
    if not (output / "pagefind-entry.json").is_file():
        raise BuildError(Text("検索索引（Pagefind）が書かれませんでした。", "Pagefind wrote no search index."), _HOW_TO_FIX)


async def _written(output: Path, timeout: float = 60.0) -> None:
    """Return once every file of the bundle holds its bytes. Pagefind's service answers
    write_files when each file is created and its bytes are handed to a writer thread, not
    yet written; stopping the service before that thread has run (as leaving
    `async with PagefindIndex` does at once) leaves the file empty, and an empty pagefind.js
    is a search page that answers nothing. Pagefind writes no empty file, and each file's
    bytes in one write."""
    deadline = time.monotonic() + timeout
    while True:
        empty = [p for p in output.rglob("*") if p.is_file() and p.stat().st_size == 0]
        if not empty:
            return
        if time.monotonic() > deadline:
            raise BuildError(Text(f"Pagefind が書き終えていないファイルがあります: {empty[0]}",
                                  f"Pagefind did not finish writing {empty[0]}"), _HOW_TO_FIX)
        await asyncio.sleep(0.05)


def _sync_pages(pages: Path, manifest: Path, documents: list[Document], code: str) -> None:
    """Make pages/ hold exactly one page per document, writing only those whose document
    changed since the manifest was written (a changed record: one file)."""
    try:
        old = json.loads(manifest.read_text(encoding="utf-8"))
        if not isinstance(old, dict) or old.get("code") != code or not isinstance(old.get("pages"), dict):
            raise ValueError
        kept: dict[str, str] = old["pages"]
    except (OSError, ValueError):
        shutil.rmtree(pages, ignore_errors=True)
        kept = {}
    manifest.unlink(missing_ok=True)  # not valid while pages/ changes
    wanted = {d.url: d for d in documents}
    for url in kept.keys() - wanted.keys():
        (pages / url / "index.html").unlink(missing_ok=True)
        try:
            (pages / url).rmdir()
        except OSError:
            pass
    for url, document in wanted.items():
        if kept.get(url) == document.digest:
            continue
        folder = pages / url
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(html(document), encoding="utf-8")
    pages.mkdir(parents=True, exist_ok=True)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"code": code, "pages": {url: d.digest for url, d in wanted.items()}},
                                   separators=(",", ":")), encoding="utf-8")


def _forget_others(store: Path) -> None:
    """Remove what is not this step's from its cache folder (what earlier versions kept)."""
    Family(store.parent, store.name).prune({"pages", "bundles", MANIFEST})


def _prune(bundles: Path, keep: Path) -> None:
    """Keep the newest bundles (this one among them), remove the others (and what a killed
    build left)."""
    made = sorted((p for p in bundles.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    Family(bundles.parent, bundles.name).prune([keep.name] + [p.name for p in made if p != keep][:KEEP - 1])


def index(ctx: BuildContext, documents: list[Document]) -> None:
    """Put the Pagefind bundle of these search documents (SearchData.documents) in the site:
    the one start() began, or made now."""
    store = ctx.cache / "pagefind"
    if store not in _RUNS:
        start(ctx, documents)
    finish(ctx)
    bundle = _RUNS.pop(store).target
    os.utime(bundle)  # the bundle in use is the newest (see _prune)
    ctx.assembly.link_whole(bundle, ctx.site / "pagefind", "pagefind-entry.json")
