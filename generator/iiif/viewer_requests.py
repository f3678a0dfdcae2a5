"""The image requests a deep-zoom viewer derives from an info.json (OpenSeadragon 6's rules).

A level-0 service is only complete if every URL a viewer computes from info.json exists as
a file. This mirrors OpenSeadragon's IIIFTileSource (scale factors -> levels, `sizes` used
as level sizes when they match, "full"/"max" shortcuts), so the tiler can fill any gap and
the tests can walk every tile.
"""
from __future__ import annotations

import math
from typing import Iterator


def _level_sizes(info: dict, max_level: int, scale_factors: list[int]) -> list[tuple[int, int]] | None:
    sizes = sorted(((s["width"], s["height"]) for s in info.get("sizes") or []))
    if not sizes:
        return None
    width, height = info["width"], info["height"]
    if sizes[-1][0] < width and sizes[-1][1] < height:
        sizes.append((width, height))
    if len(sizes) != max_level + 1:
        return None
    if len(scale_factors) == len(sizes):
        for i, (w, h) in enumerate(sizes):
            factor = scale_factors[len(sizes) - i - 1]
            if _js_round(width / w) != factor or _js_round(height / h) != factor:
                return None
    return sizes


def _js_round(x: float) -> int:
    return math.floor(x + 0.5)


def tile_paths(info: dict) -> Iterator[str]:
    """Every 'region/size/0/default.jpg' path OpenSeadragon may ask for, at every level."""
    width, height = info["width"], info["height"]
    tiles = info["tiles"][0]
    tile_w = tiles["width"]
    tile_h = tiles.get("height") or tile_w
    scale_factors = tiles["scaleFactors"]
    max_level = _js_round(math.log2(max(scale_factors)))
    level_sizes = _level_sizes(info, max_level, scale_factors)
    for level in range(max_level + 1):
        scale = 0.5 ** (max_level - level)
        if level_sizes:
            level_w, level_h = level_sizes[level]
        else:
            level_w, level_h = math.ceil(width * scale), math.ceil(height * scale)
        if level_w < tile_w and level_h < tile_h:
            size = "max" if (level_w, level_h) == (width, height) else f"{level_w},{level_h}"
            yield f"full/{size}/0/default.jpg"
            continue
        region_w, region_h = round(tile_w / scale), round(tile_h / scale)
        for y in range(math.ceil(level_h / tile_h)):
            for x in range(math.ceil(level_w / tile_w)):
                rx, ry = x * region_w, y * region_h
                rw, rh = min(region_w, width - rx), min(region_h, height - ry)
                region = "full" if (x, y) == (0, 0) and (rw, rh) == (width, height) else f"{rx},{ry},{rw},{rh}"
                sw, sh = min(tile_w, level_w - x * tile_w), min(tile_h, level_h - y * tile_h)
                size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
                yield f"{region}/{size}/0/default.jpg"


def static_paths(info: dict) -> Iterator[str]:
    """The non-tile images info.json promises: full/max and each entry of `sizes`."""
    yield "full/max/0/default.jpg"
    for s in info.get("sizes") or []:
        yield f"full/{s['width']},{s['height']}/0/default.jpg"
