"""The index in parts: one Pagefind run for each shard's pages of one language.

A part's bundle depends on its own pages alone, so a changed page costs one run over its
shard and language (Pagefind holds all it indexes in memory: some 90 KB a page). The bundles
are kept in the cache by the hash of their pages; what the site publishes is put together
from them on every build:

- pagefind/ is the first shard (both languages), pagefind/shard-<n>/ each further one, and
  pagefind/shards.json lists those for search.js, which merges them into the first;
- with more than one shard, each shard's index chunks are given the words of the others
  (pagefind_bundle.with_words), so that every shard answers a query by the same words as
  one index would. Those chunks, and the metadata naming them, are made once and kept in
  the cache by what they were made from.

Store (under .cache/pagefind/):
  trees/<count>-<shard>-<lang>/   the pages Pagefind reads: links to prepared pages, kept
                                  from build to build and changed page by page
  parts/<key>/bundle/             Pagefind's bundle (pagefind_bundle.canonicalise'd)
  parts/<key>/words.txt           the words of its pages, as Pagefind indexes them
  joined/<sha1>, joined/map.json  index chunks and metadata with other shards' words added
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import publish as publish_tree
from . import pagefind_bundle as bundle_files
from .pagefind_prepared import stored

LANGS = ("ja", "en")
# Pagefind's ready-made interfaces are not used (search.js is the site's own): not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
# Only the first shard needs the script and the WebAssembly: the others are merged into it.
SCRIPTS = ("pagefind.js", "pagefind-worker.js")
SHARDS = "shards.json"
# With shards, index chunks of about this much CBOR (some 2 KB gzipped) instead of Pagefind's
# 15 KB: a query reads one chunk per term in every shard (pagefind_bundle.rechunk). Measured
# at 10,000 items in 5 shards, a first query: 456 KB with Pagefind's chunks, 322 KB at 12 KB,
# 304 KB at 8 KB (smaller still, the list of chunks that every search loads grows more).
CHUNK_BYTES = 8000


@dataclass
class Part:
    shard: int
    lang: str
    pages: list[tuple[str, str]]  # (site path, digest of the prepared page), by path
    key: str

    @property
    def dir(self) -> str:
        return f"parts/{self.key}"


class PagefindFailed(Exception):
    """Pagefind's own message."""


def run_parts(store: Path, count: int, todo: list[Part], words_of: Callable[[Part], list[str]],
              pagefind_args: list[str], together: int) -> None:
    """Make the bundles of these parts: Pagefind over each (`together` at once) while the
    words of each are read here."""
    if not todo:
        return
    (store / "parts").mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=together) as pool:
        runs = [pool.submit(_run_part, store, count, part, pagefind_args) for part in todo]
        words = [words_of(part) for part in todo]
        errors = [run.exception() for run in runs]
    for part, found, error in zip(todo, words, errors):
        if error is not None:
            raise error
        (store / part.dir / "words.txt").write_text("\n".join(found), encoding="utf-8")


def _run_part(store: Path, count: int, part: Part, pagefind_args: list[str]) -> None:
    tree = store / "trees" / f"{count}-{part.shard}-{part.lang}"
    with _locked(tree.with_name(tree.name + ".lock")):
        _sync_tree(tree, store / "prepared", part.pages)
        fresh = store / "parts" / f".new-{os.getpid()}-{part.shard}-{part.lang}"
        shutil.rmtree(fresh, ignore_errors=True)
        result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(tree),
                                 "--output-path", str(fresh / "bundle"), *pagefind_args],
                                capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        raise PagefindFailed(result.stderr.strip() or result.stdout.strip() or f"exit status {result.returncode}")
    for unused in UNUSED:
        (fresh / "bundle" / unused).unlink(missing_ok=True)
    bundle_files.canonicalise(fresh / "bundle")
    if count > 1:  # (one shard: Pagefind's own chunks, as always)
        bundle_files.rechunk(fresh / "bundle", CHUNK_BYTES)
    entry = json.loads((fresh / "bundle" / "pagefind-entry.json").read_text(encoding="utf-8"))
    info = entry["languages"].get(part.lang)
    ranges = bundle_files.chunk_ranges(fresh / "bundle", info["hash"]) if info else []
    (fresh / "ranges.json").write_text(json.dumps(ranges, ensure_ascii=False), encoding="utf-8")
    target = store / part.dir
    shutil.rmtree(target, ignore_errors=True)  # (a half-made one: its words were never written)
    fresh.rename(target)


class _locked:
    """One build at a time changes a tree (builds of one repo take turns anyway)."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.path, "w")
        fcntl.flock(self.file, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def _sync_tree(tree: Path, prepared: Path, pages: list[tuple[str, str]]) -> None:
    """Make the tree hold exactly these prepared pages, changing only what differs from last
    time (creating 2,000 folders costs more than Pagefind's reading them)."""
    manifest = tree.with_name(tree.name + ".json")
    try:
        old = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = None
    manifest.unlink(missing_ok=True)  # not valid while the tree changes
    if not isinstance(old, dict):
        shutil.rmtree(tree, ignore_errors=True)
        old = {}
    new = dict(pages)
    for rel in old.keys() - new.keys():
        path = tree / rel
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()
        except OSError:
            pass
    for rel, digest in new.items():
        if old.get(rel) == digest:
            continue
        path = tree / rel
        if rel in old:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        link(stored(prepared, digest), path)
    tree.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(new, separators=(",", ":")), encoding="utf-8")


def link(src, dst) -> None:
    try:
        os.link(src, dst)
    except FileExistsError:
        raise  # two files of one name: never one over the other
    except OSError:  # another file system (or one without hard links)
        shutil.copy2(src, dst)


def read_words(store: Path, part: Part) -> list[str]:
    return (store / part.dir / "words.txt").read_text(encoding="utf-8").split("\n")


# ---- putting the site's pagefind/ together ----------------------------------------------------

def publish(out: Path, store: Path, parts: list[Part], placed: set[str] | None = None) -> None:
    """pagefind/ from the parts' bundles, each shard's index completed with the other shards'
    words (when there are others). Files are hard links into the cache. out may hold the
    pagefind/ of a recycled site (publish.Assembly): its files are replaced, never written
    through; `placed` collects the paths put in the site (two of one name are an error)."""
    site = _Site(set() if placed is None else placed)
    shards = sorted({p.shard for p in parts})
    vocabulary: dict[str, set[str]] = {}
    words: dict[str, list[str]] = {}
    if len(shards) > 1:
        for part in parts:
            words[part.key] = read_words(store, part)
            vocabulary.setdefault(part.lang, set()).update(words[part.key])
    joined = _Joined(store / "joined", site)
    for n, shard in enumerate(shards):
        target = out if n == 0 else out / f"shard-{shard}"
        languages = {}
        for part in (p for p in parts if p.shard == shard):
            source = store / part.dir / "bundle"
            entry = json.loads((source / "pagefind-entry.json").read_text(encoding="utf-8"))
            info = entry["languages"][part.lang]
            missing = sorted(vocabulary[part.lang].difference(words[part.key])) if part.key in words else []
            info = joined.language(source, target, part, info, missing)
            languages[part.lang] = info
            for sub in ("fragment", "filter"):
                site.link_folder(source / sub, target / sub)
            for item in source.iterdir() if n == 0 else ():
                if item.name in SCRIPTS or item.name.startswith("wasm."):
                    if str(target / item.name) not in site.placed:  # (the same in both languages' bundles)
                        site.link(item, target / item.name)
        entry["languages"] = dict(sorted(languages.items()))
        site.write(target / "pagefind-entry.json", json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    joined.save()
    site.write(out / SHARDS, json.dumps([f"shard-{s}/" for s in shards[1:]]))


class _Site:
    """Putting files into the site's pagefind/ (see publish())."""

    def __init__(self, placed: set[str]):
        self.placed = placed

    def folder(self, path: Path) -> None:
        publish_tree.make_folder(str(path))
        self.placed.add(str(path))

    def link(self, src: Path | str, dst: Path | str) -> None:
        dst = str(dst)
        if dst in self.placed:
            raise FileExistsError(f"{dst}: two files of one name, never one over the other")
        self.placed.add(dst)
        publish_tree.place_file(str(src), dst)

    def link_folder(self, source: Path, target: Path) -> None:
        self.folder(target)
        with os.scandir(source) as items:
            for item in items:
                self.link(item.path, f"{target}/{item.name}")

    def write(self, path: Path, text: str) -> None:
        self.placed.add(str(path))
        publish_tree.write_new(path, text.encode("utf-8"))


class _Joined:
    """Index chunks and metadata with other shards' words added, kept by what they were made
    from (the file it was made from and a hash of the words added), and for each part and
    set of words added, which files make its published index (so that a build where neither
    changed only links files)."""

    def __init__(self, folder: Path, site: _Site):
        self.folder = folder
        self.site = site
        try:
            self.map = json.loads((folder / "map.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.map = {}
        self.used: dict[str, object] = {}
        self.files: set[str] = set()

    def language(self, source: Path, target: Path, part: Part, info: dict, missing: list[str]) -> dict:
        """Publish one language's index into target; its entry (pagefind-entry.json) info."""
        self.site.folder(target / "index")
        meta_name = f"pagefind.{info['hash']}.pf_meta"
        if not missing:
            self.site.link_folder(source / "index", target / "index")
            self.site.link(source / meta_name, target / meta_name)
            return info
        key = f"{part.key}:{_digest(missing)}"
        plan = self.map.get(key)
        if not (isinstance(plan, dict) and all((self.folder / sha1).is_file() for _, sha1 in plan["index"] if sha1)
                and (self.folder / plan["meta"][1]).is_file()):
            plan = self._plan(source, part, meta_name, missing)
        self.used[key] = plan
        for name, sha1 in plan["index"]:
            self.site.link(self.folder / sha1 if sha1 else source / "index" / f"{name}.pf_index",
                           target / "index" / f"{name}.pf_index")
            if sha1:
                self.files.add(sha1)
        hashed, sha1 = plan["meta"]
        self.site.link(self.folder / sha1, target / f"pagefind.{hashed}.pf_meta")
        self.files.add(sha1)
        return {**info, "hash": hashed}

    def _plan(self, source: Path, part: Part, meta_name: str, missing: list[str]) -> dict:
        """Make (or find made) the chunks that get words and the metadata naming them all.
        (Kept by the part's key too: Pagefind's short file names may repeat across parts.)"""
        lang = part.lang
        ranges = json.loads((source.parent / "ranges.json").read_text(encoding="utf-8"))
        placed_ranges, placed = bundle_files.place_words(ranges, missing)
        index, new_ranges = [], []
        for i, (start, end, name) in enumerate(placed_ranges):
            added = placed.get(i)
            sha1 = ""
            if added:
                old = source / "index" / f"{name}.pf_index" if name else None
                sha1 = self._made(f"{part.key}:{name}:{_digest(added)}", lambda: bundle_files.with_words(
                    bundle_files.read(old) if old else None, added))
                name = bundle_files.file_name(lang, sha1, 7)
            index.append([name, sha1])
            new_ranges.append([start, end, name])
        sha1 = self._made(f"{part.key}:{meta_name}:{_digest([x for r in new_ranges for x in r])}",
                          lambda: bundle_files.with_chunks(bundle_files.read(source / meta_name), new_ranges))
        return {"index": index, "meta": [bundle_files.file_name(lang, sha1, 10), sha1]}

    def _made(self, key: str, make: Callable[[], bytes]) -> str:
        """The SHA-1 of the CBOR of the file for this key (its name in the folder): made now,
        or kept from an earlier build."""
        sha1 = self.map.get(key)
        if not (isinstance(sha1, str) and (self.folder / sha1).is_file()):
            raw = make()
            sha1 = hashlib.sha1(raw).hexdigest()
            if not (self.folder / sha1).is_file():
                self.folder.mkdir(parents=True, exist_ok=True)
                fresh = self.folder / f".{sha1}.{os.getpid()}"
                bundle_files.write(fresh, raw)
                fresh.replace(self.folder / sha1)
        self.used[key] = sha1
        return sha1

    def save(self) -> None:
        """Keep what this build used, and nothing else."""
        if not self.folder.is_dir():
            return
        keep = self.files | {s for s in self.used.values() if isinstance(s, str)} | {"map.json"}
        for item in os.scandir(self.folder):
            if item.name not in keep and not item.name.startswith("."):
                os.unlink(item.path)
        if self.used != self.map:
            fresh = self.folder / f".map.json.{os.getpid()}"
            fresh.write_text(json.dumps(self.used, sort_keys=True), encoding="utf-8")
            fresh.replace(self.folder / "map.json")


def _digest(words: list[str]) -> str:
    return hashlib.sha256("\0".join(words).encode("utf-8")).hexdigest()[:32]
