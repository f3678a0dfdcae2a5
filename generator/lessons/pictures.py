"""Lesson pictures: which file a picture's address may name, and the copy that is published.

The address comes from the lesson's parsed Markdown (inline or reference-style, as
LessonStructure finds it), read as a browser reads it (safelinks.browser_address), then
percent-decoded. It must name a regular file inside the lesson's own folder
lessons/images/<slug>/, reached without a symbolic link, with a picture suffix. The file is
data, never published as it is: an SVG is reduced to a plain drawing (svgclean), a PNG,
JPEG or WebP is decoded and encoded again without EXIF, GPS or any other metadata, upright,
at most MAX_LONG_SIDE pixels on its long side. `sitegen check` and the build both call
prepare(), so the build publishes exactly what check accepted; the result is kept in
.cache/lesson-pictures/ by the file's bytes.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import unicodedata
import urllib.parse
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..cache import Family, write_atomic
from ..errors import Text
from . import svgclean
from .safelinks import browser_address, scheme_of

# Suffix -> the format its file must hold.
PICTURE_TYPES = {".svg": "SVG", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
MAX_LONG_SIDE = 1600  # px: more than a phone screen or an A4 handout needs
MAX_PIXELS = 50_000_000  # read from the header before any pixel is decoded
MAX_BYTES = {"SVG": 5_000_000, "raster": 80_000_000}
CACHE = "lesson-pictures"
_CODE = hashlib.sha256(Path(__file__).read_bytes() + Path(svgclean.__file__).read_bytes()).hexdigest()[:16]


@dataclass
class PictureError(Exception):
    what: Text
    fix: Text


def shown(text: str, limit: int = 80) -> str:
    """Text from a lesson as a message may print it: control and invisible formatting
    characters written as \\xNN (a terminal would act on them), at most `limit` characters."""
    out = "".join((f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
                  if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    return out if len(out) <= limit else out[:limit] + "…"


def _fix(slug: str) -> Text:
    return Text(f"絵を lessons/images/{slug}/ に入れ、![絵の説明](images/{slug}/名前.svg) と書いてください（SVG, PNG, JPEG, WebP）。",
                f"put the picture in lessons/images/{slug}/ and write ![what it shows](images/{slug}/name.svg) "
                "(SVG, PNG, JPEG or WebP).")


def picture_path(src: str, slug: str) -> str:
    """'images/<slug>/…' (relative to lessons/) for a picture address as Markdown's tree holds
    it; raises PictureError for anything but a path inside the lesson's own folder."""
    address = browser_address(src)
    name = shown(address)
    fix = _fix(slug)
    if not address:
        raise PictureError(Text("絵のファイル名がありません。", "the picture has no file name."), fix)
    if scheme_of(address) is not None or address.startswith(("//", "\\\\")):
        raise PictureError(Text(f"絵 {name} はウェブや別の場所のアドレスです。レッスンの絵はこのサイトの中のファイルだけです。",
                                f"the picture {name} is a web or other address; a lesson shows only picture files of its own."), fix)
    if address.startswith(("/", "\\")):
        raise PictureError(Text(f"絵 {name} は / で始まっています（パソコンの中の場所は使えません）。",
                                f"the picture {name} starts with '/' (a place on the computer cannot be used)."), fix)
    if "?" in address or "#" in address:
        raise PictureError(Text(f"絵 {name} に ? や # がついています。", f"the picture {name} has a '?' or '#' after its name."),
                           Text(f"? や # から後ろを消し、images/{slug}/名前.svg の形にしてください。",
                                f"remove everything from the '?' or '#' on: write images/{slug}/name.svg."))
    try:
        path = urllib.parse.unquote(address, errors="strict")
    except UnicodeDecodeError:
        raise PictureError(Text(f"絵 {name} の % の書き方が読めません。", f"the picture {name} has a '%' code that cannot be read."),
                           fix) from None
    if re.search(r"[\\%?#:]", path) or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in path):
        raise PictureError(Text(f"絵 {name} のファイル名に使えない文字（\\ % ? # : や制御文字）があります。",
                                f"the picture {name} has a character file names here cannot use (\\ % ? # : or a control character)."),
                           Text("ファイル名を、英数字と - _ . だけにしてください。", "name the file with letters, digits, '-', '_' and '.' only."))
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise PictureError(Text(f"絵 {name} に .. や // があります（ほかのフォルダーは指せません）。",
                                f"the picture {name} has '..' or '//' in it (it may not point to another folder)."), fix)
    if len(parts) < 3 or parts[0] != "images" or parts[1] != slug:
        raise PictureError(Text(f"絵 {name} が、このレッスンのフォルダー lessons/images/{slug}/ の中にありません。",
                                f"the picture {name} is not in this lesson's folder lessons/images/{slug}/."), fix)
    if Path(parts[-1]).suffix.lower() not in PICTURE_TYPES:
        raise PictureError(Text(f"絵 {name} は絵のファイル（.svg .png .jpg .jpeg .webp）ではありません。",
                                f"the picture {name} is not a picture file (.svg .png .jpg .jpeg .webp)."), fix)
    return "/".join(parts)


def read_picture(root: Path, rel: str, slug: str) -> bytes:
    """The bytes of lessons/<rel>, which must be a regular file reached without any symbolic
    link (from root on) and not too large."""
    where = shown(f"lessons/{rel}")
    current = root
    names = ["lessons", *rel.split("/")]
    for i, name in enumerate(names):
        current = current / name
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            raise PictureError(Text(f"絵のファイル {where} がありません。", f"the picture {where} does not exist."),
                               _fix(slug)) from None
        except OSError as exc:
            raise PictureError(Text(f"絵のファイル {where} を読めません（{exc.strerror}）。", f"the picture {where} cannot be read ({exc.strerror})."),
                               Text("ファイルの読み取り権限を確かめてください。", "check that the file can be read.")) from None
        if stat.S_ISLNK(st.st_mode):
            raise PictureError(Text(f"絵 {where} の途中の {current.relative_to(root).as_posix()} はシンボリックリンクです。",
                                    f"{current.relative_to(root).as_posix()} on the way to the picture {where} is a symbolic link."),
                               Text(f"リンクではなく、絵のファイルそのものを lessons/images/{slug}/ に入れてください。",
                                    f"put the picture file itself (not a link) in lessons/images/{slug}/."))
        last = i == len(names) - 1
        if (last and not stat.S_ISREG(st.st_mode)) or (not last and not stat.S_ISDIR(st.st_mode)):
            raise PictureError(Text(f"絵 {where} はふつうのファイルではありません。", f"the picture {where} is not a regular file."),
                               _fix(slug))
    limit = MAX_BYTES["SVG" if rel.lower().endswith(".svg") else "raster"]
    if st.st_size > limit:
        raise PictureError(Text(f"絵 {where} が大きすぎます（{st.st_size // 1_000_000} MB）。",
                                f"the picture {where} is too large ({st.st_size // 1_000_000} MB)."),
                           Text(f"{limit // 1_000_000} MB より小さくして保存し直してください。",
                                f"save it again smaller than {limit // 1_000_000} MB."))
    fd = os.open(current, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since it was looked at
            raise PictureError(Text(f"絵 {where} はふつうのファイルではありません。", f"the picture {where} is not a regular file."),
                               _fix(slug))
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(limit + 1)[:limit]
    finally:
        os.close(fd)


@dataclass
class Prepared:
    data: bytes  # what is published
    cache_name: str  # its file in .cache/lesson-pictures/ (kept while a lesson uses it)


def prepare(root: Path, rel: str, slug: str, cache: Path | None = None) -> Prepared:
    """The published copy of the picture lessons/<rel> (a path picture_path returned);
    raises PictureError when the file may not be published."""
    data = read_picture(root, rel, slug)
    kind = PICTURE_TYPES[Path(rel).suffix.lower()]
    name = f"{hashlib.sha256(data).hexdigest()}-{_CODE}-{kind.lower()}"
    entry = cache / CACHE / name if cache is not None else None
    if entry is not None:
        try:
            return Prepared(entry.read_bytes(), name)
        except OSError:
            pass
    out = _svg(data, rel) if kind == "SVG" else _raster(data, kind, rel)
    if entry is not None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(entry, out)
        except OSError:
            pass  # made again next time
    return Prepared(out, name)


def prune_cache(cache: Path, used: set[str]) -> None:
    """Remove processed pictures no lesson uses any more (used: their cache names)."""
    Family(cache, CACHE).prune(used)


def _svg(data: bytes, rel: str) -> bytes:
    try:
        return svgclean.sanitise(data)
    except svgclean.SvgRefused as exc:
        listed = exc.findings[:3]
        more_ja = f" ほか {len(exc.findings) - 3} 件" if len(exc.findings) > 3 else ""
        more_en = f" and {len(exc.findings) - 3} more" if len(exc.findings) > 3 else ""
        at = lambda f, word: f" ({word} {f.line})" if f.line else ""  # noqa: E731
        raise PictureError(
            Text(f"SVG の絵 lessons/{rel} に使えないものがあります: " + "; ".join(shown(f.ja, 200) + at(f, "行") for f in listed) + more_ja + "。",
                 f"the SVG picture lessons/{rel} holds what a picture may not: " + "; ".join(shown(f.en, 200) + at(f, "line") for f in listed)
                 + more_en + "."),
            Text("図形と文字だけの絵にして保存し直してください（スクリプト、外のファイルやウェブへの参照、<foreignObject>、"
                 "<image>、<!DOCTYPE> は使えません。お絵かきソフトなら「プレーン SVG」で保存）。",
                 "save it again as a plain drawing of shapes and text (no script, no reference to other files or the web, "
                 "no <foreignObject>, <image> or <!DOCTYPE>; in a drawing program, save as 'Plain SVG').")) from None


def _raster(data: bytes, kind: str, rel: str) -> bytes:
    # Imported here for start-up time: a build whose pictures are all in the cache never loads Pillow.
    from PIL import Image, ImageOps

    where = shown(f"lessons/{rel}")
    damaged = PictureError(Text(f"絵 {where} が壊れているか、途中までしかありません。", f"the picture {where} is damaged or incomplete."),
                           Text("元の写真や画面のコピーから、もう一度保存してください。", "save it again from the original photo or screenshot."))
    try:
        with warnings.catch_warnings():
            # Pillow's own limit stays as it is; its warning below that limit is an error here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many(where, None) from None
    except Exception:  # Pillow raises many kinds for what is not a picture it can read
        raise damaged from None
    if im.format != kind:
        suffix = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}.get(im.format or "")
        raise PictureError(Text(f"絵 {where} の中身は {im.format or '不明な形式'} で、名前の最後（{Path(rel).suffix}）と合いません。",
                                f"the picture {where} holds {im.format or 'an unknown format'}, not what its suffix ({Path(rel).suffix}) says."),
                           Text(f"名前の最後を {suffix} に変えてください。" if suffix else "PNG か JPEG で保存し直してください。",
                                f"rename it to end in {suffix}." if suffix else "save it again as PNG or JPEG."))
    width, height = im.size
    if width * height > MAX_PIXELS:
        raise _too_many(where, (width, height))
    if getattr(im, "n_frames", 1) > 1:
        raise PictureError(Text(f"絵 {where} は動く絵（アニメーション）です。", f"the picture {where} is animated."),
                           Text("動かない絵（1枚）で保存し直してください。", "save it again as a still picture (one frame)."))
    try:
        if kind == "JPEG" and max(width, height) > MAX_LONG_SIDE:  # decode at a reduced scale: far quicker
            s = MAX_LONG_SIDE / max(width, height)
            im.draft(None, (int(width * s) + 1, int(height * s) + 1))
        im.load()
        im = _srgb(ImageOps.exif_transpose(im))
        if im.mode in ("I", "I;16", "I;16B", "I;16L", "F"):  # 16-bit grey
            im = im.point(lambda v: v / 256).convert("L")
        grey = im.mode in ("1", "L", "LA")
        alpha = kind != "JPEG" and (im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info)
        im = im.convert(("LA" if grey else "RGBA") if alpha else ("L" if grey else "RGB"))
        if max(im.size) > MAX_LONG_SIDE:
            s = MAX_LONG_SIDE / max(im.size)
            im = im.resize((max(1, round(im.width * s)), max(1, round(im.height * s))), Image.Resampling.LANCZOS)
        # A new image from the pixels alone: nothing of the file's metadata can follow it.
        clean = Image.frombytes(im.mode, im.size, im.tobytes())
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise damaged from None
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif kind == "PNG":
        clean.save(out, "PNG", optimize=False, compress_level=9)
    else:
        clean.save(out, "WEBP", quality=85, method=4)
    return out.getvalue()


def _srgb(im):
    """Colours as a screen shows them: a picture with its own colour profile converted to sRGB."""
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "RGBA", "CMYK"):
        try:
            # Imported here for start-up time: loading littleCMS is slow, and few pictures carry a profile.
            from PIL import ImageCms

            return ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("sRGB"),
                                             outputMode="RGBA" if im.mode == "RGBA" else "RGB")
        except Exception:  # a broken profile: the pixels as they are
            pass
    return im.convert("RGB") if im.mode == "CMYK" else im


def _too_many(where: str, size: tuple[int, int] | None) -> PictureError:
    dims = f"{size[0]:,} × {size[1]:,} px" if size else ""
    return PictureError(Text(f"絵 {where} の画素が多すぎます（{dims or '上限をこえています'}）。",
                             f"the picture {where} has too many pixels ({dims or 'over the limit'})."),
                        Text(f"長い辺を {MAX_LONG_SIDE} px くらいに小さくして保存し直してください"
                             f"（上限は {MAX_PIXELS // 1_000_000} メガピクセル）。",
                             f"save it again with its long side about {MAX_LONG_SIDE} px "
                             f"(at most {MAX_PIXELS // 1_000_000} megapixels)."))
