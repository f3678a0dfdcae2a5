"""sitegen serve: a local preview on 127.0.0.1 that rebuilds when content changes.

The preview is built for its own URL into .cache/preview/ so that it never overwrites the
site/ built for the public URL. A failed rebuild keeps serving the last good preview.
"""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import sys
import threading
import time
from pathlib import Path

from .errors import BuildError, ContentErrors, Text, user_lang
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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib's name
        pass


def _rebuild(root: Path, out: Path, url: str, today: dt.date | None) -> bool:
    from .cli import print_problems

    try:
        result = build(root, out=out, site_url=url, today=today, progress=False)
    except ContentErrors as exc:
        print_problems(exc.problems)
        return False
    except BuildError as exc:
        print(exc.format(), file=sys.stderr)
        return False
    print(("更新しました（{:.1f} 秒）。" if user_lang() == "ja" else "rebuilt ({:.1f} s).").format(result.seconds),
          flush=True)
    return True


def serve(root: Path, port: int = 8000, site_url: str | None = None, today: dt.date | None = None) -> int:
    url = site_url or f"http://127.0.0.1:{port}/"
    out = root / ".cache" / "preview" / "site"
    handler = functools.partial(QuietHandler, directory=str(out))
    try:  # before building: a port in use is known at once
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise BuildError(
            Text(f"ポート {port} を使えません（{exc.strerror}）。ほかのプログラムか、別の sitegen serve が使っています。",
                 f"cannot use port {port} ({exc.strerror}): another program, or another sitegen serve, is using it."),
            Text(f"そのプログラムを止めるか、別の番号を指定してください（例: sitegen serve --port {port + 1}）。",
                 f"stop that program or choose another port (e.g. sitegen serve --port {port + 1})."),
        ) from None
    if not _rebuild(root, out, url, today) and not out.exists():
        server.server_close()
        return 1
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print((f"{url} で表示しています。止めるには Ctrl+C を押してください。" if user_lang() == "ja"
           else f"serving {url} — press Ctrl+C to stop."), flush=True)
    state = snapshot(root)
    try:
        while True:
            time.sleep(1.0)
            now = snapshot(root)
            if now != state:
                time.sleep(0.3)  # let an editor finish writing
                state = snapshot(root)
                _rebuild(root, out, url, today)
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()
