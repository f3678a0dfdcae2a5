"""The one module that knows MkDocs: docs tree in, HTML out.

Each language is rendered as its own MkDocs site (Japanese at the root, English under
/en/), in parallel processes. Replacing the engine means replacing this file.
"""
from __future__ import annotations

import fcntl
import hashlib
import io
import logging
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
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


def _build_one(job: tuple[str, bool]) -> str:
    """Run in a worker process: build one language; return MkDocs' warnings."""
    config_path, dirty = job
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    log.setLevel(logging.WARNING)
    config = load_config(config_file=config_path)
    build(config, dirty=dirty)
    # A dirty build is safe here (see render_html); MkDocs' general caution about it is noise.
    return "\n".join(line for line in stream.getvalue().splitlines() if "'dirty' build" not in line
                     and "--dirty" not in line)


def _engine_key(config_text: str) -> str:
    """What every page's HTML depends on besides its own Markdown: settings, theme, overrides."""
    h = hashlib.sha256(config_text.encode("utf-8"))
    h.update(f"mkdocs {version('mkdocs')} material {version('mkdocs-material')}".encode())
    for path in sorted(OVERRIDES.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(OVERRIDES).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _html_for(doc: str) -> str:
    """The output MkDocs writes for a docs path (use_directory_urls)."""
    if not doc.endswith(".md"):
        return doc
    stem = doc[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def _sync(src: Path, dst: Path, html: Path) -> None:
    """Make dst hold exactly src's files, touching only those that changed (their mtime then
    tells MkDocs' dirty build what to render again); drop the output of removed pages."""
    wanted = {p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file()}
    if dst.exists():
        for path in [p for p in dst.rglob("*") if p.is_file()]:
            rel = path.relative_to(dst).as_posix()
            if rel not in wanted:
                path.unlink()
                out = html / _html_for(rel)
                if out.is_file():
                    out.unlink()
    for rel in wanted:
        source, target = src / rel, dst / rel
        data = source.read_bytes()
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def render_html(ctx: BuildContext) -> list[str]:
    """Build both languages and assemble them in ctx.site; return MkDocs' warnings.

    Rendering is incremental: the docs tree and the HTML of the last build are kept in
    .cache/render/<lang>/, and only pages whose Markdown changed are rendered again, as long
    as the settings, theme and overrides are the same (else everything is rendered). The
    finished HTML is copied, never linked, into the new site: the cache is written in place
    by the next build, the published site must not change under readers.
    """
    state = ctx.cache / "render"
    state.mkdir(parents=True, exist_ok=True)
    lock = open(state / ".lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # builds of the same repo take turns with the render cache
    jobs = []
    try:
        for lang in LANGS:
            base = state / lang
            html = base / "html"
            text = yaml.safe_dump(mkdocs_config(ctx, lang, html), allow_unicode=True, sort_keys=False)
            text = text.replace(str(ctx.docs / lang), str(base / "docs"))
            key = _engine_key(text)
            dirty = (base / "key").is_file() and (base / "key").read_text() == key and html.is_dir()
            if not dirty:
                shutil.rmtree(base, ignore_errors=True)
            (base / "key").unlink(missing_ok=True)  # valid again only when this build succeeds
            _sync(ctx.docs / lang, base / "docs", html)
            path = base / "mkdocs.yml"
            path.write_text(text, encoding="utf-8")
            jobs.append((str(path), dirty, base, key))
        with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
            warnings = list(pool.map(_build_one, [(path, dirty) for path, dirty, _, _ in jobs]))
        for _, _, base, key in jobs:
            (base / "key").write_text(key)
        shutil.copytree(state / "ja" / "html", ctx.site)
        shutil.copytree(state / "en" / "html", ctx.site / "en")
    except OSError:
        raise  # the disk, not the pages: the pipeline says so
    except Exception as exc:  # MkDocs raises many kinds; the user needs the sentence, not the stack
        raise BuildError(Text(f"ページの作成（MkDocs）に失敗しました: {exc}", f"rendering the pages (MkDocs) failed: {exc}"),
                         Text("上のメッセージの原因を直してから、もう一度 build してください。",
                              "fix the cause named above, then build again.")) from exc
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    return [w for w in warnings if w.strip()]
