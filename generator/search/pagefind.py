"""The Pagefind step (POST): index the finished site's item, lesson and class pages.

Pagefind's own Japanese segmentation is not the normaliser's (it splits 歌川広重 so that 広重
is not found), so each page is handed to Pagefind with the normaliser's terms added: every
bigram and reading of the page's Japanese, encoded as plain ASCII words the segmenter leaves
alone (search.js encodes the query's terms the same way). Names get their own, heavier block
so that a print BY Hokusai outranks a page that mentions him. The pages on disk are not
changed. Pagefind writes one index per language (from <html lang>) into pagefind/.
"""
from __future__ import annotations

import asyncio
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


def encode(term: str) -> str:
    """A term as a word Pagefind will not split: ASCII words stay, Japanese becomes qj + base36
    code points (4 digits each), so a one-character term is a prefix of its bigrams."""
    if term.isascii():
        return term
    return "qj" + "".join(_base36(ord(c)) for c in term)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(4, "0")


def page_kind(rel: str, known: dict[str, set[str]]) -> str | None:
    """'items' for items/<id>/index.html (and en/…) of a known item; None for lists, browse
    pages and everything else."""
    parts = rel.split("/")
    if parts[0] == "en":
        parts = parts[1:]
    if len(parts) == 3 and parts[2] == "index.html" and parts[1] in known.get(parts[0], ()):
        return parts[0]
    return None


def _terms_text(text: str) -> str:
    return " ".join(dict.fromkeys(encode(t) for t in normalise.terms(text) if not t.isascii()))


def prepare(html: str, kind: str, lang: str) -> str | None:
    """The page as Pagefind should read it: only the article, plus the normaliser's terms."""
    doc = lxml.html.document_fromstring(html)
    articles = doc.xpath("//article")
    if not articles:
        return None
    article = articles[0]
    article.set("data-pagefind-body", "")
    for other in article.xpath(".//*[@data-search-skip]"):  # e.g. related items: other items' titles
        other.drop_tree()
    names = " ".join(e.text_content() for e in article.xpath(".//*[contains(@class, 'search-names')]"))
    text = article.text_content()
    extra = lxml.html.fragment_fromstring("<div hidden></div>")
    if names.strip():
        block = lxml.html.fragment_fromstring("<div></div>")
        block.set("data-pagefind-weight", NAMES_WEIGHT)
        block.text = _terms_text(names)
        extra.append(block)
    body = lxml.html.fragment_fromstring("<div></div>")
    body.text = _terms_text(text)
    extra.append(body)
    if kind != "items":
        meta = lxml.html.fragment_fromstring("<span></span>")
        meta.set("data-pagefind-meta", "kind")
        meta.text = PAGE_KINDS[kind][0 if lang == "ja" else 1]
        extra.append(meta)
        kind_filter = lxml.html.fragment_fromstring("<span></span>")
        kind_filter.set("data-pagefind-filter", "kind")
        kind_filter.text = meta.text
        extra.append(kind_filter)
    article.append(extra)
    return lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")


def pages(site: Path, known: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(site path, kind) of every page to index."""
    out = []
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        kind = page_kind(rel, known)
        if kind:
            out.append((rel, kind))
    return out


async def _index(site: Path, known: dict[str, set[str]]) -> int:
    from pagefind.index import PagefindIndex

    count = 0
    config = {"exclude_selectors": EXCLUDE, "output_path": str(site / "pagefind")}
    async with PagefindIndex(config=config) as index:
        for rel, kind in pages(site, known):
            lang = "en" if rel.startswith("en/") else "ja"
            html = prepare((site / rel).read_text(encoding="utf-8"), kind, lang)
            if html is None:
                continue
            await index.add_html_file(content=html, url="/" + rel[: -len("index.html")])
            count += 1
    return count


def index(ctx: BuildContext) -> None:
    if ctx.progress:
        print("search index (Pagefind)…", file=__import__("sys").stderr, flush=True)
    try:
        data = ctx.derived.get("search")
        asyncio.run(_index(ctx.site, data.pages if data else {}))
    except BuildError:
        raise
    except Exception as exc:  # the service reports many kinds; the user needs the sentence
        raise BuildError(Text(f"検索索引（Pagefind）を作れませんでした: {exc}", f"building the search index (Pagefind) failed: {exc}"),
                         Text("pagefind[extended] が入っているか確かめ（make site）、もう一度 build してください。",
                              "check that pagefind[extended] is installed (make site), then build again.")) from exc

