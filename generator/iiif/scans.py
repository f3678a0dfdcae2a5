"""Open a librarian's scan and turn it into plain 8-bit sRGB pixels, or say clearly why not.

Scanners produce JPEG (baseline, progressive), TIFF (8/16 bit, LZW/deflate, several pages),
PNG (sometimes with alpha), CMYK and ICC-tagged files, grayscale, and phone photos that
are only upright because of an EXIF tag. Everything published is sRGB JPEG without EXIF
or GPS. Nothing here writes to the source file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyvips

from ..errors import Problem, Text

# Decompression-bomb guard: a scan claiming more pixels than this is refused from its header,
# before any pixel is decoded. 500 megapixels is well above a 20,000 x 15,000 px map sheet
# (300 MP, the largest the ward scans) and keeps a tiling worker's memory bounded.
MAX_PIXELS = 500_000_000

# Which loader may read which extension: a .jpg that is really a PNG is a mislabelled file.
LOADERS = {
    ".jpg": "jpegload", ".jpeg": "jpegload",
    ".tif": "tiffload", ".tiff": "tiffload",
    ".png": "pngload",
}
LOADER_NAMES = {"jpegload": "JPEG", "tiffload": "TIFF", "pngload": "PNG"}


@dataclass(frozen=True)
class ScanSource:
    """One scan to publish: where it is and which record line asked for it (for messages)."""

    path: Path
    record: str  # archive/<id>.yml
    field: str  # images[i].file
    page: int = 0
    line: int | None = None

    @property
    def shown(self) -> str:
        return f"images/{self.path.parent.name}/{self.path.name}"


class ScanError(Exception):
    """A scan that cannot be published; carries the bilingual Problem for ContentErrors."""

    def __init__(self, problem: Problem):
        super().__init__(problem.what.en)
        self.problem = problem


def problem(src: ScanSource, what: Text, fix: Text) -> ScanError:
    return ScanError(Problem(src.record, what, fix, field=src.field, line=src.line))


def _loader_of(path: Path) -> str | None:
    name = pyvips.vips_lib.vips_foreign_find_load(str(path).encode())
    if name == pyvips.ffi.NULL:
        return None
    # "VipsForeignLoadJpegFile" -> "jpegload"
    nick = pyvips.ffi.string(name).decode()
    for loader in LOADER_NAMES:
        if loader.replace("load", "").lower() in nick.lower():
            return loader
    return nick


def check(src: ScanSource, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """Read the header only; return (width, height) of the page to publish or raise ScanError."""
    path = src.path
    size = path.stat().st_size
    if size == 0:
        raise problem(src, Text(f"{src.shown} は空のファイル（0 バイト）です。", f"{src.shown} is empty (0 bytes)."),
                      Text("スキャンをもう一度保存し直して、置き換えてください。", "save the scan again and replace the file."))
    loader = _loader_of(path)
    expected = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise problem(src, Text(f"{src.shown} は画像として読めません（壊れているか、画像ではありません）。",
                                f"{src.shown} cannot be read as an image (it is damaged or not an image)."),
                      Text("スキャンを JPEG・TIFF・PNG で保存し直してください。", "save the scan again as JPEG, TIFF or PNG."))
    if loader not in LOADER_NAMES:
        kind = loader.replace("VipsForeignLoad", "").replace("File", "").replace("Ns", "").upper()
        raise problem(src, Text(f"{src.shown} は {kind} 形式の画像で、使えません。",
                                f"{src.shown} is a {kind} image, which the archive does not take."),
                      Text("JPEG・TIFF・PNG のどれかで保存し直してください。", "save it again as JPEG, TIFF or PNG."))
    if loader != expected:
        actual = LOADER_NAMES[loader]
        ext = {"jpegload": ".jpg", "tiffload": ".tif", "pngload": ".png"}.get(loader, "")
        raise problem(src, Text(f"{src.shown} は名前は {path.suffix} ですが、中身は {actual} です。",
                                f"{src.shown} is named {path.suffix} but is really a {actual} file."),
                      Text(f"ファイル名の拡張子を {ext} に直し、記録の file: も同じに直してください。",
                           f"rename it to end in {ext} and change file: in the record to match."))
    try:
        image = _load(src, sequential=True)
        width, height = image.width, image.height
        if src.page and loader == "tiffload":
            pages = image.get("n-pages") if image.get_typeof("n-pages") else 1
            if src.page >= pages:
                raise problem(src, Text(f"{src.shown} には {pages} ページしかありません（page: {src.page} は範囲外）。",
                                        f"{src.shown} has only {pages} page(s); page: {src.page} does not exist."),
                              Text(f"page: は 0 から {pages - 1} までにしてください。", f"use a page from 0 to {pages - 1}."))
    except pyvips.Error as exc:
        if src.page and "page" in str(exc).lower():
            raise problem(src, Text(f"{src.shown} に page: {src.page} はありません。", f"{src.shown} has no page {src.page}."),
                          Text("page: の番号を確かめてください（最初のページは 0）。", "check page: (the first page is 0).")) from exc
        raise unreadable(src, exc) from exc
    if width * height > max_pixels:
        raise problem(src, Text(f"{src.shown} は {width}×{height} 画素で、上限の {max_pixels // 1_000_000} メガ画素を超えています。",
                                f"{src.shown} is {width}×{height} pixels, over the limit of {max_pixels // 1_000_000} megapixels."),
                      Text("解像度を下げて保存し直すか、複数の画像に分けてください。",
                           "save it at a lower resolution, or split it into several scans."))
    if src.page and loader != "tiffload":
        raise problem(src, Text(f"{src.shown} は1ページだけの画像なので page: は使えません。",
                                f"{src.shown} has one page only; page: applies to multi-page TIFF scans."),
                      Text("page: の行を消してください。", "remove the page: line."))
    return _oriented(image)


def unreadable(src: ScanSource, exc: Exception) -> ScanError:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return problem(src, Text(f"{src.shown} を最後まで読めませんでした（途中で切れているか壊れています: {detail}）。",
                             f"{src.shown} could not be read to the end (it is truncated or damaged: {detail})."),
                   Text("元のスキャンからもう一度書き出して、ファイルを置き換えてください。",
                        "export the scan again from the original and replace the file."))


def _oriented(image: pyvips.Image) -> tuple[int, int]:
    # EXIF orientations 5-8 swap width and height once the rotation is applied.
    orientation = image.get("orientation") if image.get_typeof("orientation") else 1
    return (image.height, image.width) if orientation in (5, 6, 7, 8) else (image.width, image.height)


def _load(src: ScanSource, sequential: bool) -> pyvips.Image:
    options = {"access": "sequential" if sequential else "random", "fail_on": "truncated"}
    if src.path.suffix.lower() in (".tif", ".tiff"):
        options["page"] = src.page
    return pyvips.Image.new_from_file(str(src.path), **options)


def normalise(image: pyvips.Image) -> pyvips.Image:
    """Upright, 8-bit sRGB, no alpha (flattened on white paper), no metadata to leak."""
    image = image.autorot()
    if image.get_typeof("icc-profile-data"):
        # Trust the scanner's profile (CMYK or a wide-gamut RGB) and convert to sRGB.
        image = image.icc_transform("srgb", embedded=True, intent="relative")
    elif image.interpretation == "cmyk":
        image = image.icc_transform("srgb", input_profile="cmyk", intent="relative")
    if image.hasalpha():
        white = 65535 if image.format == "ushort" else 255
        image = image.flatten(background=[white] * (image.bands - 1))
    if image.interpretation not in ("srgb",) or image.format != "uchar":
        image = image.colourspace("srgb")
    if image.format != "uchar":
        image = image.cast("uchar")
    if image.bands > 3:
        image = image.extract_band(0, n=3)
    return image.copy(interpretation="srgb")


def open_scan(src: ScanSource, sequential: bool = True) -> pyvips.Image:
    """The normalised pixels of the scan (lazy: decoding happens as pixels are pulled)."""
    return normalise(_load(src, sequential))
