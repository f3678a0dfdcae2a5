"""The one module that knows MkDocs: docs tree in, HTML out.

Each language is rendered as its own MkDocs site (Japanese at the root, English under
/en/), in parallel processes. Replacing the engine means replacing this file.
"""
from __future__ import annotations

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
from ..files import link_tree

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner on every build

OVERRIDES = Path(__file__).parent / "overrides"
HOOKS = Path(__file__).parent / "mkdocs_hooks.py"
# The MkDocs and Material releases whose documented interfaces this module uses (pyproject pins them).
ENGINE = {"mkdocs": "1.6.", "mkdocs-material": "9."}
# Settings the generator owns; a value in mkdocs.yml for these is replaced.
OWNED = {"nav", "docs_dir", "site_dir", "plugins", "hooks", "site_url", "use_directory_urls", "INHERIT"}
MARKDOWN_EXTENSIONS: list[Any] = [
    "attr_list",
    "md_in_html",
    "tables",
    "admonition",
    {"toc": {"permalink": False}},
    "pymdownx.details",
    {"pymdownx.tabbed": {"alternate_style": True}},
    "pymdownx.superfences",
    # Links keep only safe schemes, read as a browser reads them (as in lessons). "code": its rules' digest, so that
    # the key of the kept HTML changes with them.
    {"generator.lessons.safelinks": {"code": hashlib.sha256((OVERRIDES.parent.parent / "lessons" / "safelinks.py").read_bytes()).hexdigest()}},
]


# extra.<this> in the MkDocs settings: the docs paths of pages kept out of search engines
# (mkdocs_hooks.py leaves them out of sitemap.xml and gives them a robots meta tag).
NOINDEX_KEY = "sitegen_noindex"


def noindex(ctx: BuildContext, path: str) -> None:
    """Keep a page (its docs path, e.g. report/index.md, in both languages) out of search
    engines. The list is part of the settings, so a change to it renders every page again."""
    ctx.noindex.add(path)


def mkdocs_config(ctx: BuildContext, lang: str, out: Path) -> dict[str, Any]:
    raw = {k: v for k, v in ctx.config.raw.items() if k not in OWNED}
    theme = dict(raw.get("theme") or {})
    theme.update(name="material", language=lang, custom_dir=str(OVERRIDES), font=False)
    extra = dict(raw.get("extra") or {})
    extra.update(lang=lang, twin_lang="en" if lang == "ja" else "ja", site_root_url=ctx.site_url)
    extra[NOINDEX_KEY] = sorted(ctx.noindex)
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
        hooks=[str(HOOKS)],
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


def _build_one(job: tuple[str, bool, str, str, str, str, list[str]]) -> tuple[str | None, list[str], str]:
    """Run in a worker process: build one language, link its HTML into the new site (the
    languages in parallel: tens of thousands of links). A language whose docs tree is exactly
    as it was when its HTML was made (every path, size and time: docs_state) gets no MkDocs
    run. Returns MkDocs' warnings (None: not run), the paths placed in the site and the
    docs tree's state."""
    config_path, dirty, html, site, docs, made_from, changed = job
    docs_state = _docs_state(Path(docs))
    if dirty and docs_state == made_from:
        return None, link_tree(Path(html), Path(site)), docs_state
    if dirty:
        # Changed or removed pages: their old HTML goes first (removed pages' for good).
        for rel in list(ALWAYS_WRITTEN) + changed:
            _remove_page(Path(html), _html_for(rel))
    # Imported here for start-up time: only a worker with pages to render loads MkDocs.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    log.setLevel(logging.WARNING)
    handler.addFilter(_not_the_dirty_notice)
    config = load_config(config_file=config_path)
    build(config, dirty=dirty)
    placed = link_tree(Path(html), Path(site))
    return stream.getvalue().strip(), placed, docs_state


def _not_the_dirty_notice(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build that links may be stale; ours are safe (render_html
    renders everything again whenever the settings or navigation change), so that one notice
    is not shown to librarians. tests/test_engine.py fails if MkDocs changes where it says it."""
    return not (record.name == "mkdocs.commands.build" and "'dirty' build" in record.getMessage())


def _engine_key(config_text: str) -> str:
    """What every page's HTML depends on besides its own Markdown: settings, theme, overrides."""
    h = hashlib.sha256(config_text.encode("utf-8"))
    h.update(f"mkdocs {version('mkdocs')} material {version('mkdocs-material')}".encode())
    h.update(HOOKS.read_bytes())
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


def _docs_state(folder: Path) -> str:
    """Every docs file's path, size and modification time: changes whenever any is written."""
    h = hashlib.sha256()
    top = str(folder)
    for path, _dirs, files in sorted(os.walk(top)):
        for name in sorted(files):
            st = os.stat(f"{path}/{name}")
            h.update(f"{path[len(top):]}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _remove_page(html: Path, rel: str) -> None:
    """A page's old HTML, and its folder when nothing else is in it (a removed page leaves
    no empty folder in the site: a plain server would list it)."""
    (html / rel).unlink(missing_ok=True)
    folder = (html / rel).parent
    while folder != html:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


# Written by MkDocs on every build, not only when a page changed.
ALWAYS_WRITTEN = ("404.html", "sitemap.xml", "sitemap.xml.gz")


def check_engine() -> None:
    """Stop with a clear message when the installed MkDocs or Material is not the release
    this module was written for (an upgrade must come with a look at this module)."""
    for name, wanted in ENGINE.items():
        try:
            have = version(name)
        except Exception:
            have = "none"
        if not have.startswith(wanted):
            raise BuildError(
                Text(f"{name} {have} が入っています。sitegen は {name} {wanted}x 用です。",
                     f"{name} {have} is installed; sitegen is made for {name} {wanted}x."),
                Text("リポジトリで make site（または .venv/bin/pip install -e .）を実行して、決められた版を入れてください。",
                     "run make site (or .venv/bin/pip install -e .) in the repository to install the pinned versions."))


def render_html(ctx: BuildContext) -> list[str]:
    """Build both languages and assemble them in ctx.site; return MkDocs' warnings.

    Rendering is incremental: the HTML of the last build is kept in .cache/render/<lang>/html,
    and only pages whose docs file changed (render/docs.py keeps the docs tree and rewrites
    only what changed) are rendered again, as long as the settings, theme and overrides are
    the same (else everything is rendered). The HTML is hard-linked into the new site; what
    is rendered again is written as a new file (mkdocs_hooks.py), so the published site never
    changes under readers. Builds of one repo take turns (pipeline.build holds a lock).
    """
    check_engine()
    state = ctx.cache / "render"
    state.mkdir(parents=True, exist_ok=True)
    jobs = []
    try:
        for lang in LANGS:
            base = state / lang
            html = base / "html"
            text = yaml.safe_dump(mkdocs_config(ctx, lang, html), allow_unicode=True, sort_keys=False)
            key = _engine_key(text)
            dirty = (base / "key").is_file() and (base / "key").read_text() == key and html.is_dir()
            if not dirty:
                shutil.rmtree(base, ignore_errors=True)
                base.mkdir(parents=True)
            (base / "key").unlink(missing_ok=True)  # valid again only when this build succeeds
            path = base / "mkdocs.yml"
            path.write_text(text, encoding="utf-8")
            site = ctx.site / "en" if lang == "en" else ctx.site
            changed = [r.split("/", 1)[1] for r in ctx.docs_changed if r.startswith(lang + "/")]
            jobs.append((base, key, (str(path), dirty, str(html), str(site), str(ctx.docs / lang),
                                     _read(base / "docs-state"), changed)))
        with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
            done = list(pool.map(_build_one, [job for _, _, job in jobs]))
        warnings = []
        for (base, key, _), (said, placed, docs_state) in zip(jobs, done):
            ctx.assembly.add(placed)
            if said is None:
                said = _read(base / "warnings")  # what MkDocs said when it made this HTML
            else:
                (base / "warnings").write_text(said, encoding="utf-8")
            warnings.append(said)
            (base / "docs-state").write_text(docs_state)
            (base / "key").write_text(key)
    except OSError:
        raise  # the disk, not the pages: the pipeline says so
    except Exception as exc:  # MkDocs raises many kinds; the user needs the sentence, not the stack
        raise BuildError(Text(f"ページの作成（MkDocs）に失敗しました: {exc}", f"rendering the pages (MkDocs) failed: {exc}"),
                         Text("上のメッセージの原因を直してから、もう一度 build してください。",
                              "fix the cause named above, then build again.")) from exc
    return [w for w in warnings if w.strip()]
