"""Shared fixtures: copies of the repo's content, a built sample site served on 127.0.0.1,
and real Chromium (Debian's) driven by Playwright."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

from generator import pipeline

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TODAY = "2026-11-20"  # a fixed build date: schedule pages are reproducible

os.environ.setdefault("SITEGEN_LANG", "en")


_WARM_TILES: list[Path] = []
_RUN_TEMP: list[Path] = []  # the run's temporary folder, shared by its worker processes


@pytest.fixture(scope="session", autouse=True)
def _run_temp(tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    # With pytest-xdist (make test: two processes), each worker's folder is inside the run's.
    _RUN_TEMP.append(base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)


def warm_tiles() -> Path:
    """A tile cache of the repo's sample scans, made once per run (by the first process that
    needs it, the others wait for it): tiles are keyed by the scans' bytes and never written
    in place, so copies of the repo can start from it instead of each tiling the 12,000 px
    sample map again."""
    if not _WARM_TILES:
        import datetime as dt
        import fcntl
        import tempfile

        from generator.pipeline import build

        folder = _RUN_TEMP[0] / "warm-tiles" if _RUN_TEMP else Path(tempfile.mkdtemp(prefix="sitegen-warm-tiles-"))
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            root = folder / "repo"
            if not (folder / "made").exists():
                shutil.rmtree(root, ignore_errors=True)
                copy_repo(root, tiles=False)
                build(root, out=folder / "site", site_url="http://127.0.0.1:1/", today=dt.date.fromisoformat(TODAY),
                      progress=False)
                (folder / "made").touch()
        _WARM_TILES.append(root / ".cache" / "tiles")
    return _WARM_TILES[0]


def copy_repo(dest: Path, tiles: bool = True, lazy: bool = False) -> Path:
    """A private copy of the repo's content (scans hard-linked: they are never modified),
    with the session's tile cache linked in unless tiles=False (a test of tiling itself).
    lazy=True links the tiles only when a build of the copy starts (most tests never build)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("archive", "lessons", "mkdocs.yml"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)

    from generator.files import link_tree

    link_tree(REPO / "images", dest / "images")
    if (REPO / "node_modules").exists():
        (dest / "node_modules").symlink_to(REPO / "node_modules")
    if tiles and lazy:
        _TILES_DUE.add(dest.resolve())
    elif tiles:
        link_tiles(dest)
    return dest


_TILES_DUE: set[Path] = set()  # copies made with lazy=True that have not been built yet


def link_tiles(root: Path) -> None:
    """Link the session's tile cache into a copy of the repo (before its first build)."""
    from generator.files import link_tree

    _TILES_DUE.discard(root.resolve())
    warm = warm_tiles()
    link_tree(warm, root / ".cache" / "tiles")
    for name in ("scans.json", "used.json"):  # small and rewritten: copies, not links
        if (warm / name).exists():
            (root / ".cache" / "tiles" / name).unlink(missing_ok=True)
            shutil.copy2(warm / name, root / ".cache" / "tiles" / name)


def link_due_tiles(root: Path) -> None:
    """link_tiles, for a lazy copy that has not had them yet (any build, in process or not)."""
    if Path(root).resolve() in _TILES_DUE:
        link_tiles(Path(root))


def _tiles_first(build):
    @functools.wraps(build)
    def build_with_tiles(root, *args, **kwargs):
        link_due_tiles(root)
        return build(root, *args, **kwargs)
    return build_with_tiles


pipeline.build = _tiles_first(pipeline.build)  # every build in this process, whoever calls it


# make test runs the suite in two processes (pytest-xdist), a test file at a time each. Files
# that share what a process builds once go to the same process: the accessibility results are
# recorded only where both of their modules ran, and the corpus site is built once.
_TOGETHER = {
    **dict.fromkeys(("tests/test_a11y_site_browser.py", "tests/test_a11y_content_browser.py"), "accessibility"),
    **dict.fromkeys(("tests/test_iiif_corpus.py", "tests/test_search_browser.py", "tests/test_search_cli.py",
                     "tests/test_search_parity.py"), "corpus"),
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadFileScheduling

    class ByFileAndGroup(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return _TOGETHER.get(path, path)

    return ByFileAndGroup(config, log)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "repo", lazy=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StaticServer:
    """A plain static file server, as a ward's web host would be."""

    def __init__(self, directory: Path, port: int | None = None):
        self.port = port or free_port()
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# A browser context holding this cookie for a StaticServer's address is served with the headers
# of the build's example server settings (generator.server_config.HEADERS: the CSP and the rest),
# as a ward's host set up by them would send; other requests get plain files.
SERVER_SETTINGS_COOKIE = "sitegen-test-server-settings"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        if f"{SERVER_SETTINGS_COOKIE}=on" in self.headers.get("Cookie", ""):
            from generator.server_config import HEADERS

            for key, value in HEADERS.items():
                self.send_header(key, value)
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The repo's own sample content, built once for a local server URL, and served."""
    from generator.pipeline import build

    port = free_port()
    out = tmp_path_factory.mktemp("sample") / "site"
    # From a copy with the session's tiles: the repository's own .cache/ is the user's, not the tests'.
    root = copy_repo(tmp_path_factory.mktemp("sample-repo") / "repo")
    results = REPO / "tests" / "accessibility-results.json"  # what the policy page states
    if results.exists():
        (root / "tests").mkdir()
        shutil.copy2(results, root / "tests" / results.name)
    build(root, out=out, site_url=f"http://127.0.0.1:{port}/", today=__import__("datetime").date.fromisoformat(TODAY),
          progress=False)
    server = StaticServer(out, port)
    yield server, out
    server.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `apt-get install -y chromium fonts-noto-cjk` "
                    "(make test does this when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])
        yield b
        b.close()
