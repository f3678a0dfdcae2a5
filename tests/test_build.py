"""The build as a user runs it: both languages, the URL it is published at, atomic publish,
a clear message when the output cannot be written, and the live preview."""
from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import free_port, link_due_tiles
from test_content_errors import sitegen, tree_digest


def test_build_writes_japanese_home_and_english_twin(repo):
    result = sitegen(repo, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    ja = (repo / "site" / "index.html").read_text(encoding="utf-8")
    en = (repo / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="ja"', ja)
    assert re.search(r'<html lang="en"', en)
    assert "千代田区デジタルアーカイブ" in ja
    assert "Chiyoda City Digital Archive" in en
    for path in ("items/hokusai-kanagawa-oki-nami-ura/", "lessons/denwa-no-kakekata/", "classes/hajimete-sumaho/"):
        assert (repo / "site" / path / "index.html").is_file()
        assert (repo / "site" / "en" / path / "index.html").is_file()
    assert not [p for p in repo.iterdir() if p.name.startswith(".site.")], "scratch folder left behind"


def test_site_url_and_out_options(repo, tmp_path):
    out = tmp_path / "public"
    result = sitegen(repo, "build", "--quiet", "--out", str(out), "--site-url", "https://example.org/archive")
    assert result.returncode == 0, result.stderr
    page = (out / "items" / "hokusai-kanagawa-oki-nami-ura" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/archive/items/hokusai-kanagawa-oki-nami-ura/">' in page
    en = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/archive/en/">' in en
    assert not (repo / "site").exists()


def test_navigation_is_explicit_not_one_entry_per_item(repo):
    result = sitegen(repo, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    home = (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert "items/hokusai-kanagawa-oki-nami-ura/" not in home.split('class="md-content"')[0]


def test_rebuild_replaces_site_whole(repo):
    assert sitegen(repo, "build", "--quiet").returncode == 0
    (repo / "site" / "items" / "stale.html").write_text("old", encoding="utf-8")
    assert sitegen(repo, "build", "--quiet").returncode == 0
    assert not (repo / "site" / "items" / "stale.html").exists()


def test_a_file_put_into_site_by_hand_stops_the_build_and_stays(repo):
    assert sitegen(repo, "build", "--quiet").returncode == 0
    (repo / "site" / "robots.txt").write_text("User-agent: *", encoding="utf-8")
    result = sitegen(repo, "build", "--quiet")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "robots.txt" in result.stderr and "how to fix:" in result.stderr
    assert (repo / "site" / "robots.txt").read_text(encoding="utf-8") == "User-agent: *"


def test_unwritable_output_is_a_message_not_a_traceback(repo, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = sitegen(repo, "build", "--quiet", "--out", str(blocker / "site"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "could not write files" in result.stderr
    assert "how to fix:" in result.stderr


def test_source_scans_are_byte_identical_after_a_build(repo):
    before = tree_digest(repo / "images")
    assert sitegen(repo, "build", "--quiet").returncode == 0
    assert tree_digest(repo / "images") == before


def test_serve_previews_and_rebuilds_on_change(repo):
    port = free_port()
    link_due_tiles(repo)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--root", str(repo), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/lessons/denwa-no-kakekata/"
    try:
        page = _wait_for(url, lambda text: "電話のかけ方" in text)
        assert f'href="http://127.0.0.1:{port}/lessons/denwa-no-kakekata/"' in page  # built for its own URL
        lesson = repo / "lessons" / "denwa-no-kakekata.md"
        lesson.write_text(lesson.read_text(encoding="utf-8").replace("title: 電話のかけ方", "title: 電話のかけ方（改訂）"),
                          encoding="utf-8")
        _wait_for(url, lambda text: "電話のかけ方（改訂）" in text)
        assert not (repo / "site").exists(), "the preview must not overwrite site/"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_for(url: str, ok, timeout: float = 300) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
                if ok(last):
                    return last
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed the expected text; last page: {last[:300]}")


def test_python_dash_m_and_console_command_agree():
    out = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for name in ("build", "serve", "check"):
        assert name in out.stdout
    exe = Path(sys.executable).with_name("sitegen")
    assert subprocess.run([str(exe), "--help"], capture_output=True, text=True).stdout == out.stdout
