"""The one module that knows MkDocs: docs tree in, HTML out.

Each language is rendered as its own MkDocs site (Japanese at the root, English under
/en/), in parallel processes. Replacing the engine means replacing this file.
"""
from __future__ import annotations

import io
import logging
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from ..context import LANGS, BuildContext
from ..errors import BuildError, Text

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner on every build

OVERRIDES = Path(__file__).parent / "overrides"
# Settings the generator owns; a value in mkdocs.yml for these is replaced.
OWNED = {"nav", "docs_dir", "site_dir", "plugins", "site_url", "use_directory_urls", "INHERIT"}
MARKDOWN_EXTENSIONS: list[Any] = [
    "attr_list",
    "md_in_html",
    "tables",
    "admonition",
    {"toc": {"permalink": False}},
    "pymdownx.details",
    {"pymdownx.tabbed": {"alternate_style": True}},
    "pymdownx.superfences",
]


def mkdocs_config(ctx: BuildContext, lang: str, out: Path) -> dict[str, Any]:
    raw = {k: v for k, v in ctx.config.raw.items() if k not in OWNED}
    theme = dict(raw.get("theme") or {})
    theme.update(name="material", language=lang, custom_dir=str(OVERRIDES), font=False)
    extra = dict(raw.get("extra") or {})
    extra.update(lang=lang, twin_lang="en" if lang == "ja" else "ja", site_root_url=ctx.site_url)
    extra.pop("alternate", None)
    nav = [{(e.ja if lang == "ja" else e.en): e.path} for e in sorted(ctx.nav, key=lambda e: e.order)]
    extensions = list(MARKDOWN_EXTENSIONS)
    for ext in raw.get("markdown_extensions") or []:
        if ext not in extensions:
            extensions.append(ext)
    raw.update(
        site_name=ctx.config.site_name if lang == "ja" else ctx.config.site_name_en,
        site_description=ctx.config.description if lang == "ja" else ctx.config.description_en,
        site_url=ctx.url("", lang),
        docs_dir=str(ctx.docs / lang),
        site_dir=str(out),
        use_directory_urls=True,
        plugins=[],  # no Material search: the site's search is Pagefind
        nav=nav,
        theme=theme,
        extra=extra,
        markdown_extensions=extensions,
        # Every site-wide stylesheet and script in render/assets/{css,js}/, in name order.
        extra_css=_assets("css") + list(raw.get("extra_css") or []),
        extra_javascript=_assets("js") + list(raw.get("extra_javascript") or []),
    )
    return raw


def _assets(kind: str) -> list[str]:
    folder = Path(__file__).parent / "assets" / kind
    return [f"assets/site/{kind}/{p.name}" for p in sorted(folder.glob(f"*.{kind}"))]


def _build_one(config_path: str) -> str:
    """Run in a worker process: build one language; return MkDocs' warnings."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    log.setLevel(logging.WARNING)
    config = load_config(config_file=config_path)
    build(config)
    return stream.getvalue()


def render_html(ctx: BuildContext) -> list[str]:
    """Build both languages and assemble them in ctx.site; return MkDocs' warnings."""
    configs = []
    for lang in LANGS:
        out = ctx.work / f"html-{lang}"
        path = ctx.work / f"mkdocs-{lang}.yml"
        path.write_text(yaml.safe_dump(mkdocs_config(ctx, lang, out), allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        configs.append(str(path))
    try:
        with ProcessPoolExecutor(max_workers=min(len(configs), os.cpu_count() or 1)) as pool:
            warnings = list(pool.map(_build_one, configs))
    except Exception as exc:  # MkDocs raises many kinds; the user needs the sentence, not the stack
        raise BuildError(Text(f"ページの作成（MkDocs）に失敗しました: {exc}", f"rendering the pages (MkDocs) failed: {exc}"),
                         Text("上のメッセージの原因を直してから、もう一度 build してください。",
                              "fix the cause named above, then build again.")) from exc
    shutil.move(str(ctx.work / "html-ja"), str(ctx.site))
    shutil.move(str(ctx.work / "html-en"), str(ctx.site / "en"))
    return [w for w in warnings if w.strip()]
