"""sitegen serve: a local preview on 127.0.0.1 that rebuilds when content changes.

The preview is built for its own URL into .cache/preview/ so that it never overwrites the
site/ built for the public URL. A failed rebuild keeps serving the last good preview, and
the open tabs show its problems; a successful one reloads them.
"""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import sys
import threading
import time
from pathlib import Path

from .errors import BuildError, ContentErrors, Text, print_problems, user_lang
from .pipeline import build

WATCHED = ("archive", "images", "lessons", "mkdocs.yml")


def snapshot(root: Path) -> dict[str, float]:
    state: dict[str, float] = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file()) if path.exists() else []
        for f in files:
            try:
                state[str(f)] = f.stat().st_mtime
            except OSError:
                pass
    return state


class Preview:
    """What the open browser tabs ask the preview about: the number of the last good build
    (a tab reloads when it rises) and the problems of the last failed one (shown in the page)."""

    def __init__(self) -> None:
        self.build = 0
        self.error = ""
        self.lock = threading.Lock()

    def succeeded(self) -> None:
        with self.lock:
            self.build += 1
            self.error = ""

    def failed(self, text: str) -> None:
        with self.lock:
            self.error = text

    def status(self) -> bytes:
        with self.lock:
            return json.dumps({"build": self.build, "error": self.error}, ensure_ascii=False).encode("utf-8")


# Served at /_sitegen/ by the preview only: the built site is the same as any build's.
LIVE_PATH = "/_sitegen/"
LIVE_JS = (Path(__file__).parent / "serve_assets" / "live.js").read_bytes()
LIVE_TAG = f'<script src="{LIVE_PATH}live.js" defer></script>'.encode()


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """The site's files, plus the live-reload script (added to every HTML page it sends) and
    the build status it polls."""

    preview: Preview

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib's name
        path = self.path.split("?", 1)[0]
        if path == LIVE_PATH + "live.js":
            return self._send(LIVE_JS, "text/javascript; charset=utf-8")
        if path == LIVE_PATH + "status":
            return self._send(self.preview.status(), "application/json; charset=utf-8")
        file = self.translate_path(path)
        if os.path.isdir(file):
            file = os.path.join(file, "index.html")
        if file.endswith(".html") and os.path.isfile(file) and (path.endswith("/") or path.endswith(".html")):
            with open(file, "rb") as f:
                page = f.read()
            at = page.rfind(b"</body>")
            page = page[:at] + LIVE_TAG + page[at:] if at >= 0 else page + LIVE_TAG
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def end_headers(self) -> None:
        # As the example server settings do (server_config.py): other sites' IIIF viewers and
        # calendar apps may read these folders.
        if self.path.startswith(("/iiif/", "/calendar/")):
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _rebuild(root: Path, out: Path, url: str, today: dt.date | None, preview: Preview | None = None) -> bool:
    try:
        result = build(root, out=out, site_url=url, today=today, progress=False)
    except ContentErrors as exc:
        print_problems(exc.problems)
        if preview is not None:
            preview.failed("\n".join(p.format() for p in exc.problems if p.is_error))
        return False
    except BuildError as exc:
        print(exc.format(), file=sys.stderr)
        if preview is not None:
            preview.failed(exc.format())
        return False
    if preview is not None:
        preview.succeeded()
    print(("更新しました（{:.1f} 秒）。" if user_lang() == "ja" else "rebuilt ({:.1f} s).").format(result.seconds),
          flush=True)
    return True


def serve(root: Path, port: int = 8000, site_url: str | None = None, today: dt.date | None = None) -> int:
    url = site_url or f"http://127.0.0.1:{port}/"
    out = root / ".cache" / "preview" / "site"
    preview = Preview()
    handler = functools.partial(type("Handler", (PreviewHandler,), {"preview": preview}), directory=str(out))
    try:  # before building: a port in use is known at once
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise BuildError(
            Text(f"ポート {port} を使えません（{exc.strerror}）。ほかのプログラムか、別の sitegen serve が使っています。",
                 f"cannot use port {port} ({exc.strerror}): another program, or another sitegen serve, is using it."),
            Text(f"そのプログラムを止めるか、別の番号を指定してください（例: sitegen serve --port {port + 1}）。",
                 f"stop that program or choose another port (e.g. sitegen serve --port {port + 1})."),
        ) from None
    # Taken before the first build: a file saved while it runs, or just after the preview
    # appears, is a change the loop below sees.
    state = snapshot(root)
    if not _rebuild(root, out, url, today, preview) and not out.exists():
        server.server_close()
        return 1
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print((f"{url} で表示しています。止めるには Ctrl+C を押してください。" if user_lang() == "ja"
           else f"serving {url} — press Ctrl+C to stop."), flush=True)
    try:
        while True:
            time.sleep(1.0)
            now = snapshot(root)
            if now != state:
                time.sleep(0.3)  # let an editor finish writing
                state = snapshot(root)
                _rebuild(root, out, url, today, preview)
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()
