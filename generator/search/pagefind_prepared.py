"""What Pagefind reads, made once per page: the prepared pages, kept by content.

Parsing a built page and working out its terms is the costly half of the search step (about
half a millisecond of lxml and a few of the normaliser per page: 13 s for 20,000 pages), and
most pages are the same from one build to the next. So each prepared page is stored under
the hash of its own bytes (prepared/<2>/<rest>.html), and one index file says, for every page
of the last build, the hash of its built bytes and of what was made from it (and the file's
identity: device, inode, size, time written). A build reads and hashes only the pages that
are not the same files as last time, parses only those whose bytes changed, and never opens
the stored files of the pages that did not.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

INDEX = "index.json"

Prepare = Callable[[str, str, str], "str | None"]


def lang_of(rel: str) -> str:
    return "en" if rel.startswith("en/") else "ja"


def stored(store: Path, digest: str) -> Path:
    return Path(_stored(str(store), digest))


def _stored(store: str, digest: str) -> str:
    # (strings, not Paths: this runs for every page of every build)
    return f"{store}/{digest[:2]}/{digest[2:]}.html"


def prepare_pages(site: Path, found: list[tuple[str, str]], store: Path, version: str,
                  prepare: Prepare) -> dict[str, str]:
    """Site path -> digest of the prepared page in the store, for every page that has an
    article (a page without one has nothing to index and is left out). Pages whose bytes
    are as last time keep what was made then; the others are prepared (in parallel when
    there are many) and the index is written afresh for exactly these pages."""
    known = _load_index(store, version)
    out: dict[str, str] = {}
    entries: dict[str, list[str]] = {}
    jobs = []
    present = _present(store)
    for rel, kind in found:
        path = f"{site}/{rel}"
        st = os.stat(path)
        # The same file as last time (the built pages are hard links into the render cache,
        # and a page rendered again is a new file): its bytes need not be read again.
        seen = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
        old = known.get(rel)
        if old and old[0] == kind and old[3] == seen:
            page = old[1]
        else:
            with open(path, "rb") as f:
                page = hashlib.sha256(f.read()).hexdigest()[:32]
        if old and old[0] == kind and old[1] == page and (not old[2] or old[2] in present):
            entries[rel] = [kind, page, old[2], seen]
        else:
            entries[rel] = [kind, page, "", seen]
            jobs.append((str(site), str(store), rel, kind))
    workers = max(1, min(os.cpu_count() or 1, len(jobs) // 200 + 1))
    work = functools.partial(_prepare_file, prepare)
    if workers == 1:
        made = list(map(work, jobs))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            made = list(pool.map(work, jobs, chunksize=64))
    for (_, _, rel, _), digest in zip(jobs, made):
        entries[rel][2] = digest
    for rel, entry in entries.items():
        if entry[2]:
            out[rel] = entry[2]
    if entries != known:
        _save_index(store, version, entries)
    return out


def _present(store: Path) -> set[str]:
    """The digests of the prepared pages in the store (one listing per folder: cheaper than
    asking for 20,000 files one by one)."""
    out = set()
    if store.is_dir():
        for sub in os.scandir(store):
            if sub.is_dir(follow_symlinks=False):
                out.update(sub.name + name[:-5] for name in os.listdir(sub.path) if name.endswith(".html"))
    return out


def _prepare_file(prepare: Prepare, job: tuple[str, str, str, str]) -> str:
    """In a worker: prepare one built page and store it; its digest, or "" if it has no article."""
    site, store, rel, kind = job
    prepared = prepare((Path(site) / rel).read_text(encoding="utf-8"), kind, lang_of(rel))
    if prepared is None:
        return ""
    data = prepared.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()[:32]
    target = stored(Path(store), digest)
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        fresh = target.with_name(f".{target.name}.{os.getpid()}")
        fresh.write_bytes(data)
        fresh.replace(target)  # whole or not at all, even with another build at work
    return digest


def _load_index(store: Path, version: str) -> dict[str, list[str]]:
    try:
        data = json.loads((store / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != version or not isinstance(data.get("pages"), dict):
        return {}
    return {rel: entry for rel, entry in data["pages"].items()
            if isinstance(entry, list) and len(entry) == 4 and all(isinstance(e, str) for e in entry)}


def _save_index(store: Path, version: str, entries: dict[str, list[str]]) -> None:
    store.mkdir(parents=True, exist_ok=True)
    fresh = store / f".{INDEX}.{os.getpid()}"
    fresh.write_text(json.dumps({"version": version, "pages": entries}, ensure_ascii=False, separators=(",", ":")),
                     encoding="utf-8")
    fresh.replace(store / INDEX)


def prune(store: Path, keep: set[str]) -> None:
    """Remove the stored pages no current page uses (and half-written ones left by a crash)."""
    if not store.is_dir():
        return
    wanted = {f"{d[:2]}/{d[2:]}.html" for d in keep}
    for sub in os.scandir(store):
        if not sub.is_dir(follow_symlinks=False):
            continue
        for f in os.scandir(sub.path):
            if f"{sub.name}/{f.name}" not in wanted and not _in_progress(f.name):
                os.unlink(f.path)


def _in_progress(name: str) -> bool:
    """A file another build is writing right now (.<name>.<pid> of a live process)."""
    if not name.startswith("."):
        return False
    pid = name.rsplit(".", 1)[-1]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError):
        return False
    return True
