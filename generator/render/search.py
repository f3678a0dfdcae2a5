"""The search page, search/ and en/search/: the query comes from the address (?q=…), so a
list of results can be bookmarked and shared. Pagefind answers in the browser (search.js)."""
from __future__ import annotations

from ..content import Content
from ..context import BuildContext
from .docs import render_page

# Queries offered when nothing is found: they always find something in an archive of prints.
SUGGESTIONS = {"ja": ["北斎", "ひろしげ", "富士", "地図", "スマホ"], "en": ["Hokusai", "Hiroshige", "Fuji", "map", "phone"]}


def write(content: Content, ctx: BuildContext) -> None:
    render_page(ctx, "search/index.md", "search.md.j2", {"ja": "検索", "en": "Search"},
                suggestions=SUGGESTIONS, meta={"hide": ["navigation", "toc"]})
