"""The item viewer on a slow phone connection: bytes transferred and time to the first sharp
view of a print and of the 12,000 px sample map, for this checkout's item page and for the
page as it was before the viewer was made light (the baseline), measured in the same run.

    .venv/bin/python bench/bench_viewer.py [--baseline REV] [--runs N]

The baseline is git's commit REV checked out into a temporary worktree and built by its own
generator from its own content (default REV: the commit before the one that added
viewer-state.js, whose item page downloaded a 2,048 px still image and hid it). The print is
a real scan from ../shared/corpus (no. 5, Sundai in Edo, 3,710 px), added as an item to both;
the map is the repo's generated 12,000 x 9,000 sample. Both sites are served by the same plain
static server on 127.0.0.1 (no compression, as a ward's web host would be), and each page is
loaded in a fresh browser context (an empty cache) with Chromium's throttling through the
DevTools protocol: Network.emulateNetworkConditions (1.6 Mbps down, 750 kbps up, 150 ms round
trip) and Emulation.setCPUThrottlingRate 4. Phone: 390x844 at 3x pixels with touch; desktop:
1280x800.

Columns: KB to sharp = bytes transferred (as on the wire) until the viewer's first view is
fully drawn from its tiles at the needed resolution (OpenSeadragon's getFullyLoaded());
KB total = until the network is idle; images = picture and tile bytes of the total;
picture = first picture in the viewer box (the still image before, the viewer's own first
tile now) in seconds from navigation start; sharp = the first sharp view, in seconds.
Medians of --runs loads; the ratio line is now/before.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from conftest import CHROMIUM, StaticServer, copy_repo, free_port  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
PRINT_SCAN = CORPUS / "hokusai-fugaku36-05.jpg"
PRINT_RECORD = """id: bench-toto-sundai
type: ukiyo-e
title:
  ja: 冨嶽三十六景　東都駿台
  en: "Thirty-six Views of Mount Fuji: Sundai, Edo"
rights: https://creativecommons.org/publicdomain/mark/1.0/
images:
  - file: print.jpg
"""
ITEMS = {"print 3,710 px": "items/bench-toto-sundai/", "map 12,000 px": "items/edo-kiriezu-kojimachi/"}
VIEWPORTS = {
    "phone": dict(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True),
    "desktop": dict(viewport={"width": 1280, "height": 800}),
}
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
TODAY = "2026-11-20"
MARKER = "generator/render/assets/viewer/viewer-state.js"  # added by the light viewer

# Measured in the page, the same for any version of it (both expose the viewer as
# section.osd): when the first picture appeared in the viewer box, when the first view was
# fully drawn at the resolution it needs, and the bytes on the wire by then (Resource Timing's
# transferSize of the page and of every response finished by that moment).
PROBE = """(() => {
  const t = window.__viewerBench = {picture: null, sharp: null, bytesToSharp: null};
  document.addEventListener('load', (e) => {
    const el = e.target;
    if (t.picture === null && el.tagName === 'IMG' && el.closest('.viewer__stage')) t.picture = performance.now();
  }, true);
  const poll = () => {
    const s = document.querySelector('[data-viewer]');
    const item = s && s.osd && s.osd.world.getItemAt(0);
    if (item && item.getFullyLoaded()) {
      t.sharp = performance.now();
      const nav = performance.getEntriesByType('navigation')[0];
      t.bytesToSharp = nav.transferSize + performance.getEntriesByType('resource')
        .filter((r) => r.responseEnd <= t.sharp).reduce((sum, r) => sum + r.transferSize, 0);
      return;
    }
    setTimeout(poll, 10);
  };
  poll();
})();"""
TOTALS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const size = (list) => list.reduce((sum, r) => sum + r.transferSize, 0);
  return {total: nav.transferSize + size(res), images: size(res.filter((r) => r.initiatorType === 'img')),
          requests: res.length + 1, ...window.__viewerBench};
}"""


def git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def default_baseline() -> str:
    added = git("log", "--diff-filter=A", "--format=%H", "--", MARKER).splitlines()
    if not added:
        sys.exit(f"no commit adds {MARKER}: give the baseline with --baseline REV")
    return added[-1] + "^"


BUILD = """import datetime as dt, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import generator
assert Path(generator.__file__).resolve().is_relative_to(Path(sys.argv[1]).resolve()), generator.__file__
from generator.pipeline import build
build(Path(sys.argv[2]), out=Path(sys.argv[3]), site_url=sys.argv[4], today=dt.date.fromisoformat(sys.argv[5]), progress=False)
"""


def build_site(code: Path, root: Path, out: Path, url: str) -> None:
    """Build root's content with the generator in code (in a child process: two versions of
    the package cannot share one interpreter)."""
    subprocess.run([sys.executable, "-c", BUILD, str(code), str(root), str(out), url, TODAY], check=True, cwd=root)


def baseline_worktree(rev: str, tmp: Path) -> Path:
    """The baseline's code and content in a temporary worktree."""
    tree = tmp / "before"
    git("worktree", "add", "--detach", str(tree), rev)
    return tree


def prepare(root: Path) -> None:
    """What a content root needs beyond git: node_modules, the generated sample map, the tile
    cache (linked: tiles are never changed in place, and tiling the map again takes minutes),
    and the corpus print as one more item."""
    if not (root / "node_modules").exists():
        (root / "node_modules").symlink_to(REPO / "node_modules")
    for scan in (REPO / "images").rglob("*"):
        target = root / scan.relative_to(REPO)
        if scan.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(scan, target)
    tiles = REPO / ".cache" / "tiles"
    if tiles.is_dir() and not (root / ".cache" / "tiles").exists():
        (root / ".cache").mkdir(exist_ok=True)
        subprocess.run(["cp", "-al", str(tiles), str(root / ".cache" / "tiles")], check=True)
    (root / "archive" / "bench-toto-sundai.yml").write_text(PRINT_RECORD, encoding="utf-8")
    (root / "images" / "bench-toto-sundai").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PRINT_SCAN, root / "images" / "bench-toto-sundai" / "print.jpg")


def load(browser, url: str, viewport: str) -> dict:
    """One throttled load of an item page in a fresh context (an empty cache)."""
    context = browser.new_context(**VIEWPORTS[viewport])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.add_init_script(PROBE)
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__viewerBench && window.__viewerBench.sharp !== null",
                           timeout=120_000, polling=100)
    page.wait_for_load_state("networkidle")
    result = page.evaluate(TOTALS)
    context.close()
    result["picture"] = result["picture"] if result["picture"] is not None else result["sharp"]
    return result


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="git revision of the page to compare with (default: before the light viewer)")
    parser.add_argument("--runs", type=int, default=3, help="loads per page and screen size (median reported)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rev = args.baseline or default_baseline()
    tmp = Path(tempfile.mkdtemp(prefix="bench-viewer-"))
    servers = []
    try:
        sites = {}
        before = baseline_worktree(rev, tmp)
        roots = {"before": (before, before), "now": (REPO, copy_repo(tmp / "now"))}
        for name, (code, root) in roots.items():
            prepare(root)
            port = free_port()
            out = tmp / f"site-{name}"
            build_site(code, root, out, f"http://127.0.0.1:{port}/")
            servers.append(StaticServer(out, port))
            sites[name] = servers[-1].url
        print(f"before: {git('rev-parse', '--short', rev)} ({git('log', '-1', '--format=%s', rev)[:70]}...)")
        print(f"now:    this checkout; network 1.6 Mbps down / 150 ms RTT, CPU {CPU_SLOWDOWN}x slower; "
              f"median of {args.runs} loads")
        print(f"{'item':<14} {'screen':<8} {'page':<10} {'KB to sharp':>11} {'KB total':>9} {'images KB':>9} "
              f"{'requests':>8} {'picture s':>9} {'sharp s':>8}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for item, path in ITEMS.items():
                for viewport in VIEWPORTS:
                    rows = {}
                    for name, url in sites.items():
                        runs = [load(browser, url + path, viewport) for _ in range(args.runs)]
                        rows[name] = {k: median(runs, k) for k in
                                      ("bytesToSharp", "total", "images", "requests", "picture", "sharp")}
                        r = rows[name]
                        print(f"{item:<14} {viewport:<8} {name:<10} {r['bytesToSharp'] / 1024:>11.0f} "
                              f"{r['total'] / 1024:>9.0f} {r['images'] / 1024:>9.0f} {r['requests']:>8.0f} "
                              f"{r['picture'] / 1000:>9.2f} {r['sharp'] / 1000:>8.2f}")
                    b, n = rows["before"], rows["now"]
                    print(f"{'':<14} {'':<8} {'now/before':<10} {n['bytesToSharp'] / b['bytesToSharp']:>11.2f} "
                          f"{n['total'] / b['total']:>9.2f} {n['images'] / b['images']:>9.2f} {'':>8} "
                          f"{n['picture'] / b['picture']:>9.2f} {n['sharp'] / b['sharp']:>8.2f}")
            browser.close()
    finally:
        for server in servers:
            server.close()
        if (tmp / "before").exists():
            subprocess.run(["git", "worktree", "remove", "--force", str(tmp / "before")], cwd=REPO,
                           capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
