"""The docs tree: plain Markdown pages with front matter, one tree per language."""
from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import Any

import jinja2

from ..context import LANGS, BuildContext
from ..models.common import LangText

ASSETS = Path(__file__).parent / "assets"
TEMPLATES = Path(__file__).parent / "templates"


def t(value: Any, lang: str) -> str:
    """A language map's text in lang (English falls back to Japanese); plain strings pass."""
    if value is None:
        return ""
    if isinstance(value, LangText):
        return value.get(lang)
    if isinstance(value, dict):
        return value.get(lang) or value.get("ja") or ""
    return str(value)


def has_lang(value: Any, lang: str) -> bool:
    """True when the text really is in lang (not a fallback): decides the lang attribute."""
    if isinstance(value, LangText):
        return lang == "ja" or bool(value.en)
    return True


def text_lang(value: Any, lang: str) -> str:
    """The language a map's text is shown in on a page in lang."""
    return lang if has_lang(value, lang) else "ja"


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every value from content is text, never markup
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["t"] = t
    env.filters["text_lang"] = text_lang
    env.filters["attr"] = lambda v: html.escape(str(v), quote=True)
    env.filters["tojson_attr"] = lambda v: html.escape(json.dumps(v, ensure_ascii=False), quote=True)
    return env


ENV = _env()


def front_matter(meta: dict[str, Any]) -> str:
    # JSON is valid YAML: no quoting surprises from titles such as "No: 1" or "- map".
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def render_template(name: str, **values: Any) -> str:
    return ENV.get_template(name).render(**values)


def write_page(ctx: BuildContext, lang: str, path: str, title: str, body: str, **meta: Any) -> Path:
    """Write docs/<lang>/<path> (a .md file); path is the site path without /en/."""
    target = ctx.docs / lang / path
    target.parent.mkdir(parents=True, exist_ok=True)
    # Titles in the docs tree are HTML text: engines put them into <title> and headers as they
    # are, so a title such as "<script>…" from a record must arrive escaped.
    meta = {k: html.escape(v) if k == "description" and isinstance(v, str) else v for k, v in meta.items()}
    target.write_text(front_matter({"title": html.escape(title), **meta}) + body, encoding="utf-8")
    return target


def render_page(ctx: BuildContext, path: str, template: str, title: Any, **values: Any) -> None:
    """Render one template into both languages' trees."""
    meta = values.pop("meta", {})
    for lang in LANGS:
        body = render_template(template, lang=lang, ctx=ctx, **values)
        write_page(ctx, lang, path, t(title, lang), body, **meta)


def copy_assets(ctx: BuildContext) -> None:
    """Site-wide CSS/JS, into both trees (each language is its own MkDocs site)."""
    for lang in LANGS:
        shutil.copytree(ASSETS, ctx.docs / lang / "assets" / "site", dirs_exist_ok=True)
