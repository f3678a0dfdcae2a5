"""The OpenSeadragon builds inside the viewers people use (4.1.1 in Clover, 5.0.1 in Mirador
3/4 and Tify, 6 on the item pages), run in Chromium on what the build publishes: each reads
the true pyramid, every tile it can ask for exists, and zoomed in to the most at every corner
it asks for full resolution and gets no 404."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from browser import RequestLog
from generator.iiif.viewer_requests import OSD_VERSIONS, tile_paths
from iiif_repo import ENUMERATE_JS, check_in_viewers, osd_page
from test_iiif_osd_levels import SHAPES, info_for

pytestmark = pytest.mark.browser


def test_the_mirror_of_each_build_is_exact(browser, sample_site):
    """viewer_requests' rules give exactly the URLs each real build computes, for our sizes
    and for the sizes that misled 4.1.1 and 5.0.1 (so the pure-Python checks can be trusted)."""
    server, _ = sample_site
    misleading = info_for(3867, 2644)
    misleading["sizes"] = [{"width": w, "height": h} for w, h in [(200, 137), (400, 273), (800, 547), (2048, 1400)]]
    cases = [info_for(w, h) for w, h in SHAPES] + [misleading]
    for version in OSD_VERSIONS:
        page = osd_page(browser, server.url, version)
        for info in cases:
            service = info["id"] + "/"
            levels = page.evaluate(ENUMERATE_JS, info)
            real = {u[len(service):] for level in levels for u in level}
            assert real == set(tile_paths(info, version)), (version, info["width"], info["height"])
            plain = {k: v for k, v in info.items() if k != "sizes"}  # the true pyramid
            misread = info is misleading and not version.startswith("6.")
            assert (real != set(tile_paths(plain, version))) is misread, (version, info["width"], info["height"])
        page.close()


def test_sample_site_in_each_build(browser, sample_site, capsys):
    server, out = sample_site
    infos = sorted(out.glob("iiif/*/*/info.json"))
    assert any(json.loads(p.read_text())["width"] >= 12000 for p in infos), "the large map is among them"
    stats = check_in_viewers(browser, server.url, out, infos)
    with capsys.disabled():
        for version, s in stats.items():
            print(f"\nsample site, OpenSeadragon {version}: {s}")


# Mirador 4 is a devDependency (make test installs it; make site does not). MIRADOR_JS may name
# another build's dist/mirador.min.js (Mirador 3.4.3 was checked the same way).
MIRADOR_JS = os.environ.get("MIRADOR_JS") or str(Path(__file__).resolve().parent.parent / "node_modules" / "mirador"
                                                 / "dist" / "mirador.min.js")


def test_mirador_opens_the_collection_and_every_manifest(browser, sample_site):
    """Mirador (3 or 4) shows the top collection (Mirador 3 went blank without a collection
    requiredStatement) and each manifest, each in a window of one viewer, with no failed
    request and no page error."""
    assert Path(MIRADOR_JS).is_file(), f"{MIRADOR_JS} is missing: run `npm ci` (make test does)"
    server, out = sample_site
    manifests = [p.relative_to(out).as_posix() for p in sorted(out.glob("iiif/*/manifest.json"))]
    windows = ", ".join(f"{{loadedManifest: '{server.url + target}'}}" for target in ["iiif/collection.json", *manifests])
    html = ('<!doctype html><html><head><meta charset="utf-8"></head><body>'
            '<div id="m" style="position:absolute;inset:0"></div><script src="mirador.js"></script><script>'
            f"Mirador.viewer({{id: 'm', windows: [{windows}]}});"
            "</script></body></html>")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log = RequestLog(page, server.url)
    page.route(server.url + "__mirador__/index.html", lambda r: r.fulfill(body=html, content_type="text/html"))
    page.route(server.url + "__mirador__/mirador.js", lambda r: r.fulfill(path=MIRADOR_JS, content_type="text/javascript"))
    page.goto(server.url + "__mirador__/index.html")
    # The collection's window names the site; each manifest's window draws its image.
    page.wait_for_function("""n => /千代田区|Chiyoda/.test(document.body.innerText)
                              && document.querySelectorAll('canvas').length >= n""", arg=len(manifests), timeout=30000)
    log.wait_until_quiet()  # what Mirador fetches once it shows them (thumbnails, tiles) is in
    assert not errors and not log.failed, (errors[:3], log.failed[:3])
    page.close()
