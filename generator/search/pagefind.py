"""The Pagefind step (POST): index the finished site's item, lesson and class pages.

Pagefind's own Japanese segmentation is not the normaliser's (it splits 歌川広重 so that 広重
is not found), so each page's article is handed to Pagefind (as a copy in a scratch folder)
with the normaliser's terms added: every
bigram and reading of the page's Japanese, encoded as plain ASCII words the segmenter leaves
alone (search.js encodes the query's terms the same way). Names get their own, heavier block
so that a print BY Hokusai outranks a page that mentions him. The published pages are not
changed. Pagefind writes one index per language (from <html lang>) into pagefind/.
"""
from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from html import escape as html_escape
from importlib.metadata import version
from pathlib import Path

import lxml.html

from ..context import BuildContext
from ..errors import BuildError, Text
from . import normalise

ARTICLE = "article"
# The page kinds that are searched, by their site path (under en/ too).
PAGE_KINDS = {"items": ("資料", "Item"), "lessons": ("レッスン", "Lesson"), "classes": ("教室", "Class")}
EXCLUDE = [".md-header", ".md-tabs", ".md-sidebar", ".md-nav", ".md-footer", ".md-banner", "[data-search-skip]"]
NAMES_WEIGHT = "4.0"


@functools.lru_cache(maxsize=200_000)
def encode(term: str) -> str:
    """A term as a word Pagefind will not split: ASCII words stay; Japanese becomes qj + three
    base-36 digits per character (kana and kanji are all below 36**3), so that a one-character
    term is a prefix of its bigrams. The rare character beyond that (CJK extension B …) makes
    the whole term qk + four digits per character."""
    if term.isascii():
        return term
    if all(ord(c) < 36 ** 3 for c in term):
        return "qj" + "".join(_base36(ord(c), 3) for c in term)
    return "qk" + "".join(_base36(ord(c), 4) for c in term)


def _base36(n: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(width, "0")


def page_kind(rel: str, known: dict[str, set[str]]) -> str | None:
    """'items' for items/<id>/index.html (and en/…) of a known item; None for lists, browse
    pages and everything else."""
    parts = rel.split("/")
    if parts[0] == "en":
        parts = parts[1:]
    if len(parts) == 3 and parts[2] == "index.html" and parts[1] in known.get(parts[0], ()):
        return parts[0]
    return None


def _terms_text(text: str, leave_out: set[str] = frozenset()) -> tuple[str, set[str]]:
    """The text's terms as Pagefind words (each once), and the set of them."""
    words = dict.fromkeys(encode(t) for t in normalise.terms(text))
    kept = [w for w in words if w not in leave_out]
    return " ".join(kept), set(words)


def prepare(html: str, kind: str, lang: str) -> str | None:
    """The page as Pagefind should read it: the article's terms in place of its text (no
    header, navigation or footer; Pagefind's own segmentation of the Japanese would only add
    words no query asks for), its title as metadata, and its filters and metadata."""
    doc = lxml.html.document_fromstring(html)
    articles = doc.xpath("//article")
    if not articles:
        return None
    article = articles[0]
    for other in article.xpath(".//*[@data-search-skip]"):  # e.g. related items: other items' titles
        other.drop_tree()
    h1 = article.findtext(".//h1") or doc.findtext(".//title") or ""
    names_text = " ".join(e.text_content() for e in article.xpath(".//*[contains(@class, 'search-names')]"))
    names, name_words = _terms_text(names_text) if names_text.strip() else ("", set())
    body, _ = _terms_text(article.text_content(), name_words)
    kept = [lxml.html.tostring(e, encoding="unicode", with_tail=False)
            for e in article.xpath(".//*[@data-pagefind-filter or @data-pagefind-meta]")]
    if kind != "items":
        label = html_escape(PAGE_KINDS[kind][0 if lang == "ja" else 1])
        kept.append(f'<span data-pagefind-meta="kind">{label}</span>')
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head><body>'
            f'<article data-pagefind-body><span data-pagefind-meta="title">{html_escape(h1.strip())}</span>'
            f'{"".join(kept)}<div data-pagefind-weight="{NAMES_WEIGHT}">{names}</div><div>{body}</div>'
            f"</article></body></html>")


def pages(site: Path, known: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(site path, kind) of every page to index."""
    out = []
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        kind = page_kind(rel, known)
        if kind:
            out.append((rel, kind))
    return out


def _prepare_file(job: tuple[str, str, str, str]) -> bool:
    """In a worker: read one built page, write what Pagefind should index beside it."""
    site, scratch, rel, kind = job
    lang = "en" if rel.startswith("en/") else "ja"
    prepared = prepare((Path(site) / rel).read_text(encoding="utf-8"), kind, lang)
    if prepared is None:
        return False
    target = Path(scratch) / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(prepared, encoding="utf-8")
    return True


def _pages_key(site: Path, found: list[tuple[str, str]]) -> str:
    """Changes whenever an indexed page, this module or the normaliser changes."""
    h = hashlib.sha256(Path(__file__).read_bytes() + Path(normalise.__file__).read_bytes())
    h.update(version("pagefind").encode())
    for rel, kind in found:
        h.update(f"{rel}\0{kind}\0".encode() + (site / rel).read_bytes())
    return h.hexdigest()[:32]


def build_index(site: Path, scratch: Path, known: dict[str, set[str]], cache: Path | None = None) -> int:
    """Prepare the pages (in parallel: the readings cost CPU) and run Pagefind once over them.
    With a cache, an index made from exactly the same pages is reused instead."""
    found = pages(site, known)
    entry = None
    if cache is not None:
        entry = cache / "pagefind" / _pages_key(site, found)
        if (entry / "pagefind-entry.json").is_file():
            shutil.copytree(entry, site / "pagefind", copy_function=os.link)
            return len(found)
    done = _run_pagefind(site, scratch, found)
    if entry is not None:
        # Keep one index: the one this site has. Written beside and renamed, as tiles are.
        shutil.rmtree(entry.parent, ignore_errors=True)
        fresh = entry.parent / f".new-{os.getpid()}"
        shutil.copytree(site / "pagefind", fresh)
        fresh.rename(entry)
    return done


def _run_pagefind(site: Path, scratch: Path, found: list[tuple[str, str]]) -> int:
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    jobs = [(str(site), str(scratch), rel, kind) for rel, kind in found]
    workers = max(1, min(os.cpu_count() or 1, len(jobs) // 200 + 1))
    if workers == 1:
        done = sum(map(_prepare_file, jobs))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = sum(pool.map(_prepare_file, jobs, chunksize=64))
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(scratch), "--output-path", str(site / "pagefind"),
         "--exclude-selectors", ", ".join(EXCLUDE)],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(Text(f"検索索引（Pagefind）を作れませんでした: {result.stderr.strip() or result.stdout.strip()}",
                              f"building the search index (Pagefind) failed: {result.stderr.strip() or result.stdout.strip()}"),
                         Text("pagefind[extended] が入っているか確かめ（make site）、もう一度 build してください。",
                              "check that pagefind[extended] is installed (make site), then build again."))
    # Pagefind's ready-made interfaces are not used (search.js is the site's own): not published.
    for unused in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                   "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"):
        (site / "pagefind" / unused).unlink(missing_ok=True)
    return done


def index(ctx: BuildContext) -> None:
    if ctx.progress:
        print("search index (Pagefind)…", file=sys.stderr, flush=True)
    data = ctx.derived.get("search")
    build_index(ctx.site, ctx.work / "pagefind-pages", data.pages if data else {}, ctx.cache)
