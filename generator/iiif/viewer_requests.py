"""The image requests deep-zoom viewers derive from an info.json, and the `sizes` that keep
every viewer on the true pyramid.

A level-0 service is only complete if every URL a viewer computes from info.json exists as
a file. The viewers in use bundle different OpenSeadragon builds (4.1.1 in Clover, 5.0.1 in
Mirador 3/4 and Tify, 6 on the item pages), and their IIIFTileSource reads `sizes`
differently:

- 4.x and 5.x take the sorted `sizes` as the pyramid's levels whenever their count equals
  the level count (maxLevel, full resolution then appended) or the level count + 1 (used as
  they are), without checking them against the scale factors;
- 6.x appends the full size when the largest listed size is smaller in both directions, and
  uses the list only when it then has maxLevel + 1 entries that each match a scale factor.

Otherwise they all compute level sizes as ceil(size / 2^k). `pyramid_sizes` chooses `sizes`
that every one of these rules turns into that same true pyramid, and `osd_levels` mirrors
each rule so that the tiler can fill any gap and the tests can walk every tile per version.
"""
from __future__ import annotations

import math
from typing import Iterator

# The OpenSeadragon builds inside the viewers people use (see the module docstring).
OSD_VERSIONS = ("4.1.1", "5.0.1", "6.1.1")


def _js_round(x: float) -> int:
    return math.floor(x + 0.5)


def max_level(scale_factors: list[int]) -> int:
    return _js_round(math.log2(max(scale_factors)))


def true_levels(width: int, height: int, scale_factors: list[int]) -> list[tuple[int, int]]:
    """Each level's size, smallest first, as a viewer computes it when it ignores `sizes`."""
    top = max_level(scale_factors)
    return [(math.ceil(width / 2 ** k), math.ceil(height / 2 ** k)) for k in range(top, -1, -1)]


def pyramid_sizes(width: int, height: int, scale_factors: list[int],
                  max_width: int | None = None, max_height: int | None = None) -> list[tuple[int, int]]:
    """The `sizes` to publish: the pyramid's own levels below full resolution, smallest first,
    as far as full/max allows (maxWidth/maxHeight: no listed size may be larger).

    All levels below full resolution are maxLevel entries: OpenSeadragon 4/5 append the full
    size and 6 checks them against the scale factors, so each gets the true pyramid from
    them. When the cap leaves out the largest levels, the list is shorter than maxLevel and
    no version takes it for the levels: they compute the same pyramid themselves.
    """
    limit_w, limit_h = max_width or width, max_height or height
    below_full = true_levels(width, height, scale_factors)[:-1]
    return [(w, h) for w, h in below_full if w <= limit_w and h <= limit_h]


def osd_levels(info: dict, version: str) -> list[tuple[int, int]]:
    """The level sizes (smallest first) OpenSeadragon `version`'s IIIFTileSource uses."""
    width, height = info["width"], info["height"]
    scale_factors = info["tiles"][0]["scaleFactors"]
    top = max_level(scale_factors)
    computed = true_levels(width, height, scale_factors)
    sizes = info.get("sizes")
    listed = sorted(((s["width"], s["height"]) for s in sizes or []), key=lambda s: s[0])  # JS sort is stable
    if int(version.split(".")[0]) < 6:
        if sizes is not None and len(listed) in (top, top + 1):
            return listed + [(width, height)] if len(listed) == top else listed
        return computed
    if not listed:
        return computed
    if listed[-1][0] < width and listed[-1][1] < height:
        listed.append((width, height))
    if len(listed) != top + 1:
        return computed
    if len(scale_factors) == len(listed):
        for i, (w, h) in enumerate(listed):
            factor = scale_factors[len(listed) - i - 1]
            if _js_round(width / w) != factor or _js_round(height / h) != factor:
                return computed
    return listed


def level_problems(info: dict) -> list[str]:
    """Why a viewer build would not draw the true pyramid up to full resolution (empty: none)."""
    truth = true_levels(info["width"], info["height"], info["tiles"][0]["scaleFactors"])
    problems = []
    for version in OSD_VERSIONS:
        levels = osd_levels(info, version)
        if levels != truth:
            problems.append(f"OpenSeadragon {version} reads levels {levels}, the pyramid is {truth}")
    return problems


def tile_paths(info: dict, version: str = OSD_VERSIONS[-1]) -> Iterator[str]:
    """Every 'region/size/0/default.jpg' path OpenSeadragon `version` may ask for, at every level."""
    width, height = info["width"], info["height"]
    tiles = info["tiles"][0]
    tile_w = tiles["width"]
    tile_h = tiles.get("height") or tile_w
    levels = osd_levels(info, version)
    top = len(levels) - 1
    for level, (level_w, level_h) in enumerate(levels):
        scale = 0.5 ** (top - level)
        if level_w < tile_w and level_h < tile_h:
            size = "max" if (level_w, level_h) == (width, height) else f"{level_w},{level_h}"
            yield f"full/{size}/0/default.jpg"
            continue
        region_w, region_h = _js_round(tile_w / scale), _js_round(tile_h / scale)
        for y in range(math.ceil(level_h / tile_h)):
            for x in range(math.ceil(level_w / tile_w)):
                rx, ry = x * region_w, y * region_h
                rw, rh = min(region_w, width - rx), min(region_h, height - ry)
                region = "full" if (x, y) == (0, 0) and (rw, rh) == (width, height) else f"{rx},{ry},{rw},{rh}"
                sw, sh = min(tile_w, level_w - x * tile_w), min(tile_h, level_h - y * tile_h)
                size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
                yield f"{region}/{size}/0/default.jpg"


def all_tile_paths(info: dict) -> set[str]:
    """What any of the OpenSeadragon builds in use may ask for."""
    return {path for version in OSD_VERSIONS for path in tile_paths(info, version)}


def static_paths(info: dict) -> Iterator[str]:
    """The non-tile images info.json promises: full/max and each entry of `sizes`, both as
    `w,h` (Image API 3's canonical form) and `w,` (which clients written for Image API 2,
    such as the Universal Viewer's thumbnails, build from a width in `sizes`)."""
    yield "full/max/0/default.jpg"
    for s in info.get("sizes") or []:
        yield f"full/{s['width']},{s['height']}/0/default.jpg"
        yield f"full/{s['width']},/0/default.jpg"
