"""What each page type costs a reader on a phone: the compressed bytes Chromium fetches to
show it (HTML, CSS, JavaScript and data it loads), pictures and tiles left out. The lesson
page's budget is 100 KB. The baseline, measured in the same run, is Material's own CSS and
JavaScript (what any page of the theme costs before our content): each page type is
reported as a ratio to it.

    .venv/bin/python bench/bench_page_weight.py [--keep DIR]

Compressed size is gzip level 6 (what common web servers send), per response, as in transfer.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from conftest import CHROMIUM, StaticServer, free_port  # noqa: E402
from generator.pipeline import build  # noqa: E402

LESSON_BUDGET = 100 * 1024
# Resource types that are not pictures: what the budget counts.
COUNTED = {"document", "stylesheet", "script", "fetch", "xhr", "manifest", "other"}


def page_types(site: Path) -> dict[str, str]:
    """One page of each type that exists in the built site (first in name order)."""
    def first(pattern: str) -> str | None:
        found = sorted(site.glob(pattern))
        return found[0].parent.relative_to(site).as_posix() + "/" if found else None

    candidates = {
        "home": "index.html", "lesson catalogue": "lessons/index.html",
        "archive browse": "items/index.html", "item (deep zoom)": first("items/*/index.html"),
        "classes": "classes/index.html", "course": first("classes/*/index.html"), "search": "search/index.html",
    }
    out = {}
    for name, path in candidates.items():
        if path and (site / (path if path.endswith(".html") else path + "index.html")).exists():
            out[name] = "" if path == "index.html" else path.removesuffix("index.html")
    return out


def weigh(browser, url: str) -> tuple[dict[str, int], int]:
    """Compressed bytes per response that is not a picture; and the pictures' count."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sizes: dict[str, int] = {}
    pictures = 0

    def on_response(response):
        nonlocal pictures
        if response.request.resource_type not in COUNTED:
            pictures += 1
            return
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            return
        sizes[response.url] = len(gzip.compress(body, compresslevel=6))
        if response.request.resource_type == "document":
            sizes["document:"] = sizes[response.url]  # for the HTML column; not counted twice

    page.on("response", on_response)
    page.goto(url, wait_until="networkidle")
    page.close()
    return sizes, pictures


def is_material(url: str) -> bool:
    path = urlparse(url).path
    return "/assets/stylesheets/" in path or "/assets/javascripts/" in path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-weight-"))
    out = args.keep or tmp / "site"
    port = free_port()
    build(REPO, out=out, site_url=f"http://127.0.0.1:{port}/", today=dt.date(2026, 11, 20), progress=False)
    server = StaticServer(out, port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            results = {name: weigh(browser, server.url + path) for name, path in page_types(out).items()}
            # The budget holds for every lesson: report the heaviest.
            lessons = [weigh(browser, server.url + p.parent.relative_to(out).as_posix() + "/")
                       for p in sorted(out.glob("lessons/*/index.html"))]
            if lessons:
                results["lesson"] = max(lessons, key=lambda r: sum(v for u, v in r[0].items() if u != "document:"))
            browser.close()
    finally:
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)

    material = max((sum(v for u, v in sizes.items() if is_material(u)) for sizes, _ in results.values()), default=0)
    print(f"baseline: Material's own CSS+JS, gzip: {material / 1024:.1f} KB")
    print(f"{'page type':<18} {'total KB':>9} {'Material':>9} {'HTML':>7} {'ours':>7} {'files':>6} {'pictures':>9} {'x base':>7}")
    failed = False
    for name, (sizes, pictures) in results.items():
        html = sizes.pop("document:", 0)
        total = sum(sizes.values())
        mat = sum(v for u, v in sizes.items() if is_material(u))
        ours = total - mat - html
        print(f"{name:<18} {total / 1024:>9.1f} {mat / 1024:>9.1f} {html / 1024:>7.1f} {ours / 1024:>7.1f} "
              f"{len(sizes):>6} {pictures:>9} {total / material if material else 0:>7.2f}")
        if name == "lesson" and total >= LESSON_BUDGET:  # the heaviest of all lessons
            failed = True
    lesson = results.get("lesson")
    if lesson:
        total = sum(lesson[0].values())  # "document:" was popped above
        print(f"lesson page: {total / 1024:.1f} KB of the {LESSON_BUDGET // 1024} KB budget "
              f"({total / LESSON_BUDGET:.0%}) -> {'OVER BUDGET' if failed else 'ok'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
