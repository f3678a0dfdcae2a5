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

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TODAY = "2026-11-20"  # a fixed build date: schedule pages are reproducible

os.environ.setdefault("SITEGEN_LANG", "en")


_WARM_TILES: list[Path] = []


def warm_tiles() -> Path:
    """A tile cache of the repo's sample scans, made once per session: tiles are keyed by the
    scans' bytes and never written in place, so copies of the repo can start from it instead
    of each tiling the 12,000 px sample map again."""
    if not _WARM_TILES:
        import datetime as dt
        import tempfile

        from generator.pipeline import build

        root = copy_repo(Path(tempfile.mkdtemp(prefix="sitegen-warm-tiles-")) / "repo", tiles=False)
        build(root, out=root.parent / "site", site_url="http://127.0.0.1:1/", today=dt.date.fromisoformat(TODAY),
              progress=False)
        _WARM_TILES.append(root / ".cache" / "tiles")
    return _WARM_TILES[0]


def copy_repo(dest: Path, tiles: bool = True) -> Path:
    """A private copy of the repo's content (scans hard-linked: they are never modified),
    with the session's tile cache linked in unless tiles=False (a test of tiling itself)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("archive", "lessons", "mkdocs.yml"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)

    from generator.files import link_tree

    link_tree(REPO / "images", dest / "images")
    if (REPO / "node_modules").exists():
        (dest / "node_modules").symlink_to(REPO / "node_modules")
    if tiles:
        warm = warm_tiles()
        link_tree(warm, dest / ".cache" / "tiles")
        for name in ("scans.json", "used.json"):  # small and rewritten: copies, not links
            if (warm / name).exists():
                (dest / ".cache" / "tiles" / name).unlink()
                shutil.copy2(warm / name, dest / ".cache" / "tiles" / name)
    return dest


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "repo")


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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The repo's own sample content, built once for a local server URL, and served."""
    from generator.pipeline import build

    port = free_port()
    out = tmp_path_factory.mktemp("sample") / "site"
    build(REPO, out=out, site_url=f"http://127.0.0.1:{port}/", today=__import__("datetime").date.fromisoformat(TODAY),
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
