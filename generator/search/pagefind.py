"""The Pagefind step (POST): index the finished site's item, lesson and class pages.

Pagefind's own Japanese segmentation is not the normaliser's (it splits 歌川広重 so that 広重
is not found), so each page's article is handed to Pagefind (as a prepared copy) with the
normaliser's terms in place of its text: every bigram and reading of the page's Japanese,
encoded as plain ASCII words the segmenter leaves alone (search.js encodes the query's terms
the same way). Names get their own, heavier block so that a print BY Hokusai outranks a page
that mentions him. The published pages are not changed.

At archive scale one Pagefind run over every page would take 2 GB, and one changed record
would mean running it all again. So the index is in shards of SHARD_ITEMS items (an item's
shard is fixed by its id; lessons and classes are in the first), and each shard's pages of
one language are one Pagefind run, kept in the cache by what they were made from
(pagefind_parts). Prepared pages are kept too, by the hash of the built page
(pagefind_prepared), so a build parses only the pages that changed and runs Pagefind only
for the shards they are in. The first shard is pagefind/, the others pagefind/shard-<n>/,
merged into it by search.js; a small archive is one shard, as it always was.
"""
from __future__ import annotations

import functools
import hashlib
import math
import os
import shutil
import sys
import zlib
from html import escape as html_escape
from importlib.metadata import version
from pathlib import Path

import lxml.html

from ..context import BuildContext
from ..errors import BuildError, Text
from . import normalise, pagefind_parts, pagefind_prepared

ARTICLE = "article"
# The page kinds that are searched, by their site path (under en/ too).
PAGE_KINDS = {"items": ("資料", "Item"), "lessons": ("レッスン", "Lesson"), "classes": ("教室", "Class")}
EXCLUDE = [".md-header", ".md-tabs", ".md-sidebar", ".md-nav", ".md-footer", ".md-banner", "[data-search-skip]"]
NAMES_WEIGHT = "4.0"
# Items per shard. Pagefind holds all it indexes in memory (1.8 GB for 10,000 items in both
# languages at once); a shard of 2,000 items is two runs (Japanese, English) of 2-3 s and
# 150-300 MB each, and a query reads a chunk of each shard's index, so fewer, larger shards
# cost a reader fewer bytes and a changed record more seconds. Tests lower it.
SHARD_ITEMS = 2000
RUN_MB, PAGE_MB = 10, 0.15  # see _estimate_mb
MEMORY_MB = 1300  # two Pagefind runs at once only if together they stay below this


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
    label = PAGE_KINDS[kind][0 if lang == "ja" else 1] if kind != "items" else ""
    # The title and the kind are words of the page even where the article does not show them.
    body, _ = _terms_text(f"{article.text_content()}\n{h1}\n{label}", name_words)
    kept = [lxml.html.tostring(e, encoding="unicode", with_tail=False)
            for e in article.xpath(".//*[@data-pagefind-filter or @data-pagefind-meta]")]
    if label:
        kept.append(f'<span data-pagefind-meta="kind">{html_escape(label)}</span>')
    # The title, filters and metadata are read by Pagefind but not indexed as words
    # (data-pagefind-ignore keeps them out of the text only): their words are among the
    # terms already, and Japanese text in the index would make Pagefind load its Japanese
    # dictionary, which alone costs a second and 330 MB per run and finds nothing a query asks.
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head><body>'
            f'<article data-pagefind-body><div data-pagefind-ignore>'
            f'<span data-pagefind-meta="title">{html_escape(h1.strip())}</span>{"".join(kept)}</div>'
            f'<div data-pagefind-weight="{NAMES_WEIGHT}">{names}</div><div>{body}</div>'
            f"</article></body></html>")


def pages(site: Path, known: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(site path, kind) of every page to index, by path. Only the known pages' folders are
    looked at: walking the whole site (tens of thousands of tiles) costs more than this step."""
    out = []
    for kind in PAGE_KINDS:
        for name in known.get(kind, ()):
            if "/" in name or name in ("", ".", ".."):
                continue
            for prefix in ("", "en/"):
                rel = f"{prefix}{kind}/{name}/index.html"
                if os.path.isfile(f"{site}/{rel}"):  # (a string: 20,000 Paths cost more than the stat)
                    out.append((rel, kind))
    return sorted(out)


def shard_count(items: int) -> int:
    """How many bundles the index is split into for this many items (1 for a small archive)."""
    return max(1, math.ceil(items / SHARD_ITEMS))


def shard_of(rel: str, kind: str, count: int) -> int:
    """The shard of an indexed page: an item's by its id alone (its Japanese and English pages
    together, and the same shard from build to build); lessons and classes in the first."""
    if kind != "items" or count == 1:
        return 0
    return zlib.crc32(rel.split("/")[-2].encode("utf-8")) % count


def _version(sources: list[str], packages: list[str]) -> str:
    """A hash of what made something: these source files (here, in generator/search/) and
    these installed packages' versions."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for source in sources:
        h.update(source.encode() + b"\0" + (here / source).read_bytes())
    for package in packages:
        h.update(f"{package}={version(package)}\0".encode())
    return h.hexdigest()[:32]


# A prepared page depends on this module and the normaliser (and its dictionary); a part's
# bundle on its prepared pages, how Pagefind is run and what is done to its output.
PREPARED_BY = (["pagefind.py", "normalise.py", "kana.py"], ["pykakasi"])
BUNDLED_BY = (["pagefind.py", "pagefind_parts.py", "pagefind_bundle.py"], ["pagefind"])


def _part_key(code: str, pages: list[tuple[str, str]]) -> str:
    h = hashlib.sha256(code.encode())
    for rel, digest in pages:
        h.update(f"{rel}\0{digest}\0".encode())
    return h.hexdigest()[:32]


def parts(found: list[tuple[str, str]], prepared: dict[str, str], code: str) -> tuple[int, list[pagefind_parts.Part]]:
    """The number of shards, and the parts: each shard's pages of each language."""
    count = shard_count(len({rel.split("/")[-2] for rel, kind in found if kind == "items"}))
    grouped: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for rel, kind in found:
        if rel in prepared:
            lang = pagefind_prepared.lang_of(rel)
            grouped.setdefault((shard_of(rel, kind, count), lang), []).append((rel, prepared[rel]))
    if not grouped:
        grouped[(0, "ja")] = []  # Pagefind then says (as an error) that there is nothing to index
    code += f":{count > 1}"  # (shards' bundles have smaller index chunks: pagefind_parts)
    return count, [pagefind_parts.Part(shard, lang, pages, _part_key(code, pages))
                   for (shard, lang), pages in sorted(grouped.items())]


def build_index(site: Path, scratch: Path, known: dict[str, set[str]], cache: Path | None = None,
                placed: set[str] | None = None) -> int:
    """Prepare the pages (only those that changed, with a cache), split them into shards and
    run Pagefind over each shard's pages of each language where they changed; publish the
    bundles as pagefind/. Returns the number of pages indexed."""
    found = pages(site, known)
    store = cache / "pagefind" if cache is not None else scratch / "store"
    if cache is None:
        shutil.rmtree(store, ignore_errors=True)
    prepared = pagefind_prepared.prepare_pages(site, found, store / "prepared", _version(*PREPARED_BY), prepare)
    count, todo_all = parts(found, prepared, _version(*BUNDLED_BY))
    todo = [p for p in todo_all if not (store / p.dir / "words.txt").is_file()]
    sizes = sorted((len(p.pages) for p in todo), reverse=True)
    together = 2 if (len(sizes) > 1 and (os.cpu_count() or 1) > 1
                     and _estimate_mb(sizes[0]) + _estimate_mb(sizes[1]) <= MEMORY_MB) else 1
    try:
        pagefind_parts.run_parts(store, count, todo, functools.partial(_part_words, store / "prepared"),
                                 ["--exclude-selectors", ", ".join(EXCLUDE)], together)
    except pagefind_parts.PagefindFailed as error:
        raise BuildError(Text(f"検索索引（Pagefind）を作れませんでした: {error}",
                              f"building the search index (Pagefind) failed: {error}"),
                         Text("pagefind[extended] が入っているか確かめ（make site）、もう一度 build してください。",
                              "check that pagefind[extended] is installed (make site), then build again.")) from None
    pagefind_parts.publish(site / "pagefind", store, todo_all, placed)
    if cache is not None:
        _prune(store, count, todo_all, set(prepared.values()))
    return len(prepared)


def _estimate_mb(pages: int) -> float:
    """Peak memory of one Pagefind run, from the largest measured (1.5.2, these prepared
    pages, 10,000 items): 2,000 Japanese pages 290 MB, 2,000 English 155 MB."""
    return RUN_MB + PAGE_MB * pages


def indexed_words(prepared: str) -> list[str]:
    """The words Pagefind indexes from a prepared page (what prepare() put outside
    data-pagefind-ignore: the names and the body, plain words separated by spaces)."""
    start = f'<div data-pagefind-weight="{NAMES_WEIGHT}">'
    text = prepared[prepared.index(start) + len(start):prepared.rindex("</article>")]
    return text.replace("</div><div>", " ").replace("</div>", " ").split()


def _part_words(store: Path, part: pagefind_parts.Part) -> list[str]:
    """Every word of a part's pages as Pagefind indexes it, sorted (English words also in
    Pagefind's stemmed form, Porter2 as Snowball's, which whoosh has too)."""
    words: set[str] = set()
    for _, digest in part.pages:
        words.update(indexed_words(pagefind_prepared.stored(store, digest).read_text(encoding="utf-8")))
    if part.lang == "en":
        from whoosh.lang.snowball.english import EnglishStemmer

        stem = EnglishStemmer().stem
        words.update([stem(w) for w in words])
    return sorted(words)


def _prune(store: Path, count: int, current: list[pagefind_parts.Part], pages_kept: set[str]) -> None:
    """Keep only what this site uses: its parts, their trees, their prepared pages (and what a
    build running now is writing)."""
    trees = {f"{count}-{p.shard}-{p.lang}" for p in current}
    keys = {p.key for p in current}
    for entry in os.scandir(store):
        if entry.name == "prepared":
            pagefind_prepared.prune(Path(entry.path), pages_kept)
        elif entry.name == "trees":
            for tree in os.scandir(entry.path):
                if tree.name.split(".")[0] not in trees:
                    _remove(tree)
        elif entry.name == "parts":
            for part in os.scandir(entry.path):
                if part.name not in keys and not _being_written(part.name):
                    _remove(part)
        elif entry.name != "joined":  # (that one prunes itself) the rest: what earlier versions kept
            _remove(entry)


def _remove(entry: os.DirEntry) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path, ignore_errors=True)
    else:
        os.unlink(entry.path)


def _being_written(name: str) -> bool:
    """.new-<pid>-… of another build still running."""
    pid = name.split("-")[1] if name.startswith(".new-") else ""
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except OSError:
        return False
    return True


def index(ctx: BuildContext) -> None:
    if ctx.progress:
        print("search index (Pagefind)…", file=sys.stderr, flush=True)
    data = ctx.derived.get("search")
    build_index(ctx.site, ctx.work / "pagefind-pages", data.pages if data else {}, ctx.cache, ctx.assembly.placed)
