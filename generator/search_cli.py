"""`sitegen search QUERY` (cli.COMMANDS lists it): the archive's catalogue for librarians,
from the command line.

The same normaliser, documents and ranking as the site's search page: ほくさい, hokusai and
北斎 give the items the search page gives, in its order. Field queries narrow: artist:北斎
type:map period:江戸.
"""
from __future__ import annotations

import argparse

from .cache import lock
from .errors import user_lang


def setup(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="+", help="words to find; field:value narrows (artist, series, title, place, "
                                            "subject, type, period, rights), e.g. artist:北斎 type:map")
    p.add_argument("--limit", type=int, default=20, help="how many results to list (default 20)")
    p.add_argument("--facets", action="store_true", help="also count the results by type, artist, series, period, place and rights")


def catalogue(root):
    """The cached catalogue when no record changed since it was built, else a fresh one."""
    # Imported here for start-up time: only the command that runs loads its modules.
    from .content import load_content
    from .search import catalog, catalog_saved, documents, records

    saved = catalog.open_saved(root / ".cache", root)
    if saved:
        return saved
    content = load_content(root)  # ContentErrors: the CLI prints them and exits 1
    # Updated document by document, as a build does (and the next build finds it up to date).
    recs = records.records(content)
    pages = [d for d in documents.documents(content, recs) if d.kind != "item"]
    fresh = catalog_saved.refresh(recs, root / ".cache", root, pages)
    return catalog.open_index(root / ".cache"), fresh.readings


def run(args: argparse.Namespace) -> int:
    with lock(args.root):  # it may bring the catalogue in .cache/ up to date
        return _search(args)


def _search(args: argparse.Namespace) -> int:
    # Imported here for start-up time: only the command that runs loads its modules.
    from .search import catalog

    ja = user_lang() == "ja"
    text = " ".join(args.query)
    ix, readings = catalogue(args.root.resolve())
    hits, total = catalog.search(ix, text, readings, limit=max(1, args.limit))
    others = catalog.other_pages(ix, text, readings)
    also = ((f"（検索ページには、このほかにレッスン・教室が {others} 件出ます）" if ja
             else f"(the search page also lists {others} lesson and class page(s) for this query)") if others else "")
    if not hits:
        print(f"「{text}」に合う資料はありません。" if ja else f"no items match '{text}'.")
        if also:
            print(also)
        print("言葉を短くする、ひらがなやローマ字で書く（ほくさい、hokusai）、artist: などの絞り込みを外す、を試してください。" if ja
              else "try fewer or shorter words, the name in kana or romaji (ほくさい, hokusai), or drop field filters such as artist:.")
        return 0
    print(f"「{text}」: {total} 件" if ja else f"'{text}': {total} item(s)")
    for h in hits:
        title = h.title_ja if ja or not h.title_en else h.title_en
        print(f"{h.id}\t{h.type}\t{title}")
    if also:
        print(also)
    if args.facets:
        for name, counts in catalog.facet_counts(ix, text, readings).items():
            listed = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            if listed:
                print(f"{name}: {listed}")
    return 0

