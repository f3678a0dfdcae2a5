"""Search at archive scale: a generated archive of N items (metadata only), built once.

    .venv/bin/python bench/bench_search.py [--items 10000] [--keep DIR]
    .venv/bin/python bench/bench_search.py --held-out

Reports, each against a baseline measured in the same run:
- the build (a `sitegen build` process: wall time, peak memory of its whole process tree),
  its search steps (SITEGEN_TIMINGS), and a one-record rebuild with its slowest steps;
  Pagefind's own run (it runs while the docs tree is written) against plain Pagefind over
  the same built pages;
- bytes a browser transfers for a first and later queries on the search page (Chromium,
  counted from the network, not estimated), and the time from the last keystroke to the
  first result shown, at 1x and 4x CPU throttling (CDP Emulation.setCPUThrottlingRate),
  against plain Pagefind asked for hokusai (the prints ほくさい finds on ours: its own
  segmentation finds no 北斎 in 葛飾北斎) through pagefind.js over the same built pages. Typing starts when the page has loaded what it loads by itself (network
  idle), as a resident's first keystroke comes well after that;
- --held-out: the held-out queries of tests/test_search_parity.py over the sample content
  plus the shared corpus: how many find their print in the first five, search page and
  `sitegen search`.
Goals (issue 18): first query <= 300 KB, later queries <= 100 KB, first result <= 300 ms at
4x throttling, one-record rebuild <= 20 s, peak memory < 2 GB, held-out >= 95 % in the top 5.
The test server does not compress (as a bare static host); the figures are raw bytes.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(Path(__file__).parent))

from measure import run  # noqa: E402

TYPES = ["ukiyo-e", "ukiyo-e", "ukiyo-e", "map", "book", "document", "photo"]
PLACES = [("日本橋", "Nihonbashi"), ("品川", "Shinagawa"), ("神田", "Kanda"), ("両国", "Ryōgoku"), ("浅草", "Asakusa"),
          ("上野", "Ueno"), ("麹町", "Kōjimachi"), ("隅田川", "Sumida River"), ("箱根", "Hakone"), ("大磯", "Ōiso"),
          ("京都", "Kyoto"), ("大坂", "Osaka"), ("富士川", "Fuji River"), ("江ノ島", "Enoshima"), ("駿河台", "Surugadai"),
          ("目黒", "Meguro"), ("深川", "Fukagawa"), ("本所", "Honjo"), ("佃島", "Tsukudajima"), ("王子", "Ōji")]
SCENES = [("夕立", "sudden shower"), ("雪景色", "snow scene"), ("夜景", "night view"), ("桜", "cherry blossoms"),
          ("月", "moon"), ("朝之景", "morning"), ("祭礼", "festival"), ("舟遊び", "boating"), ("橋", "bridge"), ("波", "waves")]
SUBJECTS = ["風景", "江戸", "富士山", "橋", "雨", "雪", "舟", "海", "寺社", "人物", "花", "街道"]
QUERIES = (("first", "ほくさい"), ("second", "日本橋"), ("third", "fuji"))
PAGEFIND = "search.pagefind (Pagefind)"  # Pagefind's own run, in the background of the build


def waited(steps: dict[str, float]) -> float:
    """How long the build itself spent on the index: pages for Pagefind, waiting for its run,
    linking the bundle."""
    return sum(steps.get(f"search.pagefind.{name}", 0.0) for name in ("start", "finish", "index"))


def make_archive(root: Path, n: int, seed: int = 5) -> None:
    """A repo copy (lessons, authorities) whose archive holds n generated records (no scans)."""
    rnd = random.Random(seed)
    for name in ("lessons", "mkdocs.yml"):
        src = REPO / name
        shutil.copytree(src, root / name) if src.is_dir() else shutil.copy2(src, root / name)
    (root / "archive").mkdir()
    (root / "images").mkdir()
    for name in ("creators.yml", "series.yml"):
        shutil.copy2(REPO / "archive" / name, root / "archive" / name)
    if (REPO / "node_modules").exists():
        (root / "node_modules").symlink_to(REPO / "node_modules")
    creators = yaml.safe_load((REPO / "archive" / "creators.yml").read_text(encoding="utf-8"))
    series = yaml.safe_load((REPO / "archive" / "series.yml").read_text(encoding="utf-8"))
    for i in range(n):
        creator = rnd.choice(creators)
        place, place_en = rnd.choice(PLACES)
        scene, scene_en = rnd.choice(SCENES)
        s = rnd.choice(series) if rnd.random() < 0.6 else None
        # Within the creator's working life, as in a real archive (a date after the death is a
        # warning the librarian fixes; 8,000 of them would measure the warnings, not the build).
        born, died = creator.get("born"), creator.get("died")
        first = born + 15 if born else (died - 30 if died else 1760)
        year = rnd.randint(first, died or first + 40)
        record = {
            "id": f"item-{i:05d}", "type": rnd.choice(TYPES),
            "title": {"ja": f"{s['title']['ja'] + '　' if s else ''}{place}{scene}",
                      "en": f"{place_en}: {scene_en}"},
            "creators": [{"id": creator["id"], "role": "artist"}],
            "date": {"text": f"{year}年", "start": year, "end": year},
            "place": {"name": {"ja": place, "en": place_en}},
            "subjects": rnd.sample(SUBJECTS, 3),
            "description": {"ja": f"{place}の{scene}を描いた作品です（生成した見本）。", "en": f"A view of {place_en} (generated)."},
            "rights": "https://creativecommons.org/publicdomain/mark/1.0/",
        }
        if s:
            record["series"] = s["id"]
        (root / "archive" / f"item-{i:05d}.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")


def build(root: Path, site_url: str):
    """`sitegen build` as a librarian runs it, with each step's time."""
    result = run([sys.executable, "-m", "generator", "build", "--root", str(root), "--site-url", site_url,
                  "--today", "2026-11-20"], env={**os.environ, "SITEGEN_TIMINGS": "1", "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode:
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    steps = {name: float(t) for name, t in re.findall(r"\[time\] (.+?)\s+([\d.]+) s", result.stderr)}
    return result, steps


def baseline_pagefind(site: Path, scratch: Path) -> tuple[float, Path]:
    """Plain Pagefind over the same built site's item, lesson and class pages (no normaliser
    terms, its own segmentation), its bundle published as pagefind-plain/ beside ours."""
    copy = scratch / "plain-site"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind", "iiif"))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), "--glob",
                    "{items,lessons,classes,en}/**/*.html"], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    shutil.rmtree(site / "pagefind-plain", ignore_errors=True)
    shutil.copytree(copy / "pagefind", site / "pagefind-plain")
    shutil.rmtree(copy, ignore_errors=True)
    return seconds, site / "pagefind-plain"


def browser_figures(site: Path, port: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, StaticServer

    server = StaticServer(site, port)
    figures: dict[str, float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            # Typed at once (every key within a few ms: the search runs only after the last), and
            # at 200 ms a key, as people type on a phone (the words so far are searched as they type).
            for rate, pace in ((1, 0), (4, 0), (4, 200)):
                x = f"x{rate}" + ("_paced" if pace else "")
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                seen: list[tuple[str, int]] = []

                def count(request, seen=seen):
                    try:
                        sizes = request.sizes()  # as Chromium's network stack reports them
                    except Exception:  # a thumbnail still loading as the context closes: not search's
                        return
                    seen.append((urlparse(request.url).path, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

                page.on("requestfinished", count)
                page.goto(server.url + "search/", wait_until="networkidle")
                page.evaluate("""() => {
                    document.querySelector('#search-q').addEventListener('input', () => { window.__lastKey = performance.now(); });
                    // Times of the whole query's answer (typed slowly, the words so far are answered too).
                    new MutationObserver(() => {
                        if (window.__shown === null && document.querySelector('#search-status').textContent.includes(window.__want))
                            window.__shown = performance.now();
                    }).observe(document.querySelector('#search-status'), {childList: true, characterData: true, subtree: true});
                    new MutationObserver(() => {  // each answer empties the list, then shows its results
                        if (!document.querySelector('#search-results li')) window.__firstResult = null;
                        else if (window.__firstResult === null) window.__firstResult = performance.now();
                    }).observe(document.querySelector('#search-results'), {childList: true});
                }""")
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                # The first query counts what search needs beyond the page itself (the search
                # scripts, the normalisation table, Pagefind's files), even if it started
                # loading with the page; later queries count every byte after the previous one.
                start = 0
                for label, query in QUERIES:
                    page.evaluate("(q) => { window.__shown = null; window.__firstResult = null; window.__want = q; }", query)
                    page.locator("#search-q").press_sequentially(query, delay=pace)
                    page.wait_for_function("() => window.__shown !== null", timeout=120000)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)  # let result fragments finish
                    figures[f"{label}_ms_{x}"] = page.evaluate("window.__shown - window.__lastKey")
                    figures[f"{label}_first_ms_{x}"] = page.evaluate("window.__firstResult - window.__lastKey")
                    if label == "first":
                        figures[f"{label}_bytes_{x}"] = sum(
                            b for path, b in seen if path.startswith("/pagefind/") or path.startswith("/search/") and path != "/search/")
                    else:
                        figures[f"{label}_bytes_{x}"] = sum(b for _, b in seen[start:])
                    start = len(seen)
                    figures[f"{label}_results"] = int(page.evaluate(
                        "(document.querySelector('#search-status').textContent.match(/\\d+/) || ['0'])[0]"))
                    page.fill("#search-q", "")
                    page.wait_for_function("() => document.querySelector('#search-status').textContent === ''")
                context.close()
                if not pace:
                    figures.update(plain_figures(browser, server, rate))
            browser.close()
    finally:
        server.close()
    return figures


def plain_figures(browser, server, rate: int) -> dict[str, float]:
    """Plain Pagefind's first query (hokusai: Hokusai's prints, as ほくさい finds on ours) over the
    same pages, through pagefind.js: bytes, and the time from importing it to ten results' data."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    seen: list[int] = []
    page.on("requestfinished", lambda r: seen.append(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"])
            if "/pagefind-plain/" in r.url else None)
    page.goto(server.url + "items/", wait_until="load")
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
    ms, found = page.evaluate("""async () => {
        const started = performance.now();
        const pagefind = await import("/pagefind-plain/pagefind.js");
        await pagefind.init();
        const found = await pagefind.search("hokusai");
        await Promise.all(found.results.slice(0, 10).map(r => r.data()));
        return [performance.now() - started, found.results.length];
    }""")
    page.wait_for_load_state("networkidle")
    context.close()
    return {f"plain_bytes_x{rate}": sum(seen), f"plain_ms_x{rate}": ms, "plain_results": found}


def one_record_rebuild(root: Path, site_url: str):
    """A typo fixed in one record's description, and the build again."""
    record = root / "archive" / "item-00007.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("を描いた作品", "を描いた作品（訂正）"), encoding="utf-8")
    return build(root, site_url)


def held_out() -> None:
    """The held-out queries over the sample content plus the shared corpus."""
    import datetime as dt

    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, StaticServer, free_port
    from generator.pipeline import build as build_site
    from test_search_cli import corpus_repo
    from test_search_parity import HELD_OUT, browser_answers, cli_answers

    scratch = Path(tempfile.mkdtemp(prefix="bench-held-out-"))
    try:
        root = corpus_repo(scratch)
        port = free_port()
        build_site(root, out=scratch / "site", site_url=f"http://127.0.0.1:{port}/", today=dt.date(2026, 11, 20),
                   progress=False)
        server = StaticServer(scratch / "site", port)
        queries = [q for q, _ in HELD_OUT]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            in_browser = browser_answers(browser, server, queries)
            browser.close()
        server.close()
        on_cli = cli_answers(root, queries)
        hits = {"search page": 0, "sitegen search": 0}
        for query, wanted in HELD_OUT:
            top = {url.strip("/").split("/")[-1] for url, _ in in_browser[query][:5]}
            hits["search page"] += bool(top & wanted)
            hits["sitegen search"] += bool({i for i, _ in on_cli[query][:5]} & wanted)
            if not top & wanted:
                print(f"  search page missed {query!r}")
        for where, n in hits.items():
            print(f"held-out queries, {where:15}: {n}/{len(HELD_OUT)} ({n / len(HELD_OUT):.0%}) in the first five")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated repo and site here")
    ap.add_argument("--held-out", action="store_true", help="only the held-out queries over the sample and corpus")
    args = ap.parse_args()
    if args.held_out:
        held_out()
        return 0
    from conftest import free_port

    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    scratch.mkdir(parents=True, exist_ok=True)
    root, out = scratch / "repo", scratch / "repo" / "site"
    port = free_port()
    site_url = f"http://127.0.0.1:{port}/"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    make_archive(root, args.items)
    full, steps = build(root, site_url)
    one, one_steps = one_record_rebuild(root, site_url)
    pagefind_plain, plain_bundle = baseline_pagefind(out, scratch)
    bundle = sum(p.stat().st_size for p in (out / "pagefind").rglob("*") if p.is_file())
    table = (out / "search" / "normalise.json").stat().st_size
    fig = browser_figures(out, port)

    print(f"\nsearch benchmark: {args.items} generated items (metadata only), {scratch}")
    print(f"full build                     {full.wall:8.1f} s   peak memory {full.peak_rss_mb:6.0f} MB (whole process tree)")
    print(f"  catalogue step               {steps.get('search.derive.derive', float('nan')):8.1f} s")
    print(f"  Pagefind (ours)              {steps.get(PAGEFIND, float('nan')):8.1f} s   "
          f"plain Pagefind {pagefind_plain:6.1f} s   ratio {steps.get(PAGEFIND, 0) / pagefind_plain:5.1f}x; "
          f"the build waited {waited(steps):.1f} s for it")
    print(f"one-record rebuild             {one.wall:8.1f} s   peak memory {one.peak_rss_mb:6.0f} MB; Pagefind "
          f"{one_steps.get(PAGEFIND, float('nan')):.1f} s (waited for {waited(one_steps):.1f} s), "
          f"catalogue {one_steps.get('search.derive.derive', float('nan')):.1f} s")
    print("  its slowest steps: " + ", ".join(f"{name} {t:.1f} s" for name, t in
                                              sorted(one_steps.items(), key=lambda kv: -kv[1])[:6]))
    plain_size = sum(p.stat().st_size for p in plain_bundle.rglob("*") if p.is_file())
    print(f"Pagefind bundle on disk        {bundle / 1024:8.0f} KB   (plain Pagefind's {plain_size / 1024:.0f} KB); "
          f"query table {table / 1024:.0f} KB")
    for rate in (1, 4):
        print(f"plain Pagefind, hokusai, x{rate}:  {fig[f'plain_bytes_x{rate}'] / 1024:8.1f} KB, ten results' data "
              f"{fig[f'plain_ms_x{rate}']:5.0f} ms ({fig['plain_results']} results)")
    for label, _query in QUERIES:
        for rate in (1, 4):
            b = fig[f"{label}_bytes_x{rate}"]
            print(f"{label:6} query, CPU x{rate}: {b / 1024:8.1f} KB transferred "
                  f"({b / max(fig[f'plain_bytes_x{rate}'], 1):4.2f}x plain Pagefind's first query), "
                  f"first result shown {fig[f'{label}_first_ms_x{rate}']:5.0f} ms, the first page of 10 "
                  f"{fig[f'{label}_ms_x{rate}']:5.0f} ms after the last keystroke ({fig[f'{label}_results']} results)")
        slow = fig[f"{label}_ms_x4"] / max(fig[f"{label}_ms_x1"], 1)
        print(f"        throttled / unthrottled time ratio {slow:4.1f}x")
        print(f"        typed at 200 ms a key, CPU x4: first result shown {fig[f'{label}_first_ms_x4_paced']:5.0f} ms, "
              f"the first page of 10 {fig[f'{label}_ms_x4_paced']:5.0f} ms after the last keystroke")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
