"""info.json's `sizes` for every scan shape: each OpenSeadragon build inside the viewers people
use (4.1.1 in Clover, 5.0.1 in Mirador and Tify, 6 on the item pages) reads the true pyramid
from it, up to full resolution. Pure Python: viewer_requests mirrors each build's rule, and
tests/test_iiif_viewers_browser.py checks that mirror against the builds themselves."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import pyvips

from generator.iiif.tiles import TileSet, TileSettings, dzsave_scale_factors
from generator.iiif.viewer_requests import (OSD_VERSIONS, level_problems, osd_levels, pyramid_sizes, tile_paths,
                                            true_levels)

# small, square, at a tile's edge, the corpus' prints, tall, scrolls both ways, the ward's
# 20,000 px map sheets and the largest scan accepted (500 megapixels)
SHAPES = [(90, 60), (512, 512), (513, 512), (600, 400), (1024, 1024), (1905, 1257), (1918, 1301), (2400, 1640),
          (3867, 2644), (4000, 2719), (300, 4100), (1200, 9000), (12000, 9000), (20000, 15000), (15000, 20000),
          (25000, 20000), (30000, 800), (800, 30000), (1, 5000)]


def capped(width: int, height: int, max_size: int) -> tuple[int, int] | None:
    """full/max's size when the scan is larger than max_size (as libvips' thumbnail rounds)."""
    if max(width, height) <= max_size:
        return None
    scale = max_size / max(width, height)
    return (max_size, max(1, round(height * scale))) if width >= height else (max(1, round(width * scale)), max_size)


def info_for(width: int, height: int, settings: TileSettings = TileSettings()) -> dict:
    scale_factors = dzsave_scale_factors(width, height, settings.tile)
    cap = capped(width, height, settings.max_size)
    max_w, max_h = cap or (None, None)
    tiles = TileSet(folder=Path("."), width=width, height=height, scale_factors=scale_factors, tile=settings.tile,
                    sizes=pyramid_sizes(width, height, scale_factors, max_w, max_h), copies=[],
                    max_width=max_w, max_height=max_h)
    return tiles.info("https://example.org/iiif/item/scan", "http://creativecommons.org/publicdomain/mark/1.0/")


@pytest.mark.parametrize("width,height", SHAPES)
def test_every_build_reads_the_true_pyramid(width, height):
    info = info_for(width, height)
    assert level_problems(info) == []
    truth = true_levels(width, height, info["tiles"][0]["scaleFactors"])
    assert truth[-1] == (width, height), "the top level is full resolution"
    paths = {v: set(tile_paths(info, v)) for v in OSD_VERSIONS}
    assert paths["4.1.1"] == paths["5.0.1"] == paths["6.1.1"], "every build asks for the same tiles"
    for s in info.get("sizes", []):
        # Image API: nothing listed is larger than full/max may be
        assert s["width"] <= info.get("maxWidth", width) and s["height"] <= info.get("maxHeight", height)


def test_the_sizes_published_before_misled_openseadragon_4_and_5():
    """What the viewers drew wrong: page-copy sizes (200, 400, 800, 2048 px) as many as the
    levels, read by 4.1.1 and 5.0.1 as a 4-level pyramid topped at 2048 px."""
    info = info_for(3867, 2644)
    info["sizes"] = [{"width": w, "height": h} for w, h in [(200, 137), (400, 273), (800, 547), (2048, 1400)]]
    assert osd_levels(info, "4.1.1") == osd_levels(info, "5.0.1") == [(200, 137), (400, 273), (800, 547), (2048, 1400)]
    assert osd_levels(info, "6.1.1") == true_levels(3867, 2644, [1, 2, 4, 8])
    assert len(level_problems(info)) == 2


def test_rights_is_in_info_json():
    assert info_for(600, 400)["rights"] == "http://creativecommons.org/publicdomain/mark/1.0/"


@pytest.mark.parametrize("width,height", [(90, 60), (512, 512), (513, 512), (1024, 1025), (3867, 2644), (300, 4100),
                                          (4100, 130)])
def test_level_files_are_made_for_the_scale_factors_dzsave_gives(tmp_path, width, height):
    """The listed sizes are encoded while dzsave runs, from the scale factors it will give."""
    image = pyvips.Image.black(width, height, bands=3)
    image.dzsave(str(tmp_path / "t"), layout="iiif3", tile_size=512, overlap=0, id="t", suffix=".jpg[Q=30]")
    given = json.loads((tmp_path / "t" / "info.json").read_text())["tiles"][0]["scaleFactors"]
    assert dzsave_scale_factors(width, height, 512) == given
