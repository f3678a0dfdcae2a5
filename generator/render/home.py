"""The home pages: / and /en/."""
from __future__ import annotations

from ..content import Content
from ..context import BuildContext
from .docs import render_page


def write(content: Content, ctx: BuildContext) -> None:
    ctx.add_nav(0, "ホーム", "Home", "index.md")
    render_page(ctx, "index.md", "home.md.j2", {"ja": ctx.config.site_name, "en": ctx.config.site_name_en},
                items=content.items, lessons=content.lessons, meta={"hide": ["navigation", "toc"]})
