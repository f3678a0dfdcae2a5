"""The item page as built: what it gives the viewer (tiles relative to the page, the published
IIIF ids), no hidden still image (a large one only for readers without JavaScript, the first
picture being the viewer's own first tile), the IIIF manifest in a drag-and-drop link and in
the page's head, and the CORS header `sitegen serve` sends for the IIIF and calendar folders."""
from __future__ import annotations

import functools
import http.server
import json
import threading
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

from generator.iiif.viewer_requests import tile_paths

MAP = "items/edo-kiriezu-kojimachi/"
TWO_SCANS = "items/kanda-myojin-hikifuda/"


class Elements(HTMLParser):
    """Every start tag with its attributes, whether it is inside <noscript> and <head>."""

    def __init__(self, text: str):
        super().__init__()
        self.found: list[tuple[str, dict, bool, bool]] = []
        self.noscript = 0
        self.head = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "noscript":
            self.noscript += 1
        if tag == "head":
            self.head = True
        self.found.append((tag, dict(attrs), self.noscript > 0, self.head))

    def handle_endtag(self, tag):
        if tag == "noscript":
            self.noscript -= 1
        if tag == "head":
            self.head = False

    def all(self, tag: str, **where) -> list[dict]:
        return [a for t, a, _, _ in self.found if t == tag and all(a.get(k) == v for k, v in where.items())]


def page(out: Path, path: str) -> Elements:
    return Elements((out / path / "index.html").read_text(encoding="utf-8"))


def test_the_viewer_gets_page_relative_tiles_and_the_published_ids(sample_site):
    server, out = sample_site
    for lang in ("", "en/"):
        for path in (MAP, TWO_SCANS):
            url = server.url + lang + path
            section = page(out, lang + path).all("section", **{"class": "viewer"})[0]
            images = json.loads(section["data-images"])
            manifest = json.loads((out / "iiif" / path.split("/")[1] / "manifest.json").read_text(encoding="utf-8"))
            assert section["data-manifest"] == manifest["id"]
            assert [im["canvas"] for im in images] == [c["id"] for c in manifest["items"]]
            for im in images:
                # Relative to the page: resolves against wherever the page is served.
                assert not urlparse(im["service"]).scheme and im["service"].startswith("../")
                folder = urljoin(url, im["service"])
                info = json.loads((out / urlparse(folder).path.lstrip("/") / "info.json").read_text(encoding="utf-8"))
                # The published info.json, but for what a viewer does not need to draw (rights).
                assert im["info"] == {k: v for k, v in info.items() if k != "rights"}
                assert info["id"] == folder, "info.json keeps its absolute, published id"


def test_no_still_image_but_for_readers_without_javascript(sample_site):
    server, out = sample_site
    for lang in ("", "en/"):
        found = page(out, lang + MAP)
        images = [(attrs, noscript) for tag, attrs, noscript, _ in found.found if tag == "img"]
        stills = [a for a, noscript in images if "viewer__still" in a.get("class", "")]
        assert stills and all(noscript for a, noscript in images if "viewer__still" in a.get("class", "")), \
            "the large still image is only for readers without JavaScript"
        assert int(stills[0]["width"]) >= 1200
        first = [a for a, noscript in images if a.get("class") == "viewer__first"]
        assert len(first) == 1 and first[0]["alt"]
        # The first picture is the file the viewer draws first: its smallest pyramid level.
        info = json.loads(found.all("section", **{"class": "viewer"})[0]["data-images"])[0]["info"]
        src = urljoin(server.url + lang + MAP, first[0]["src"])
        assert src == info["id"] + "/" + next(tile_paths(info))
        assert (out / urlparse(src).path.lstrip("/")).is_file()


def test_the_manifest_is_linked_for_drag_and_drop_and_named_in_the_head(sample_site):
    server, out = sample_site
    for lang in ("", "en/"):
        url = server.url + lang + MAP
        found = page(out, lang + MAP)
        manifest_id = server.url + "iiif/edo-kiriezu-kojimachi/manifest.json"
        [link] = [a for t, a, _, head in found.found if t == "link" and head and a.get("type") == "application/ld+json"]
        assert "alternate" in link["rel"].split(), link
        assert urljoin(url, link["href"]) == manifest_id
        [anchor] = found.all("a", **{"class": "item__manifest"})
        href = urlparse(urljoin(url, anchor["href"]))
        assert href.path == "/iiif/edo-kiriezu-kojimachi/manifest.json" and not urlparse(anchor["href"]).netloc, \
            "the link works from any host"
        assert parse_qs(href.query)["manifest"] == [manifest_id], "IIIF drag-and-drop reads the published id"
        logos = [a for t, a, _, _ in found.found if t == "img" and a.get("class") == "item__iiif-logo"]
        logo = out / urlparse(urljoin(url, logos[0]["src"])).path.lstrip("/")
        svg = logo.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_sitegen_serve_lets_other_sites_read_iiif_and_calendars(sample_site):
    from generator.serve import Preview, PreviewHandler

    _, out = sample_site
    handler = functools.partial(type("Handler", (PreviewHandler,), {"preview": Preview()}), directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}/"
    try:
        calendar = next((out / "calendar").glob("*.ics")).relative_to(out).as_posix()
        for path in ("iiif/edo-kiriezu-kojimachi/map/info.json", "iiif/collection.json", calendar):
            with urllib.request.urlopen(base + path) as response:
                assert response.headers["Access-Control-Allow-Origin"] == "*", path
        for path in (MAP, "viewer/openseadragon.min.js"):
            with urllib.request.urlopen(base + path) as response:
                assert response.headers["Access-Control-Allow-Origin"] is None, path
    finally:
        httpd.shutdown()
        httpd.server_close()
