"""What every build step is handed: settings, where to write, and the bookkeeping of the docs
tree that the render steps share. What a stage makes for the next is its typed result
(stages.py), passed on by pipeline.py."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .publish import Assembly

LANGS = ("ja", "en")


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Changes whenever the generator's code or templates change: a key of anything cached
    from it (rendered pages, manifests) includes it, so new code never serves old output."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2", ".yml", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@dataclass
class NavEntry:
    order: int
    ja: str
    en: str
    path: str  # docs path, e.g. "items/index.md"


@dataclass
class BuildContext:
    root: Path  # the repository (content lives here)
    config: SiteConfig
    site_url: str  # absolute, ends with "/": the URL the site is published at
    work: Path  # scratch folder of this build, removed afterwards
    cache: Path  # content-keyed cache kept between builds (.cache/)
    today: dt.date
    progress: bool = True
    nav: list[NavEntry] = field(default_factory=list)
    # The docs tree of this build, as "<lang>/<path>": every file written or kept, and those
    # whose bytes changed (their HTML is rendered again). See render/docs.py.
    docs_wanted: set[str] = field(default_factory=set)
    docs_changed: set[str] = field(default_factory=set)
    # Which page each address of the docs tree was written for ("<lang>/items/x" -> its
    # title): two sources that would write one address stop the build (docs.claim).
    docs_owner: dict[str, str] = field(default_factory=dict)
    # Input keys of pages rendered by the last successful build, and of this build's (docs.py).
    page_keys_before: dict[str, str] = field(default_factory=dict)
    page_keys: dict[str, str] = field(default_factory=dict)
    # Docs paths of pages kept out of search engines (engine.noindex).
    noindex: set[str] = field(default_factory=set)
    # The site being put together in work/site (publish.Assembly): steps place files with it.
    assembly_: Assembly | None = None

    @functools.cached_property
    def docs(self) -> Path:
        """The generated docs tree: docs/ja/… and docs/en/… (Markdown + front matter + assets).
        It is kept between builds (in the cache) and a file is only rewritten when its bytes
        change, so that the engine renders again only what changed."""
        return self.cache / "render" / "docs"

    @property
    def static(self) -> Path:
        """Files published as they are, beside the rendered pages (iiif/, calendar/, data/)."""
        return self.work / "static"

    @property
    def assembly(self) -> Assembly:
        """What steps place files in the site with (a new tree unless the pipeline recycles one)."""
        if self.assembly_ is None:
            self.assembly_ = Assembly(self.site, None)
        return self.assembly_

    @assembly.setter
    def assembly(self, value: Assembly) -> None:
        self.assembly_ = value

    @property
    def site(self) -> Path:
        """The finished site, assembled here before it is swapped into place."""
        return self.work / "site"

    def url(self, path: str = "", lang: str = "ja") -> str:
        """Absolute URL of a site path (lang 'en' puts it under /en/)."""
        prefix = "en/" if lang == "en" else ""
        return self.site_url + prefix + path.lstrip("/")

    def add_nav(self, order: int, ja: str, en: str, path: str) -> None:
        self.nav.append(NavEntry(order, ja, en, path))
