"""Hostile lessons: a picture or link that an instructor writes, carelessly or on purpose,
can neither reach a file outside the lesson's own picture folder, nor publish script,
outside references or a photo's location, nor turn a link into script.

`sitegen check` refuses each unsafe picture with the lesson file, the field, the line and
how to fix it; a build with them leaves the published site as it was and writes nothing
outside its output. What is accepted is published cleaned: SVG drawings without editor
leftovers, photos without EXIF/GPS and no larger than a phone needs, links without script.
"""
from __future__ import annotations

import hashlib
import os
import html.parser
import io
import re
from pathlib import Path

import pytest

from test_content_errors import sitegen, tree_digest

FIXTURES = Path(__file__).parent / "hostile" / "lessons"
TODAY = "2026-11-20"
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def front(title: str = "検査") -> str:
    return (f"---\ntitle: {title}\nreading: けんさ\nphone: both\nlevel: はじめて\nduration: 10\ntopic: 検査\n"
            "objectives: [検査]\n---\n\n## 手順\n\n")


def png_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height (its pixels are never there)."""
    from test_hostile import _png_header

    return _png_header(width, height)


def jpeg_bytes(size: tuple[int, int] = (640, 480)) -> bytes:
    from PIL import Image

    im = Image.new("RGB", size, (30, 120, 200))
    for x in range(0, size[0], 16):  # some detail, so the file is not all one colour
        im.paste((255, 255, 255), (x, 0, x + 4, size[1]))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90)
    return out.getvalue()


OK_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'


# --- refused pictures -------------------------------------------------------------------------
# case -> (Markdown after the step text, files under lessons/images/<slug>/ (name -> bytes, or
# "->target" for a symbolic link), the field, text on the line the message must name, words)
def _refused_cases() -> dict[str, tuple[str, dict[str, object], str, str, str]]:
    svg = {p.stem: p.read_bytes() for p in (FIXTURES / "refused").glob("*.svg")}
    cases: dict[str, tuple[str, dict[str, object], str, str, str]] = {
        # where the picture is
        "ref-outside": ("![設定画面][shot]\n\n[shot]: ../../../../etc/passwd\n", {}, "src", "[shot]:", "'..'"),
        "ref-outside-title": ("![設定画面][shot]\n\n[shot]: ../../mkdocs.yml 'title'\n", {}, "src", "[shot]:", "'..'"),
        "dotdot": ("![設定画面](images/hx-dotdot/../../../mkdocs.yml)\n", {}, "src", "![設定画面]", "'..'"),
        "dotdot-picture-suffix": ("![設定画面](images/hx-dotdot-picture-suffix/../camera-de-shashin/hold.svg)\n", {},
                                  "src", "![設定画面]", "'..'"),
        "absolute": ("![設定画面](/etc/hostname)\n", {}, "src", "![設定画面]", "starts with '/'"),
        "absolute-svg": ("![設定画面](/tmp/x.svg)\n", {}, "src", "![設定画面]", "starts with '/'"),
        "file-url": ("![設定画面](file:///etc/hostname)\n", {}, "src", "![設定画面]", "web or other address"),
        "web-url": ("![設定画面](https://tracker.example/pixel.png)\n", {}, "src", "![設定画面]", "web or other address"),
        "javascript-src": ("![設定画面](javascript:alert(1))\n", {}, "src", "![設定画面]", "web or other address"),
        "data-src": ("![設定画面](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)\n", {}, "src", "![設定画面]",
                     "web or other address"),
        "symlink-file": ("![設定画面](images/hx-symlink-file/host.svg)\n", {"host.svg": "->/etc/hostname"}, "src",
                         "![設定画面]", "symbolic link"),
        "symlink-folder": ("![設定画面](images/hx-symlink-folder/other/hold.svg)\n",
                           {"other": "->../camera-de-shashin"}, "src", "![設定画面]", "symbolic link"),
        "other-lesson": ("![設定画面](images/camera-de-shashin/hold.svg)\n", {}, "src", "![設定画面]",
                         "not in this lesson's folder"),
        "not-in-images": ("![設定画面](glossary.yml)\n", {}, "src", "![設定画面]", "not in this lesson's folder"),
        "not-a-picture-suffix": ("![設定画面](images/hx-not-a-picture-suffix/notes.txt)\n", {"notes.txt": b"secret"},
                                 "src", "![設定画面]", "not a picture file"),
        "percent-dotdot": ("![設定画面](images/hx-percent-dotdot/%2e%2e/camera-de-shashin/hold.svg)\n", {}, "src",
                           "![設定画面]", "'..'"),
        "percent-slash": ("![設定画面](images/hx-percent-slash/..%2F..%2Fcamera-de-shashin%2Fhold.svg)\n", {}, "src",
                          "![設定画面]", "'..'"),
        "double-percent": ("![設定画面](images/hx-double-percent/%252e%252e/a.svg)\n", {}, "src", "![設定画面]",
                           "cannot use"),
        "entity-dotdot": ("![設定画面](images/hx-entity-dotdot/&#46;&#46;/camera-de-shashin/hold.svg)\n", {}, "src",
                          "![設定画面]", "'..'"),
        "angle-brackets": ("![設定画面](<../../mkdocs.yml>)\n", {}, "src", "![設定画面]", "'..'"),
        "query": ("![設定画面](images/hx-query/a.svg?v=../../x)\n", {"a.svg": OK_SVG}, "src", "![設定画面]", "'?' or '#'"),
        "fragment": ("![設定画面](images/hx-fragment/a.svg#../../x)\n", {"a.svg": OK_SVG}, "src", "![設定画面]",
                     "'?' or '#'"),
        "backslash": ("![設定画面](images/hx-backslash/..\\..\\camera-de-shashin\\hold.svg)\n", {}, "src", "![設定画面]",
                      "cannot use"),
        "single-quoted-title": ("![設定画面](../../../etc/passwd 'a title')\n", {}, "src", "![設定画面]", "'..'"),
        "parenthesised-title": ("![設定画面](images/hx-parenthesised-title/a.svg (a title))\n", {"a.svg": OK_SVG},
                                "src", "![設定画面]", "not a picture file"),
        "brackets-in-alt": ("![設定 [1] の画面](../../../etc/passwd)\n", {}, "src", "![設定 [1]", "'..'"),
        # (control characters never reach a lesson's text: loading removes them)
        "terminal-escape": ("![設定画面](images/hx-terminal-escape/\x1b[2J\x1b[31mok.svg)\n", {}, "src", "![設定画面]",
                            "does not exist"),
        "right-to-left": ("![設定画面](images/hx-right-to-left/\u202egvs.txt)\n", {}, "src", "![設定画面]", "cannot use"),
        "missing": ("![設定画面](images/hx-missing/nai.svg)\n", {}, "src", "![設定画面]", "does not exist"),
        "no-alt": ("![](images/hx-no-alt/a.svg)\n", {"a.svg": OK_SVG}, "alt", "![](", "no alt text"),
        "no-alt-reference": ("![][shot]\n\n[shot]: images/hx-no-alt-reference/a.svg\n", {"a.svg": OK_SVG}, "alt",
                             "![][shot]", "no alt text"),
        # what the picture holds
        "raster-bomb": ("![設定画面](images/hx-raster-bomb/a.png)\n", {"a.png": png_header(100_000, 100_000)}, "src",
                        "![設定画面]", "too many pixels"),
        "raster-too-many-pixels": ("![設定画面](images/hx-raster-too-many-pixels/a.png)\n",
                                   {"a.png": png_header(9_000, 6_000)}, "src", "![設定画面]", "too many pixels"),
        "raster-truncated": ("![設定画面](images/hx-raster-truncated/a.jpg)\n", {"a.jpg": jpeg_bytes()[:3000]}, "src",
                             "![設定画面]", "damaged or incomplete"),
        "raster-mislabelled": ("![設定画面](images/hx-raster-mislabelled/a.jpg)\n", {"a.jpg": png_bytes()}, "src",
                               "![設定画面]", "holds PNG"),
        "raster-html": ("![設定画面](images/hx-raster-html/a.png)\n",
                        {"a.png": b"<html><script>alert(1)</script></html>"}, "src", "![設定画面]", "damaged"),
    }
    words = {"script": "<script>", "onload": "onload=", "foreignobject": "<foreignObject>",
             "xlink-http": "points outside the file", "billion-laughs": "<!DOCTYPE> or <!ENTITY>",
             "external-entity": "<!DOCTYPE> or <!ENTITY>", "external-use": "points outside the file",
             "style-import": "points outside the file", "style-escaped-url": "CSS escape",
             "image-element": "<image>", "xml-stylesheet": "xml-stylesheet", "not-svg": "outermost element"}
    for name, data in svg.items():
        cases[f"svg-{name}"] = (f"![設定画面](images/hx-svg-{name}/a.svg)\n", {"a.svg": data}, "src", "![設定画面]",
                                words[name])
    return cases


REFUSED = _refused_cases()


def lay_refused(root: Path) -> None:
    for case, (markdown, files, _, _, _) in REFUSED.items():
        slug = f"hx-{case}"
        folder = root / "lessons" / "images" / slug
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            if isinstance(data, str) and data.startswith("->"):
                (folder / name).symlink_to(data[2:])
            else:
                (folder / name).write_bytes(data)
        (root / "lessons" / f"{slug}.md").write_text(front() + "1. 押します。\n   " + markdown, encoding="utf-8")


def expected_line(case: str) -> int:
    markdown, _, _, marker, _ = REFUSED[case]
    lines = (front() + "1. 押します。\n   " + markdown).split("\n")
    return next(i for i, text in enumerate(lines, 1) if marker in text)


# --- accepted, published clean -------------------------------------------------------------------
def photo_with_gps() -> bytes:
    """A phone photo: EXIF with GPS position, camera and rotation (stored sideways), a comment."""
    from PIL import ExifTags, Image

    im = Image.new("RGB", (800, 600), (250, 200, 0))
    im.paste((0, 0, 0), (0, 0, 400, 100))  # a mark at the stored top-left
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Model] = "Spy 3000"
    exif[ExifTags.Base.Orientation] = 6  # shown rotated 90° clockwise
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (35.0, 41.0, 37.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (139.0, 45.0, 3.0)
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif, comment=b"home address: secret", quality=90)
    return out.getvalue()


def large_screenshot() -> bytes:
    from PIL import Image, PngImagePlugin

    im = Image.new("RGB", (4000, 3000), (255, 255, 255))
    im.paste((229, 57, 53), (1800, 1300, 2200, 1700))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret-author")
    out = io.BytesIO()
    im.save(out, "PNG", pnginfo=info)
    return out.getvalue()


# Every way a script address has been written to slip past a filter; each appears inline and
# as a reference-style link.
DISGUISES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "jav&#x61;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A&#x61vascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "javascript&#x3A;alert(1)",
    "java&Tab;script:alert(1)",
    "javascript&NewLine;:alert(1)",
    "<java\tscript:alert(1)>",
    "<java\nscript:alert(1)>",
    "\x01javascript:alert(1)",
    "&#x01;javascript:alert(1)",
    "java%0ascript:alert(1)",
    "%6Aavascript:alert(1)",
    "java\\script:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "//evil.example/",
]
KEPT_LINKS = ["https://www.city.chiyoda.lg.jp/", "mailto:smartphone@example.jp", "tel:03-0000-0000", "../dengen-to-botan/"]


def accepted_lesson() -> str:
    lines = [front("受け入れ"),
             "1. 写真の絵です。\n   ![黄色い写真](images/hx-accepted/photo.jpg)\n",
             "2. 大きな画面の絵です。\n   ![赤い四角](images/hx-accepted/screenshot.png)\n",
             "3. お絵かきソフトの絵です。\n   ![赤い丸と「タップ」](images/hx-accepted/editor-leftovers.svg)\n",
             "4. 名前に空白のある絵です。\n   ![四角](<images/hx-accepted/with space.svg>)\n",
             "5. 同じ絵です。\n   ![四角][space]\n",
             "\n## 困ったときは\n"]
    for i, address in enumerate(DISGUISES):
        lines.append(f"- [悪いリンク{i}]({address}) と [悪い参照{i}][bad{i}]\n")
    for i, address in enumerate(KEPT_LINKS):
        lines.append(f"- [よいリンク{i}]({address})\n")
    lines.append("- <someone@example.jp>\n\n")
    for i, address in enumerate(DISGUISES):
        lines.append(f"[bad{i}]: {address}\n")
    lines.append("[space]: images/hx-accepted/with%20space.svg\n")
    return "".join(lines)


def lay_accepted(root: Path) -> None:
    folder = root / "lessons" / "images" / "hx-accepted"
    folder.mkdir(parents=True)
    (folder / "photo.jpg").write_bytes(photo_with_gps())
    (folder / "screenshot.png").write_bytes(large_screenshot())
    (folder / "editor-leftovers.svg").write_bytes((FIXTURES / "accepted" / "editor-leftovers.svg").read_bytes())
    (folder / "with space.svg").write_bytes(OK_SVG)
    (root / "lessons" / "hx-accepted.md").write_text(accepted_lesson(), encoding="utf-8")


def outside_digest(top: Path, repo: Path) -> dict[str, str]:
    """Every file under top except the repo's output and cache (which a build may write)."""
    skip = {str(repo / "site"), str(repo / ".cache")}  # not walked: the cache's trash is deleted meanwhile
    found = {}
    for folder, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
        for name in names:
            p = Path(folder, name)
            if p.is_file() and not p.is_symlink():
                found[p.relative_to(top).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return dict(sorted(found.items()))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A repo with the accepted hostile lesson, built once."""
    from conftest import copy_repo

    top = tmp_path_factory.mktemp("hostile-lessons")
    root = copy_repo(top / "repo")
    lay_accepted(root)
    result = sitegen(root, "build", "--quiet", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return top, root


@pytest.fixture(scope="module")
def refused(built):
    """The same repo with every refused case laid in: one check, then one build."""
    top, root = built
    before_site = tree_digest(root / "site")
    lay_refused(root)
    before_outside = outside_digest(top, root)
    check = sitegen(root, "check")
    build = sitegen(root, "build", "--quiet", "--today", TODAY)
    return check, build, before_site, before_outside, top, root


# --- tests: refused ------------------------------------------------------------------------------
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_check_refuses_the_picture_naming_file_field_line_and_fix(refused, case):
    check = refused[0]
    _, _, field, _, words = REFUSED[case]
    assert check.returncode == 1
    assert "Traceback" not in check.stderr
    where = f"lessons/hx-{case}.md:{expected_line(case)}: error [field '{field}']"
    lines = check.stderr.splitlines()
    heads = [i for i, text in enumerate(lines) if text.startswith(where)]
    assert heads, f"no message at {where}:\n" + "\n".join(t for t in lines if f"hx-{case}.md" in t)
    message = lines[heads[0]] + "\n" + lines[heads[0] + 1]
    assert words in message, message
    assert lines[heads[0] + 1].strip().startswith("how to fix:"), message


def test_messages_are_in_japanese_too(refused):
    root = refused[5]
    result = sitegen(root, "check", lang="ja")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"lessons/hx-dotdot.md:{expected_line('dotdot')}: エラー [項目 'src']" in result.stderr
    assert "直し方: 絵を lessons/images/hx-dotdot/ に入れ" in result.stderr


def test_a_build_with_refused_pictures_stops_and_changes_nothing(refused):
    _, build, before_site, before_outside, top, root = refused
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    assert "lessons/hx-ref-outside.md" in build.stderr and "how to fix:" in build.stderr
    assert tree_digest(root / "site") == before_site
    assert outside_digest(top, root) == before_outside  # nothing written outside the output
    assert not list(root.glob(".site.build*"))
    published = root / "site" / "lessons" / "images"
    assert not any(p.name.startswith("hx-") and p.name != "hx-accepted" for p in published.iterdir())


def test_the_build_step_publishes_only_checked_paths_even_without_check(tmp_path):
    """render/lessons.py checks each picture again (a file may change after check ran): an
    unsafe one stops the build, and a good one is written only in the lesson's folder."""
    import types

    from generator.errors import ContentErrors
    from generator.models.lessons import Lesson, LessonMeta
    from generator.render.lessons import _publish_pictures

    root = tmp_path / "repo"
    (root / "lessons" / "images" / "mihon").mkdir(parents=True)
    (root / "lessons" / "images" / "mihon" / "a.svg").write_bytes(OK_SVG)
    (root / "lessons" / "images" / "mihon" / "host.svg").symlink_to("/etc/hostname")
    (root / "secret.svg").write_bytes(OK_SVG)
    ctx = types.SimpleNamespace(root=root, static=tmp_path / "work" / "static", cache=tmp_path / "cache")
    ctx.static.mkdir(parents=True)
    meta = LessonMeta(title="見本", reading="みほん", phone="both", level="はじめて", duration=10, topic="見本",
                      objectives=["見本"])
    lesson = Lesson(slug="mihon", meta=meta, body="", body_line=1, source="lessons/mihon.md")
    for src in ("../secret.svg", "images/mihon/../../../secret.svg", "images/mihon/%2e%2e/%2e%2e/../secret.svg",
                "/etc/hostname", "images/mihon/host.svg", "images/other/a.svg", "file:///etc/hostname"):
        with pytest.raises(ContentErrors) as exc:
            _publish_pictures(ctx, lesson, [src])
        assert exc.value.problems[0].file == "lessons/mihon.md" and exc.value.problems[0].field == "src"
    _publish_pictures(ctx, lesson, ["images/mihon/a.svg"])
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()
                     and not p.is_relative_to(root) and not p.is_relative_to(ctx.cache))
    assert written == ["work/static/lessons/images/mihon/a.svg"]


def test_no_message_prints_a_control_character(refused):
    check = refused[0]
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", check.stderr)
    assert "\\u202egvs.txt" in check.stderr  # shown, not acted on


# --- tests: accepted and cleaned -------------------------------------------------------------------
def published(root: Path, name: str) -> bytes:
    return (root / "site" / "lessons" / "images" / "hx-accepted" / name).read_bytes()


def test_a_photo_is_published_upright_without_exif_gps_or_comment(built):
    from PIL import Image

    _, root = built
    data = published(root, "photo.jpg")
    for secret in (b"Exif", b"SecretCam", b"Spy 3000", b"home address", b"GPS"):
        assert secret not in data
    im = Image.open(io.BytesIO(data))
    assert im.format == "JPEG" and not im.getexif() and "comment" not in im.info and "exif" not in im.info
    assert im.size == (600, 800)  # the EXIF rotation is applied before the tag is dropped
    assert im.convert("L").getpixel((590, 10)) < 60  # the stored top-left mark is now top-right
    assert (root / "lessons" / "images" / "hx-accepted" / "photo.jpg").read_bytes() == photo_with_gps()  # original kept


def test_a_large_screenshot_is_made_phone_sized_without_its_text_chunks(built):
    from PIL import Image

    _, root = built
    data = published(root, "screenshot.png")
    im = Image.open(io.BytesIO(data))
    assert im.format == "PNG" and im.size == (1600, 1200)
    assert b"secret-author" not in data and b"tEXt" not in data


def test_an_svg_is_published_without_what_a_drawing_does_not_need(built):
    _, root = built
    data = published(root, "editor-leftovers.svg").decode("utf-8")
    for gone in ("inkscape", "sodipodi", "metadata", "tracker.example", "<set", "<animate", "javascript", "data-tracking",
                 "<!--", "rdf:"):
        assert gone not in data, gone
    for kept in ('fill="url(#sky)"', '<use xlink:href="#dot"', ">タップ</text>", "<linearGradient"):
        assert kept in data, kept
    original = root / "lessons" / "images" / "hx-accepted" / "editor-leftovers.svg"
    assert original.read_bytes() == (FIXTURES / "accepted" / "editor-leftovers.svg").read_bytes()


def test_a_percent_encoded_name_is_published_where_the_page_points(built):
    _, root = built
    page = (root / "site" / "lessons" / "hx-accepted" / "index.html").read_text(encoding="utf-8")
    assert page.count('src="../images/hx-accepted/with%20space.svg"') == 2
    assert published(root, "with space.svg").startswith(b"<svg")


class _Addresses(html.parser.HTMLParser):
    """Every address in a page, decoded as a browser decodes it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data") and value is not None:
                self.found.append((tag, name, value))


def browser_scheme(address: str) -> str | None:
    """The scheme a browser's URL parser finds (WHATWG): ends trimmed, tabs and newlines removed."""
    address = re.sub(r"[\t\n\r]", "", address.strip("".join(chr(c) for c in range(0x21))))
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", address)
    return m.group(1).lower() if m else None


def test_no_disguised_script_address_survives_in_the_lesson_page(built):
    _, root = built
    for lang in ("", "en/"):
        page = (root / "site" / lang / "lessons" / "hx-accepted" / "index.html").read_text(encoding="utf-8")
        parser = _Addresses()
        parser.feed(page)
        assert parser.found
        for tag, name, value in parser.found:
            scheme = browser_scheme(value)
            assert scheme in SAFE_SCHEMES | {None}, (tag, name, value)
            assert not re.match(r"\s*[/\\]{2}", value) or name == "href" and tag == "link", (tag, name, value)
        hrefs = {value for tag, name, value in parser.found if tag == "a"}
        for address in KEPT_LINKS + ["mailto:someone@example.jp"]:
            assert address in hrefs, address
        for i in range(len(DISGUISES)):  # each bad link's words are still there, as text
            assert f"悪いリンク{i}" in page and f"悪い参照{i}" in page


def test_the_mkdocs_run_uses_the_same_link_rules():
    """Every Markdown page of the site is rendered with the engine's extensions: the safe-links
    extension is among them and loads by name, as MkDocs loads it."""
    import markdown

    from generator.render.engine import MARKDOWN_EXTENSIONS

    names, configs = [], {}
    for ext in MARKDOWN_EXTENSIONS:
        if isinstance(ext, dict):
            (name, config), = ext.items()
            names.append(name)
            configs[name] = config
        else:
            names.append(ext)
    assert "generator.lessons.safelinks" in names
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    text = "\n".join(f"[bad{i}]({a}) [ref{i}][r{i}]" for i, a in enumerate(DISGUISES)) + "\n\n"
    text += "\n".join(f"[r{i}]: {a}" for i, a in enumerate(DISGUISES)) + "\n\n[ok](https://example.jp/?a=1&b=2)\n"
    text += "\n![x](https://tracker.example/p.png){: onerror=\"alert(1)\" }\n"
    out = md.convert(text)
    parser = _Addresses()
    parser.feed(out)
    for tag, name, value in parser.found:
        assert browser_scheme(value) in SAFE_SCHEMES | {None} and not value.startswith("//"), (tag, name, value)
    assert ("a", "href", "https://example.jp/?a=1&b=2") in parser.found
    assert not [f for f in parser.found if f[0] == "img"]  # the site loads nothing from another host
    assert "onerror" not in out and "<img" in out
