"""A build killed at any point (a power cut) leaves the published site as it was; the next
build completes and reuses the tiles that were already finished."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import TODAY, copy_repo
from test_content_errors import tree_digest


@pytest.fixture
def repo(tmp_path):
    return copy_repo(tmp_path / "repo")  # built by processes of its own: tiles linked now


def _start(repo):
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "--quiet", "--today", TODAY,
                             "--root", str(repo)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _kill_when(proc, ready, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its worker processes
            proc.wait()
            return
        if proc.poll() is not None:
            raise AssertionError("the build finished before the moment to interrupt it came")
        time.sleep(0.02)
    raise AssertionError("the moment to interrupt the build never came")


def _finished_tiles(repo):
    tiles = repo / ".cache" / "tiles"
    # Tile sets are folders named by their key (scans.json and used.json are rewritten by every build).
    return sorted(p.name for p in tiles.iterdir() if p.is_dir() and not p.name.startswith(".")) if tiles.is_dir() else []


def _published_ok(repo):
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--quiet", "--today", TODAY,
                             "--root", str(repo)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (repo / "site" / "index.html").is_file()


def test_killed_during_tiling(repo):
    subprocess.run([sys.executable, "-m", "generator", "build", "--quiet", "--today", TODAY, "--root", str(repo)],
                   check=True, capture_output=True)
    before = tree_digest(repo / "site")
    # New scans to tile: the big map changes (a re-scan), so its tiles must be made again.
    import shutil
    shutil.rmtree(repo / ".cache" / "tiles")
    proc = _start(repo)
    _kill_when(proc, lambda: len(_finished_tiles(repo)) >= 1)
    finished = _finished_tiles(repo)
    assert tree_digest(repo / "site") == before, "a killed build changed the published site"
    mtimes = {name: (repo / ".cache" / "tiles" / name).stat().st_mtime_ns for name in finished}
    _published_ok(repo)
    assert {name: (repo / ".cache" / "tiles" / name).stat().st_mtime_ns for name in finished} == mtimes, \
        "tiles finished before the kill were made again"


def test_killed_during_rendering(repo):
    subprocess.run([sys.executable, "-m", "generator", "build", "--quiet", "--today", TODAY, "--root", str(repo)],
                   check=True, capture_output=True)
    before = tree_digest(repo / "site")
    (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "site_description: ", "site_description: （改訂）"), encoding="utf-8")  # every page renders again
    proc = _start(repo)
    html = repo / ".cache" / "render" / "ja" / "html"
    _kill_when(proc, lambda: html.is_dir() and any(html.rglob("index.html")))
    assert tree_digest(repo / "site") == before, "a killed build changed the published site"
    _published_ok(repo)
    assert "（改訂）" in (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert not [p for p in repo.iterdir() if p.name.startswith(".site.build")]


def test_killed_while_putting_a_recycled_site_together(repo, tmp_path):
    """The third build of a repo puts its site together in the one the first published
    (kept in .cache/site-spare/). Killed then, the published site is as it was, the half-made
    tree is never used as if whole, and the next build equals a clean one, file by file."""
    import shutil

    from test_incremental import _clean_build, _listing

    for _ in range(2):  # the second build keeps the first's site aside
        subprocess.run([sys.executable, "-m", "generator", "build", "--quiet", "--today", TODAY, "--root", str(repo)],
                       check=True, capture_output=True)
    assert any((repo / ".cache" / "site-spare").iterdir())
    before = tree_digest(repo / "site")
    (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "site_description: ", "site_description: （改訂）"), encoding="utf-8")  # every page renders again
    record = repo / "archive" / "hiroshige-ohashi-atake-yudachi.yml"
    shutil.rmtree(repo / "images" / "hiroshige-ohashi-atake-yudachi")
    record.unlink()  # an item with scans goes: its pages and tiles must not come back
    proc = _start(repo)
    html = repo / ".cache" / "render" / "ja" / "html"
    _kill_when(proc, lambda: html.is_dir() and any(html.rglob("index.html")))
    assert tree_digest(repo / "site") == before, "a killed build changed the published site"
    _published_ok(repo)
    _published_ok(repo)  # (and once more: this one recycles what the one before replaced)
    built = _listing(repo / "site")
    assert not [p for p in built if "hiroshige-ohashi-atake-yudachi" in p]
    clean = _clean_build(repo, tmp_path / "clean")
    differ = sorted(p for p in set(built) | set(clean) if built.get(p) != clean.get(p))
    assert not differ, f"builds after the killed one differ from a clean build: {differ[:20]}"
