"""Scans as real scanners produce them become upright 8-bit sRGB tiles without metadata;
bad files get one clear message naming the record and the field, and nothing is published."""
from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path

import pytest
import pyvips

from generator.errors import ContentErrors
from generator.iiif.scans import ScanError, ScanSource, check
from generator.iiif.tiles import TileSettings, make_tiles
from generator.pipeline import build
from iiif_repo import mini_repo, tree_hashes

SETTINGS = TileSettings(tile=256, copies=(100, 200), max_size=600)


def rgb(width=640, height=400) -> pyvips.Image:
    """Left half red, right half blue, on a gradient: orientation and colour are checkable."""
    x = pyvips.Image.xyz(width, height)[0]
    left = x < width // 2
    return left.ifthenelse([200, 30, 30], [30, 30, 200]).cast("uchar").copy(interpretation="srgb")


def scan(tmp_path: Path, name: str, image, page: int = 0, **save) -> ScanSource:
    path = tmp_path / "images" / "item" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(image, bytes):
        path.write_bytes(image)
    else:
        image.write_to_file(str(path), **save)
    return ScanSource(path=path, record="archive/item.yml", field="images[0].file", page=page)


def published_full(tmp_path: Path, src: ScanSource) -> pyvips.Image:
    check(src)
    tiles = make_tiles(src, SETTINGS, tmp_path / "cache", src.path.name + str(src.page))
    return pyvips.Image.new_from_file(str(tiles.folder / "full/max/0/default.jpg"))


def colour_at(image: pyvips.Image, x: int, y: int) -> list[float]:
    return image.getpoint(x, y)[:3]


def near(a, b, tol=40) -> bool:
    return all(abs(p - q) <= tol for p, q in zip(a, b))


def assert_clean_srgb(image: pyvips.Image) -> None:
    assert image.get("vips-loader") == "jpegload"
    assert image.bands == 3 and image.format == "uchar"
    for meta in ("exif-data", "xmp-data", "iptc-data"):
        assert not image.get_typeof(meta), f"published image carries {meta}"


@pytest.mark.parametrize("name,save", [
    ("baseline.jpg", {"Q": 90}),
    ("progressive.jpg", {"Q": 90, "interlace": True}),
    ("lzw.tif", {"compression": "lzw"}),
    ("deflate.tif", {"compression": "deflate"}),
    ("plain.png", {}),
])
def test_common_formats_publish_as_srgb_jpeg(tmp_path, name, save):
    full = published_full(tmp_path, scan(tmp_path, name, rgb(), **save))
    assert (full.width, full.height) == (600, 375)
    assert_clean_srgb(full)
    assert near(colour_at(full, 50, 50), [200, 30, 30]) and near(colour_at(full, 550, 50), [30, 30, 200])


def test_sixteen_bit_tiff(tmp_path):
    wide = (rgb().cast("ushort") * 257).cast("ushort").copy(interpretation="rgb16")
    full = published_full(tmp_path, scan(tmp_path, "16bit.tif", wide, compression="lzw"))
    assert_clean_srgb(full)
    assert near(colour_at(full, 50, 50), [200, 30, 30])


def test_multi_page_tiff_uses_first_page_unless_told(tmp_path):
    red = rgb(300, 200).copy()
    green = (pyvips.Image.black(300, 200, bands=3) + [20, 180, 20]).cast("uchar").copy(interpretation="srgb")
    pages = pyvips.Image.arrayjoin([red, green], across=1).copy()
    pages.set_type(pyvips.GValue.gint_type, "page-height", 200)
    src = scan(tmp_path, "pages.tif", pages, compression="deflate")
    assert near(colour_at(published_full(tmp_path, src), 20, 20), [200, 30, 30])
    second = ScanSource(path=src.path, record=src.record, field=src.field, page=1)
    assert near(colour_at(published_full(tmp_path, second), 20, 20), [20, 180, 20])
    missing = ScanSource(path=src.path, record=src.record, field=src.field, page=5)
    with pytest.raises(ScanError) as err:
        check(missing)
    assert "page" in err.value.problem.what.en


def test_png_alpha_is_flattened_on_white(tmp_path):
    transparent = rgb().bandjoin(0)  # fully transparent
    full = published_full(tmp_path, scan(tmp_path, "alpha.png", transparent))
    assert_clean_srgb(full)
    assert near(colour_at(full, 50, 50), [255, 255, 255], tol=4)


def test_cmyk_and_icc_tagged_scans_become_srgb(tmp_path):
    cmyk = rgb().colourspace("cmyk")
    full = published_full(tmp_path, scan(tmp_path, "cmyk.tif", cmyk))
    assert_clean_srgb(full)
    red = colour_at(full, 50, 50)
    assert red[0] > 150 and red[2] < 100  # still red, not CMYK numbers read as RGB
    # A wide-gamut scan: its numbers only mean red through its embedded Display P3 profile.
    p3 = rgb().icc_transform("p3", input_profile="srgb")
    assert p3.get_typeof("icc-profile-data")
    src = scan(tmp_path, "p3.tif", p3)
    full = published_full(tmp_path, src)
    assert_clean_srgb(full)
    assert near(colour_at(full, 50, 50), [200, 30, 30], tol=20)
    assert not near(p3.getpoint(50, 50), [200, 30, 30], tol=8)  # the test means something


def test_grayscale(tmp_path):
    grey = rgb().colourspace("b-w")
    full = published_full(tmp_path, scan(tmp_path, "grey.png", grey))
    assert_clean_srgb(full)
    r, g, b = colour_at(full, 50, 50)
    assert abs(r - g) < 3 and abs(g - b) < 3


def test_exif_rotation_is_applied_and_exif_and_gps_dropped(tmp_path):
    image = rgb().copy()
    image.set_type(pyvips.GValue.gint_type, "orientation", 6)  # "rotate 90° clockwise to view"
    image.set_type(pyvips.GValue.gstr_type, "exif-ifd3-GPSLatitude", "35 41 0")
    src = scan(tmp_path, "phone.jpg", image, Q=90)
    assert pyvips.Image.new_from_file(str(src.path)).get("orientation") == 6
    assert check(src) == (400, 640)
    full = published_full(tmp_path, src)
    assert (full.width, full.height) == (375, 600)
    assert near(colour_at(full, 20, 20), [200, 30, 30]) and near(colour_at(full, 20, 580), [30, 30, 200])
    assert_clean_srgb(full)


def test_image_smaller_than_one_tile(tmp_path):
    src = scan(tmp_path, "tiny.png", rgb(120, 90))
    tiles = make_tiles(src, SETTINGS, tmp_path / "cache", "tiny")
    files = sorted(p.relative_to(tiles.folder).as_posix() for p in tiles.folder.rglob("*.jpg"))
    assert "full/max/0/default.jpg" in files
    assert all(f.startswith("full/") for f in files), files  # no tile regions beyond its size
    assert tiles.info("x")["tiles"][0]["scaleFactors"] == [1]


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height: decoding it would need gigabytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\0" + b"\0" * 3 * 16
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(row * 4)) + chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    data = rgb().jpegsave_buffer(Q=90)
    return data[: len(data) // 2]


BAD = [
    ("empty.jpg", b"", "empty (0 bytes)"),
    ("cut.jpg", truncated_jpeg(), "truncated"),
    ("lies.jpg", rgb().pngsave_buffer(), "really a PNG"),
    ("bomb.png", bomb_png(60000, 60000), "over the limit"),
    ("noise.tif", b"this is not an image at all" * 10, "cannot be read"),
    ("animated.jpg", rgb(64, 48).gifsave_buffer(), "GIF image"),
]


@pytest.mark.parametrize("name,data,says", BAD, ids=[b[0] for b in BAD])
def test_bad_scan_stops_the_build_with_a_clear_message(tmp_path, name, data, says):
    repo = mini_repo(tmp_path / "repo", {"good-item": [("ok.jpg", rgb())], "bad-item": [(name, data)]})
    before = tree_hashes(repo / "images")
    site = tmp_path / "site"
    with pytest.raises(ContentErrors) as err:
        build(repo, out=site, site_url="http://127.0.0.1:1/", today=dt.date(2026, 11, 20), progress=False)
    [problem] = err.value.problems
    assert problem.file == "archive/bad-item.yml"
    assert problem.field == "images[0].file"
    text = problem.format("en")
    assert says in text and f"images/bad-item/{name}" in text and "how to fix" in text
    assert "直し方" in problem.format("ja")
    assert not site.exists(), "a failed build must not publish"
    assert tree_hashes(repo / "images") == before
    assert not list((repo / ".cache" / "tiles").glob(".*")) if (repo / ".cache" / "tiles").exists() else True


def test_bad_scan_via_cli_exits_non_zero_without_traceback(tmp_path):
    import subprocess
    import sys
    repo = mini_repo(tmp_path / "repo", {"bad-item": [("cut.jpg", truncated_jpeg())]})
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--out", str(tmp_path / "site")], cwd=repo,
                         capture_output=True, text=True, env={"SITEGEN_LANG": "ja", "PATH": "/usr/bin:/bin",
                                                             "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert run.returncode != 0
    assert "Traceback" not in run.stderr + run.stdout
    assert "archive/bad-item.yml" in run.stderr + run.stdout and "images[0].file" in run.stderr + run.stdout
