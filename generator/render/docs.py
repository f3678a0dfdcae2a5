"""The docs tree: plain Markdown pages with front matter, one tree per language."""
from __future__ import annotations

import hashlib
import html
import json
import os
from pathlib import Path
from typing import Any

import jinja2

from ..cache import write_atomic
from ..context import LANGS, BuildContext, code_digest
from ..errors import BuildError, Text
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
    # Titles in the docs tree are HTML text: engines put them into <title> and headers as they
    # are, so a title such as "<script>…" from a record must arrive escaped.
    meta = {k: html.escape(v) if k == "description" and isinstance(v, str) else v for k, v in meta.items()}
    text = front_matter({"title": html.escape(title), **meta}) + body
    claim(ctx, f"{lang}/{path}", title)
    return put(ctx, f"{lang}/{path}", text.encode("utf-8"))


def claim(ctx: BuildContext, rel: str, owner: str) -> None:
    """Record that docs/<rel> is owner's page; a second page at the same address (items/x.md
    and items/x/index.md both become items/x/) stops the build, naming both."""
    address = rel[:-3] if rel.endswith(".md") else rel
    address = address.removesuffix("/index")
    before = ctx.docs_owner.setdefault(address, owner)
    if before != owner or rel in ctx.docs_wanted:
        shown = address.split("/", 1)[1] + "/" if "/" in address else ""
        raise BuildError(
            Text(f"二つのページが同じ場所 {shown} に作られようとしました:「{before}」と「{owner}」。",
                 f"two pages would be written to the same address {shown}: '{before}' and '{owner}'."),
            Text("どちらかの ID（ファイル名）を変えてください。", "change the id (and file name) of one of them."))


# --- the kept docs tree -------------------------------------------------------------------
# The docs tree lives in the cache between builds. A file is rewritten only when its bytes
# change (so its mtime tells the engine what to render again), files no step wrote this
# build are removed, and a page whose inputs are unchanged need not even be rendered from
# its template again (cached_page). Builds of one repo take turns (pipeline.build's lock).
KEYS_FILE = "page-keys.json"


def put(ctx: BuildContext, rel: str, data: bytes) -> Path:
    """docs/<rel> holds data afterwards; written only when it held something else."""
    target = ctx.docs / rel
    ctx.docs_wanted.add(rel)
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return target
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    ctx.docs_changed.add(rel)
    return target


def page_key(ctx: BuildContext, *parts: str) -> str:
    """A page's input key: the code, the site URL and the digests of what the page shows."""
    h = hashlib.sha256(f"{code_digest()}\0{ctx.site_url}".encode())
    for part in parts:
        h.update(b"\0" + part.encode("utf-8"))
    return h.hexdigest()


def cached_page(ctx: BuildContext, lang: str, path: str, key: str) -> bool:
    """True when docs/<lang>/<path> was rendered from exactly these inputs by the last
    successful build and is still there: it is kept as it is, and need not be rendered."""
    rel = f"{lang}/{path}"
    ctx.page_keys[rel] = key
    if ctx.page_keys_before.get(rel) == key and os.path.isfile(f"{ctx.docs}/{rel}"):
        claim(ctx, rel, path)
        ctx.docs_wanted.add(rel)
        return True
    return False


def begin(ctx: BuildContext) -> None:
    """Before the render steps: take the last build's page keys. They are valid only until
    this build starts changing the docs tree, so the file goes now and comes back in finish()."""
    path = ctx.docs / KEYS_FILE
    try:
        ctx.page_keys_before = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ctx.page_keys_before = {}
    path.unlink(missing_ok=True)
    ctx.docs_wanted.clear()
    ctx.docs_changed.clear()
    ctx.docs_owner.clear()
    ctx.page_keys = {}


def finish(ctx: BuildContext) -> None:
    """After the render steps: drop files of pages that are gone, record the page keys."""
    keep = ctx.docs_wanted | {KEYS_FILE}
    skip = len(str(ctx.docs)) + 1
    for lang in LANGS:
        top = ctx.docs / lang
        for folder, _dirs, files in os.walk(top):
            for name in files:
                rel = f"{folder[skip:]}/{name}"  # (strings: 20,000 files)
                if rel not in keep:
                    os.unlink(os.path.join(folder, name))
                    ctx.docs_changed.add(rel)
    write_atomic(ctx.docs / KEYS_FILE, json.dumps(ctx.page_keys, sort_keys=True))


def render_page(ctx: BuildContext, path: str, template: str, title: Any, **values: Any) -> None:
    """Render one template into both languages' trees."""
    meta = values.pop("meta", {})
    for lang in LANGS:
        body = render_template(template, lang=lang, ctx=ctx, **values)
        write_page(ctx, lang, path, t(title, lang), body, **meta)


def copy_assets(ctx: BuildContext) -> None:
    """Site-wide CSS/JS, into both trees (each language is its own MkDocs site)."""
    for path in sorted(p for p in ASSETS.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for lang in LANGS:
            put(ctx, f"{lang}/assets/site/{path.relative_to(ASSETS).as_posix()}", data)
