"""Sample scans for the repo's own content, generated rather than committed.

`make site` and `make test` run `python -m generator.sample`: it creates every sample scan
that is missing (deterministically: the same bytes on every machine), so a fresh clone has
a 12,000 px "map" for deep zoom without 20 MB of pixels in git. Existing files are left
alone: source scans are never modified.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .cache import write_atomic

# (item id, file, width, height, style)
SAMPLES = [
    ("edo-kiriezu-kojimachi", "map.jpg", 12000, 9000, "map"),
    ("hokusai-kanagawa-oki-nami-ura", "print.jpg", 2400, 1640, "wave"),
    ("hiroshige-ohashi-atake-yudachi", "print.jpg", 1600, 2400, "rain"),
    ("kanda-myojin-hikifuda", "front.jpg", 1400, 2000, "paper"),
    ("kanda-myojin-hikifuda", "back.jpg", 1400, 2000, "paper2"),
]


def _image(width: int, height: int, style: str):
    import pyvips  # here for start-up time: with every sample in place, libvips is never loaded

    xy = pyvips.Image.xyz(width, height)
    x, y = xy[0], xy[1]
    paper = [236, 226, 204]
    if style == "map":
        # Paper, a street grid, a winding moat and a few blocks: enough structure to zoom into.
        r = (x * 0.013).sin() * (y * 0.011).cos() * 6
        base = pyvips.Image.black(width, height, bands=3) + paper
        base = base + r.bandjoin([r, r])
        streets = ((x % 420) < 10) | ((y % 330) < 10)
        moat = ((y - (height / 2 + (x * 0.0009).sin() * 1500)).abs() < 140)
        blocks = (((x // 420) + (y // 330)) % 5 == 0) & ~streets
        img = blocks.ifthenelse([200, 170, 140], base)
        img = moat.ifthenelse([120, 160, 190], img)
        img = streets.ifthenelse([90, 70, 60], img)
    elif style == "wave":
        crest = (y - (height * 0.55 + (x * 0.006).sin() * height * 0.25)).abs() < 60
        sea = y > (height * 0.55 + (x * 0.006).sin() * height * 0.25)
        img = sea.ifthenelse([40, 70, 130], paper)
        img = crest.ifthenelse([250, 250, 245], img)
    elif style == "rain":
        rain = ((x + y * 0.3) % 37) < 2
        bridge = ((y - height * 0.62).abs() < 40)
        img = (y < height * 0.3).ifthenelse([50, 50, 60], [150, 170, 160])
        img = bridge.ifthenelse([110, 80, 50], img)
        img = rain.ifthenelse([90, 90, 100], img)
    else:
        lines = ((y % 140) < 6) & (x > width * 0.1) & (x < width * 0.9)
        seal = ((x - width * 0.75) ** 2 + (y - height * 0.2) ** 2) < (width * 0.08) ** 2
        img = lines.ifthenelse([60, 50, 45], paper if style == "paper" else [226, 218, 196])
        img = seal.ifthenelse([180, 40, 40], img)
    return img.cast("uchar").copy(interpretation="srgb")


def ensure_samples(root: Path, verbose: bool = True) -> list[Path]:
    made = []
    for item_id, name, width, height, style in SAMPLES:
        path = root / "images" / item_id / name
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if verbose:
            print(f"generating sample scan {path.relative_to(root)} ({width}×{height})…", file=sys.stderr)
        write_atomic(path, _image(width, height, style).jpegsave_buffer(Q=82, strip=True, optimize_coding=True))
        made.append(path)
    return made


if __name__ == "__main__":
    ensure_samples(Path.cwd())
