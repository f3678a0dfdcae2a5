"""A small private repository for IIIF tests: the repo's settings, one record per scan given."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

RECORD = """id: {id}
type: {type}
title:
  ja: 試験資料 {id}
  en: Test item {id}
rights: https://creativecommons.org/publicdomain/mark/1.0/
images:
{images}"""


def mini_repo(root: Path, items: dict[str, list[tuple[str, object]]], type_: str = "ukiyo-e",
              pages: dict[str, int] | None = None) -> Path:
    """items: id -> [(file name, pyvips image or bytes)]. Scans are written as given."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "archive").mkdir(exist_ok=True)
    if (REPO / "node_modules").exists() and not (root / "node_modules").exists():
        (root / "node_modules").symlink_to(REPO / "node_modules")
    for item_id, scans in items.items():
        folder = root / "images" / item_id
        folder.mkdir(parents=True, exist_ok=True)
        lines = []
        for name, data in scans:
            write_scan(folder / name, data)
            lines.append(f"  - file: {name}\n")
            if pages and name in pages:
                lines.append(f"    page: {pages[name]}\n")
        (root / "archive" / f"{item_id}.yml").write_text(
            RECORD.format(id=item_id, type=type_, images="".join(lines)), encoding="utf-8")
    return root


def write_scan(path: Path, data) -> None:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        data.write_to_file(str(path))


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def tile_files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every tile image under a folder with its identity (inode, mtime): a re-encode changes it."""
    out = {}
    for dirpath, _, files in os.walk(folder):
        for name in files:
            if name.endswith(".jpg"):
                st = os.stat(os.path.join(dirpath, name))
                out[os.path.relpath(os.path.join(dirpath, name), folder)] = (st.st_ino, st.st_mtime_ns)
    return out


# The OpenSeadragon builds inside the viewers people use, from package.json (npm aliases).
OSD_BUILDS = {"4.1.1": "openseadragon-4", "5.0.1": "openseadragon-5", "6.1.1": "openseadragon"}
HARNESS = "__viewer-test__/"  # served by the test's route only, never part of a site

_HARNESS_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>viewer test</title></head>
<body style="margin:0"><div id="v" style="width:1280px;height:800px"></div>
<script src="openseadragon.js"></script></body></html>"""

# Every tile URL the build computes from an info.json, level by level: what it can ever ask for.
ENUMERATE_JS = """(info) => {
  const $ = OpenSeadragon;
  const data = $.IIIFTileSource.prototype.configure(JSON.parse(JSON.stringify(info)), info.id + '/info.json', null);
  const source = new $.IIIFTileSource(data);
  const levels = [];
  for (let level = source.minLevel; level <= source.maxLevel; level++) {
    const n = source.getNumTiles(level);
    const urls = [];
    for (let y = 0; y < n.y; y++) for (let x = 0; x < n.x; x++) urls.push(source.getTileUrl(level, x, y));
    levels.push(urls);
  }
  return levels;
}"""

# A real viewer on one info.json: open it, zoom to the most the viewer allows and visit the
# corners and the middle, waiting at each for every tile to load. Builds from 5 on draw with
# canvas 2D, as 4.1.1 does: which tiles a viewer asks for does not depend on how it draws them,
# and WebGL without a GPU (headless Chromium draws it in software) is slow.
ZOOM_JS = """async (infoUrl) => {
  const drawer = parseInt(OpenSeadragon.version.major, 10) >= 5 ? {drawer: 'canvas'} : {};
  const viewer = OpenSeadragon({element: document.getElementById('v'), tileSources: infoUrl, animationTime: 0,
                                showNavigationControl: false, immediateRender: false, ...drawer});
  await new Promise((ok, fail) => {
    viewer.addOnceHandler('open', ok);
    viewer.addOnceHandler('open-failed', (e) => fail(new Error('open failed: ' + e.message)));
  });
  const item = viewer.world.getItemAt(0);
  const settle = async () => {
    let quiet = 0;
    for (let i = 0; i < 600 && quiet < 4; i++) {
      await new Promise((r) => setTimeout(r, 50));
      quiet = viewer.imageLoader.jobsInProgress === 0 && item.getFullyLoaded() ? quiet + 1 : 0;
    }
  };
  await settle();
  const vp = viewer.viewport;
  vp.zoomTo(vp.getMaxZoom(), null, true);
  const b = item.getBounds();
  for (const [fx, fy] of [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]]) {
    vp.panTo(new OpenSeadragon.Point(b.x + fx * b.width, b.y + fy * b.height), true);
    await settle();
  }
  viewer.destroy();
  return OpenSeadragon.version.versionStr;
}"""


def osd_script(version: str) -> Path:
    return REPO / "node_modules" / OSD_BUILDS[version] / "build" / "openseadragon" / "openseadragon.min.js"


def osd_page(browser, origin: str, version: str):
    """A page on the site's origin (so that requests are same-origin, as on the item pages)
    running OpenSeadragon `version`; the harness itself is never written into the site."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.route(origin + HARNESS + "index.html",
               lambda route: route.fulfill(body=_HARNESS_HTML, content_type="text/html"))
    page.route(origin + HARNESS + "openseadragon.js",
               lambda route: route.fulfill(path=str(osd_script(version)), content_type="text/javascript"))
    page.goto(origin + HARNESS + "index.html")
    assert page.evaluate("() => OpenSeadragon.version.versionStr") == version
    return page


class TileLog:
    """The image requests of a page: what was asked, what failed."""

    def __init__(self, page):
        self.asked: list[str] = []
        self.failed: list[str] = []
        page.on("request", lambda r: self.asked.append(r.url) if r.url.endswith(".jpg") else None)
        page.on("requestfailed", lambda r: self.failed.append(r.url))
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def under(self, service_id: str) -> set[str]:
        prefix = service_id.rstrip("/") + "/"
        return {u[len(prefix):] for u in self.asked if u.startswith(prefix)}


def check_in_viewers(browser, origin: str, site: Path, infos: list[Path]) -> dict[str, dict[str, int]]:
    """Open each info.json in every OpenSeadragon build in use; per build: the tile URLs it
    computes (all present as files?), those a real viewer asked for zoomed to the most and at
    the corners, the failures, and whether full resolution was asked for. Asserts none fails.
    The builds run side by side, each in a page of its own, on one image at a time."""
    import json

    from generator.iiif.viewer_requests import true_levels

    pages = {version: osd_page(browser, origin, version) for version in OSD_BUILDS}
    logs = {version: TileLog(page) for version, page in pages.items()}
    counts = {version: {"computed": 0, "present": 0} for version in OSD_BUILDS}
    for path in infos:
        info = json.loads(path.read_text(encoding="utf-8"))
        folder, service = path.parent, info["id"].rstrip("/") + "/"
        truth = true_levels(info["width"], info["height"], info["tiles"][0]["scaleFactors"])
        wanted = {}
        for version, page in pages.items():
            levels = page.evaluate(ENUMERATE_JS, info)
            urls = {u for level in levels for u in level}
            assert all(u.startswith(service) for u in urls), version
            files = {u[len(service):] for u in urls}
            missing = sorted(f for f in files if not (folder / f).is_file())
            assert not missing, f"OpenSeadragon {version}, {path.relative_to(site)}: no file for {missing[:5]}"
            assert len(levels) == len(truth), f"OpenSeadragon {version} reads {len(levels)} levels, not {len(truth)}"
            wanted[version] = files, {u[len(service):] for u in levels[-1]}
            counts[version]["computed"] += len(files)
            counts[version]["present"] += len(files) - len(missing)
            page.evaluate(f"(url) => {{ window.__zoomed = ({ZOOM_JS})(url); }}", origin + path.relative_to(site).as_posix())
        for version, page in pages.items():
            page.evaluate("() => window.__zoomed")  # this build has been everywhere and every tile is in
            files, top = wanted[version]
            got = logs[version].under(info["id"])
            assert got <= files, f"OpenSeadragon {version} asked for tiles it does not compute: {sorted(got - files)[:5]}"
            assert got & top, f"OpenSeadragon {version} never asked for full resolution of {path.relative_to(site)}"
    stats = {}
    for version, page in pages.items():
        log = logs[version]
        assert not log.failed, f"OpenSeadragon {version}: {log.failed[:5]}"
        stats[version] = {"images": len(infos), **counts[version], "asked": len(set(log.asked)), "failed": len(log.failed)}
        page.close()
    return stats
