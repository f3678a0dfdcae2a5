"""The Pagefind step: the search page's index, made from the search documents (documents.py)
through Pagefind's Python indexing API, and published as Pagefind writes it.

Each document becomes one small HTML page (documents.html: the normaliser's terms as index
words in weighted paragraphs, the result's metadata and the filter values), kept in
.cache/pagefind/pages/ and rewritten only where the document changed. Pagefind indexes that
folder (PagefindIndex.add_directory, one index for both languages: force_language) into a
bundle kept in .cache/pagefind/bundles/<digest>/, named by everything it was made from: a
build with the same documents and the same Pagefind reuses it as it is. The bundle is linked
into the site as pagefind/, whole; nothing here reads or changes what Pagefind wrote.

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
from concurrent.futures import ThreadPoolExecutor
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


def build_bundle(documents: list[Document], store: Path) -> Path:
    """The bundle of these documents in the store: the kept one, or made now."""
    code = _code_version()
    digest = bundle_digest(documents, code)
    bundles = store / "bundles"
    target = bundles / digest
    if (target / "pagefind-entry.json").is_file():
        return target
    pages = store / "pages"
    _forget_others(store)
    _sync_pages(pages, store / MANIFEST, documents, code)
    with new_folder(target) as fresh:  # the bundle takes its place only when whole
        try:
            _run_apart(lambda: _index(pages, fresh))
        except Exception as error:  # the Pagefind service's own message
            if isinstance(error, OSError):  # no Pagefind program where it was looked for
                message = f"{error.strerror or error}: {error.filename}" if error.filename else str(error)
            else:
                message = str(error.args[0]) if error.args else type(error).__name__
            raise BuildError(Text(f"検索索引（Pagefind）を作れませんでした: {message}",
                                  f"building the search index (Pagefind) failed: {message}"),
                             Text("pagefind[extended] が入っているか確かめ（make site）、もう一度 build してください。",
                                  "check that pagefind[extended] is installed (make site), then build again.")) from None
        if not (fresh / "pagefind-entry.json").is_file():
            raise BuildError(Text("検索索引（Pagefind）が書かれませんでした。", "Pagefind wrote no search index."),
                             Text("pagefind[extended] が入っているか確かめ（make site）、もう一度 build してください。",
                                  "check that pagefind[extended] is installed (make site), then build again."))
    _prune(bundles, keep=target)
    return target


def _run_apart(make_coroutine) -> None:
    """Run Pagefind's asynchronous API to the end: here, or in a thread of its own when this
    thread already runs an event loop (a build started from asynchronous code)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make_coroutine())
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(lambda: asyncio.run(make_coroutine())).result()


async def _index(pages: Path, output: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex  # here for start-up time: a kept bundle needs none

    config = IndexConfig(force_language=LANGUAGE, output_path=str(output))
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(pages))


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
    """Put the Pagefind bundle of these search documents (SearchData.documents) in the site."""
    if ctx.progress:
        print("search index (Pagefind)…", file=sys.stderr, flush=True)
    bundle = build_bundle(documents, ctx.cache / "pagefind")
    os.utime(bundle)  # the bundle in use is the newest (see _prune)
    ctx.assembly.link_whole(bundle, ctx.site / "pagefind", "pagefind-entry.json")
