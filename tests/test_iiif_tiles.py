"""Level-0 tiles: every tile a viewer computes from info.json exists; tiles are made once per
scan and settings (a second build re-encodes nothing, a changed scan re-tiles only its item);
info.json follows the site URL; source scans are never touched."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import pyvips

from generator.iiif.scans import ScanSource
from generator.iiif.tiles import TileSettings, make_tiles
from generator.iiif.viewer_requests import all_tile_paths, level_problems, static_paths
from generator.pipeline import build
from iiif_repo import mini_repo, tile_files, tree_hashes

TODAY = dt.date(2026, 11, 20)


def pattern(width: int, height: int, seed: int = 0) -> pyvips.Image:
    xy = pyvips.Image.xyz(width, height)
    r = (xy[0] * 7 + seed) % 256
    g = (xy[1] * 5) % 256
    b = ((xy[0] + xy[1]) * 3 + seed * 11) % 256
    return r.bandjoin([g, b]).cast("uchar").copy(interpretation="srgb")


def assert_complete(folder: Path, info: dict) -> int:
    """Walk info.json as each OpenSeadragon build in use does: they all read the true pyramid,
    and every image exists at the size its URL names."""
    assert level_problems(info) == []
    paths = sorted(all_tile_paths(info) | set(static_paths(info)))
    for rel in paths:
        path = folder / rel
        assert path.is_file(), f"missing {rel}"
        size = rel.split("/")[1]
        if size != "max":
            w, h = size.split(",")
            image = pyvips.Image.new_from_file(str(path))
            assert image.width == int(w) and (not h or image.height == int(h)), rel
    return len(paths)


@pytest.mark.parametrize("width,height", [(1001, 701), (1024, 1024), (513, 512), (2049, 1537), (300, 4100), (90, 60),
                                          (4000, 120)])
def test_every_tile_a_viewer_asks_for_exists(tmp_path, width, height):
    path = tmp_path / "scan.png"
    pattern(width, height).pngsave(str(path))
    settings = TileSettings(tile=256, copies=(100, 400), max_size=1500)
    tiles = make_tiles(ScanSource(path, "archive/x.yml", "images[0].file"), settings, tmp_path / "cache", "k")
    info = tiles.info("http://example.org/iiif/x/scan")
    assert assert_complete(tiles.folder, info) >= 1
    if max(width, height) > 1500:
        assert max(info["maxWidth"], info["maxHeight"]) == 1500
    assert not list(tmp_path.rglob("vips-properties.xml"))
    assert not list(tiles.folder.rglob("info.json")), "dzsave's placeholder info.json must not be cached"


def test_sample_site_every_item_is_complete(sample_site):
    """The repo's own items (the 12,000 x 9,000 map and the two-scan document) as published."""
    server, out = sample_site
    infos = sorted(out.glob("iiif/*/*/info.json"))
    assert {p.parent.parent.name for p in infos} >= {"edo-kiriezu-kojimachi", "kanda-myojin-hikifuda"}
    assert len(list(out.glob("iiif/kanda-myojin-hikifuda/*/info.json"))) == 2
    for path in infos:
        info = json.loads(path.read_text(encoding="utf-8"))
        assert info["id"] == server.url + path.parent.relative_to(out).as_posix()
        assert info["profile"] == "level0" and info["type"] == "ImageService3"
        assert_complete(path.parent, info)
    big = json.loads((out / "iiif/edo-kiriezu-kojimachi/map/info.json").read_text())
    assert (big["width"], big["height"]) == (12000, 9000)
    assert max(big["tiles"][0]["scaleFactors"]) >= 32


def test_rebuild_reencodes_nothing_and_a_changed_scan_retiles_only_its_item(tmp_path):
    repo = mini_repo(tmp_path / "repo", {"first": [("a.jpg", pattern(900, 700))],
                                         "second": [("b.png", pattern(800, 600, 1))]})
    scans_before = tree_hashes(repo / "images")
    site = tmp_path / "site"
    build(repo, out=site, site_url="http://127.0.0.1:1/", today=TODAY, progress=False)
    cache = tile_files(repo / ".cache" / "tiles")
    published = {k: v for k, v in tile_files(site / "iiif").items()}
    assert cache and len(published) == len(cache)

    build(repo, out=site, site_url="http://127.0.0.1:2/", today=TODAY, progress=False)
    assert tile_files(repo / ".cache" / "tiles") == cache, "a rebuild without changes re-encoded tiles"
    again = tile_files(site / "iiif")
    reencoded = [p for p in again if again[p] != published[p]]
    assert reencoded == [], f"{len(reencoded)} tiles re-encoded"
    info = json.loads((site / "iiif/first/a/info.json").read_text())
    assert info["id"] == "http://127.0.0.1:2/iiif/first/a", "info.json follows the URL of this build"

    pattern(800, 600, 7).write_to_file(str(repo / "images/second/b.png"))
    build(repo, out=site, site_url="http://127.0.0.1:2/", today=TODAY, progress=False)
    third = tile_files(site / "iiif")
    changed = {p.split("/")[0] for p in third if third[p] != again.get(p)}
    assert changed == {"second"}, f"re-tiled items: {changed}"
    # The site holds exactly the new tile set (no tile of the old one stays beside it).
    entries = {p.parent.name: p for p in (repo / ".cache" / "tiles").glob("*/image")}
    published_second = {p: v for p, v in third.items() if p.startswith("second/b/")}
    assert any({"second/b/" + k: v for k, v in tile_files(image).items()} == published_second
               for image in (e for e in entries.values())), "the published tiles are not one whole tile set"
    build(repo, out=site, site_url="http://127.0.0.1:2/", today=TODAY, progress=False)  # recycles the second's site
    assert tile_files(site / "iiif") == third
    assert tree_hashes(repo / "images/first") == {k[len("first/"):]: v for k, v in scans_before.items()
                                                   if k.startswith("first/")}
    assert not list((repo / ".cache" / "tiles").glob(".*")), "a tiling run's scratch folder stayed"


def test_scans_unchanged_by_a_build(tmp_path):
    repo = mini_repo(tmp_path / "repo", {"only": [("s.tif", pattern(700, 500)), ("t.jpg", pattern(600, 800))]})
    before = tree_hashes(repo / "images")
    stat_before = {p: p.stat().st_mtime_ns for p in (repo / "images").rglob("*") if p.is_file()}
    build(repo, out=tmp_path / "site", site_url="http://127.0.0.1:1/", today=TODAY, progress=False)
    assert tree_hashes(repo / "images") == before
    assert {p: p.stat().st_mtime_ns for p in (repo / "images").rglob("*") if p.is_file()} == stat_before


def test_sample_scans_are_byte_identical_after_the_sample_build(sample_site):
    import subprocess
    repo = Path(__file__).resolve().parent.parent
    tracked = subprocess.run(["git", "ls-files", "-s", "images"], cwd=repo, capture_output=True, text=True).stdout
    entries = [line.split("\t") for line in tracked.splitlines()]
    assert entries
    for meta, name in entries:
        now = subprocess.run(["git", "hash-object", name], cwd=repo, capture_output=True, text=True).stdout.strip()
        assert now == meta.split()[1], f"{name} was modified by the build"


def test_tiles_of_a_replaced_scan_go_after_thirty_days_unused(tmp_path):
    """A re-scanned map leaves its old tiles in the cache: kept for 30 days after their last
    use (a scan put back is not tiled again), then removed; tiles in use are never removed,
    whatever their age, and a killed tiling run's temporary folder goes."""
    import time

    from generator.iiif.tiles import TILES_KEPT_DAYS, prune_tiles

    def built() -> set[str]:
        build(repo, out=tmp_path / "site", site_url="http://127.0.0.1:1/", today=TODAY, progress=False)
        return {p.name for p in tiles.iterdir() if p.is_dir()}

    repo = mini_repo(tmp_path / "repo", {"first": [("a.jpg", pattern(900, 700))]})
    tiles = repo / ".cache" / "tiles"
    first = built()
    mini_repo(repo, {"second": [("b.png", pattern(800, 600, 1))]})
    second = built() - first
    pattern(800, 600, 7).write_to_file(str(repo / "images/second/b.png"))  # re-scanned
    rescanned = built() - first - second
    assert len(first) == len(second) == len(rescanned) == 1
    assert (tiles / second.pop()).is_dir(), "the replaced scan's tiles are kept for a while"
    in_use = first | rescanned
    dead = tiles / ".0123abcd.new"  # the folder of a tiling run that was killed
    dead.mkdir()
    day = 86400
    assert prune_tiles(repo / ".cache", in_use, now=time.time() + (TILES_KEPT_DAYS - 1) * day) == []
    assert not dead.exists()
    gone = prune_tiles(repo / ".cache", in_use, now=time.time() + (TILES_KEPT_DAYS + 2) * day)
    assert len(gone) == 1 and gone[0] not in in_use
    assert {p.name for p in tiles.iterdir() if p.is_dir()} == in_use
    assert built() == in_use, "nothing in use was tiled again or removed"
