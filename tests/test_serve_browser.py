"""sitegen serve as a live preview: an open tab reloads after a rebuild and shows a content
error in the page; the preview's files themselves are those of any build."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import free_port
from test_build import _wait_for


@pytest.mark.browser
def test_an_open_tab_shows_a_content_error_and_reloads_after_the_fix(repo, browser):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--root", str(repo), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**__import__("os").environ, "SITEGEN_LANG": "en"})
    url = f"http://127.0.0.1:{port}/lessons/denwa-no-kakekata/"
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        _wait_for(url, lambda text: "電話のかけ方" in text)
        page.goto(url)
        lesson = repo / "lessons" / "denwa-no-kakekata.md"
        good = lesson.read_text(encoding="utf-8")
        lesson.write_text(good.replace("level: はじめて", "level: とても"), encoding="utf-8")
        alert = page.get_by_role("alert")
        alert.wait_for(timeout=120_000)
        assert "lessons/denwa-no-kakekata.md" in alert.inner_text() and "level" in alert.inner_text()
        assert "電話のかけ方" in page.title()  # the last good preview stays readable underneath
        lesson.write_text(good.replace("title: 電話のかけ方", "title: 電話のかけ方（改訂）"), encoding="utf-8")
        page.wait_for_function("document.title.includes('（改訂）')", timeout=120_000)
        assert page.get_by_role("alert").count() == 0
        built = (repo / ".cache" / "preview" / "site" / "lessons" / "denwa-no-kakekata" / "index.html").read_text(encoding="utf-8")
        assert "_sitegen" not in built, "the live-reload script is added by the preview server, not built in"
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=30)
