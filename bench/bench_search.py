"""Search at archive scale: a generated archive of N items (metadata only), built once.

    .venv/bin/python bench/bench_search.py [--items 10000] [--keep DIR]

Reports, each against a baseline measured in the same run:
- index build time: our catalogue step (normaliser + whoosh) against whoosh's own analyser
  over the same texts; our Pagefind step (normaliser terms added) against plain Pagefind
  over the same built site;
- bytes a browser transfers for a first and a second query on the search page (Chromium,
  counted from the network, not estimated), against the size of the whole Pagefind bundle
  (all its shards: a query reads a chunk of each shard's index);
- time from the last keystroke to results shown, on 4x CPU throttling (CDP
  Emulation.setCPUThrottlingRate), against the same page unthrottled.
Goals (issue 5): first query < 300 KB, later queries < 100 KB, results < 300 ms.
The test server does not compress (as a bare static host); the figures are raw bytes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
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

TYPES = ["ukiyo-e", "ukiyo-e", "ukiyo-e", "map", "book", "document", "photo"]
PLACES = [("日本橋", "Nihonbashi"), ("品川", "Shinagawa"), ("神田", "Kanda"), ("両国", "Ryōgoku"), ("浅草", "Asakusa"),
          ("上野", "Ueno"), ("麹町", "Kōjimachi"), ("隅田川", "Sumida River"), ("箱根", "Hakone"), ("大磯", "Ōiso"),
          ("京都", "Kyoto"), ("大坂", "Osaka"), ("富士川", "Fuji River"), ("江ノ島", "Enoshima"), ("駿河台", "Surugadai"),
          ("目黒", "Meguro"), ("深川", "Fukagawa"), ("本所", "Honjo"), ("佃島", "Tsukudajima"), ("王子", "Ōji")]
SCENES = [("夕立", "sudden shower"), ("雪景色", "snow scene"), ("夜景", "night view"), ("桜", "cherry blossoms"),
          ("月", "moon"), ("朝之景", "morning"), ("祭礼", "festival"), ("舟遊び", "boating"), ("橋", "bridge"), ("波", "waves")]
SUBJECTS = ["風景", "江戸", "富士山", "橋", "雨", "雪", "舟", "海", "寺社", "人物", "花", "街道"]


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
    creators = yaml.safe_load((REPO / "archive" / "creators.yml").read_text(encoding="utf-8"))
    series = yaml.safe_load((REPO / "archive" / "series.yml").read_text(encoding="utf-8"))
    for i in range(n):
        creator = rnd.choice(creators)
        place, place_en = rnd.choice(PLACES)
        scene, scene_en = rnd.choice(SCENES)
        s = rnd.choice(series) if rnd.random() < 0.6 else None
        year = rnd.randint(1760, 1900)
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


def timed_build(root: Path, out: Path, site_url: str) -> dict[str, float]:
    """Build with the search steps timed one by one."""
    from generator import pipeline
    from generator.search import derive, pagefind

    times: dict[str, float] = {}

    def timing(name, fn):
        def step(*args):
            started = time.perf_counter()
            fn(*args)
            times[name] = time.perf_counter() - started
        return step

    pipeline.DERIVE[pipeline.DERIVE.index(derive.derive)] = timing("catalogue", derive.derive)
    pipeline.POST[pipeline.POST.index(pagefind.index)] = timing("pagefind", pagefind.index)
    started = time.perf_counter()
    pipeline.build(root, out=out, site_url=site_url, today=dt.date(2026, 11, 20), progress=True)
    times["build"] = time.perf_counter() - started
    return times


def reindex(root: Path, out: Path) -> dict[str, float]:
    """The search steps alone over a kept build (the pages' HTML is unchanged by them, bar the
    search page's script, which is copied afresh)."""
    from generator.content import load_content
    from generator.search import catalog, pagefind, records, table
    from generator.search.derive import ASSETS

    content = load_content(root)
    started = time.perf_counter()
    recs = records.records(content)
    readings = table.reading_table(recs)
    catalog.save(recs, readings, root / ".cache", root)
    catalog.related(recs)
    catalog.facets(recs)
    times = {"catalogue": time.perf_counter() - started, "build": float("nan")}
    (out / "search" / "normalise.json").write_text(table.browser_table(readings), encoding="utf-8")
    for asset in ASSETS.iterdir():
        shutil.copy2(asset, out / "search" / asset.name)
    known = {"items": {r.id for r in recs}, "lessons": {l.slug for l in content.lessons},
             "classes": {c.id for c in content.courses}}
    shutil.rmtree(out / "pagefind", ignore_errors=True)
    started = time.perf_counter()
    pagefind.build_index(out, out.parent / "pagefind-pages", known)
    times["pagefind"] = time.perf_counter() - started
    return times


def baseline_whoosh(root: Path) -> float:
    """whoosh's own StandardAnalyzer over the same texts (what the catalogue would be without
    the normaliser: no bigrams, no readings)."""
    from whoosh import fields
    from whoosh.filedb.filestore import RamStorage

    from generator.content import load_content
    from generator.search.records import records

    recs = records(load_content(root))
    started = time.perf_counter()
    ix = RamStorage().create_index(fields.Schema(id=fields.ID(stored=True), text=fields.TEXT()))
    w = ix.writer()
    for r in recs:
        w.add_document(id=r.id, text=" ".join(t for texts in r.field_texts().values() for t, _ in texts if t))
    w.commit()
    return time.perf_counter() - started


def baseline_pagefind(site: Path, scratch: Path) -> float:
    """Plain Pagefind over the same built site (no terms added)."""
    copy = scratch / "plain-site"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind", "iiif"))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), "--glob", "{items,lessons,classes,en}/**/*.html"],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def browser_figures(site: Path, port: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, StaticServer

    server = StaticServer(site, port)
    figures: dict[str, float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for rate in (1, 4):
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                seen: list[tuple[str, int]] = []

                def count(request, seen=seen):
                    sizes = request.sizes()  # as Chromium's network stack reports them
                    seen.append((urlparse(request.url).path, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

                page.on("requestfinished", count)
                page.goto(server.url + "search/", wait_until="load")
                page.evaluate("""() => {
                    document.querySelector('#search-q').addEventListener('input', () => { window.__lastKey = performance.now(); });
                    new MutationObserver(() => {
                        const q = document.querySelector('#search-q').value;
                        if (window.__shown === null && q && document.querySelector('#search-status').textContent.includes(q))
                            window.__shown = performance.now();
                    }).observe(document.querySelector('#search-status'), {childList: true, characterData: true, subtree: true});
                    new MutationObserver(() => {
                        if (window.__firstResult === null && document.querySelector('#search-results li'))
                            window.__firstResult = performance.now();
                    }).observe(document.querySelector('#search-results'), {childList: true});
                }""")
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                # The first query counts what search needs beyond the page itself (the search
                # script, the normalisation table, Pagefind's files), even if it started
                # loading with the page; later queries count every byte after the previous one.
                start = 0
                for label, query in (("first", "ほくさい"), ("second", "日本橋"), ("third", "fuji")):
                    page.evaluate("() => { window.__shown = null; window.__firstResult = null; }")
                    page.locator("#search-q").press_sequentially(query)
                    page.wait_for_function("() => window.__shown !== null", timeout=60000)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)  # let result fragments finish
                    figures[f"{label}_ms_x{rate}"] = page.evaluate("window.__shown - window.__lastKey")
                    figures[f"{label}_first_ms_x{rate}"] = page.evaluate("window.__firstResult - window.__lastKey")
                    if label == "first":
                        figures[f"{label}_bytes_x{rate}"] = sum(
                            b for path, b in seen if path.startswith("/pagefind/") or path.startswith("/search/") and path != "/search/")
                    else:
                        figures[f"{label}_bytes_x{rate}"] = sum(b for _, b in seen[start:])
                    start = len(seen)
                    figures[f"{label}_results"] = int(page.evaluate(
                        "(document.querySelector('#search-status').textContent.match(/\\d+/) || ['0'])[0]"))
                    page.fill("#search-q", "")
                    page.wait_for_function("() => document.querySelector('#search-status').textContent === ''")
                context.close()
            browser.close()
    finally:
        server.close()
    return figures


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated repo and site here")
    ap.add_argument("--reindex", action="store_true",
                    help="with --keep: reuse the kept site, re-run only the search steps (after a change to search)")
    args = ap.parse_args()
    from conftest import free_port

    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    scratch.mkdir(parents=True, exist_ok=True)
    root, out = scratch / "repo", scratch / "site"
    port = free_port()
    if args.reindex and (out / "index.html").exists():
        times = reindex(root, out)
        args.items = len(list((root / "archive").glob("item-*.yml")))
    else:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir()
        make_archive(root, args.items)
        times = timed_build(root, out, f"http://127.0.0.1:{port}/")
    whoosh_plain = baseline_whoosh(root)
    pagefind_plain = baseline_pagefind(out, scratch)
    bundle = sum(p.stat().st_size for p in (out / "pagefind").rglob("*") if p.is_file())
    shards = 1 + len(json.loads((out / "pagefind" / "shards.json").read_text(encoding="utf-8")))
    table = (out / "search" / "normalise.json").stat().st_size
    fig = browser_figures(out, port)

    print(f"\nsearch benchmark: {args.items} generated items (metadata only), {scratch}")
    print(f"full build                     {times['build']:8.1f} s")
    print(f"catalogue step (ours)          {times['catalogue']:8.1f} s   plain whoosh {whoosh_plain:6.1f} s   ratio {times['catalogue'] / whoosh_plain:5.1f}x")
    print(f"Pagefind step (ours)           {times['pagefind']:8.1f} s   plain Pagefind {pagefind_plain:6.1f} s   ratio {times['pagefind'] / pagefind_plain:5.1f}x")
    print(f"Pagefind bundle on disk        {bundle / 1024:8.0f} KB   in {shards} shard(s), query table {table / 1024:.0f} KB")
    for label in ("first", "second", "third"):
        for rate in (1, 4):
            b = fig[f"{label}_bytes_x{rate}"]
            print(f"{label:6} query, CPU x{rate}: {b / 1024:8.1f} KB transferred ({b / bundle:6.1%} of the bundle), "
                  f"first result shown {fig[f'{label}_first_ms_x{rate}']:5.0f} ms, the first page of 10 "
                  f"{fig[f'{label}_ms_x{rate}']:5.0f} ms after the last keystroke ({fig[f'{label}_results']} results)")
        slow = fig[f"{label}_ms_x4"] / max(fig[f"{label}_ms_x1"], 1)
        print(f"        throttled / unthrottled time ratio {slow:4.1f}x")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
