"""Archive pages: the list of items, browse pages per type, and one page per item (items/<id>/).

Item pages carry the deep-zoom viewer (OpenSeadragon, served from the site itself) over the
IIIF services the derive step published (Derived.iiif). Every address the page gives
the viewer is relative to the page, so the site works from any host or folder; the IIIF ids
it gives for sharing (manifest, canvases) are the published, absolute ones. The picture shown
before the viewer starts is the viewer's own first tile; without JavaScript the page shows a
large image instead.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from ..content import Content
from ..models import eras
from ..context import LANGS, BuildContext
from ..errors import BuildError, Text
from ..iiif import georef
from ..iiif.viewer_requests import tile_paths
from ..models.archive import ITEM_TYPES, ROLE_LABELS, TYPE_LABELS, Item
from ..stages import Derived
from .docs import cached_page, page_key, render_template, t, text_lang, write_page

RIGHTS_LABELS = {
    "publicdomain/mark": ("パブリックドメイン", "Public domain"),
    "publicdomain/zero": ("CC0（自由に利用できます）", "CC0 (free to use)"),
    "licenses/by/": ("CC BY（出典を示せば自由に利用できます）", "CC BY (free to use with credit)"),
    "licenses/by-sa/": ("CC BY-SA", "CC BY-SA"),
    "rightsstatements.org/vocab/InC": ("著作権あり", "In copyright"),
    "rightsstatements.org/vocab/NoC": ("著作権の制約なし", "No copyright"),
}
OSD = Path("node_modules/openseadragon/build/openseadragon/openseadragon.min.js")
VIEWER_DIR = "viewer"  # site path of the viewer library (one copy for both languages)


def rights_label(uri: str, lang: str) -> str:
    for key, (ja, en) in RIGHTS_LABELS.items():
        if key in uri:
            return ja if lang == "ja" else en
    return uri


def root_prefix(page_dir: str, lang: str) -> str:
    """Relative path from a page (its folder, e.g. 'items/x/') to the site root."""
    depth = len([p for p in page_dir.split("/") if p]) + (1 if lang == "en" else 0)
    return "../" * depth


def label(value, lang: str) -> dict:
    """Text and its real language (for lang=""), from a language map, authority title or string."""
    if value is None:
        return {"text": "", "lang": lang}
    if hasattr(value, "ja") and not isinstance(value, str):
        en = getattr(value, "en", None)
        if lang == "en" and en:
            return {"text": en, "lang": "en"}
        return {"text": value.ja, "lang": "ja"}
    return {"text": t(value, lang), "lang": text_lang(value, lang)}


def series_label(content: Content, series_id: str, lang: str) -> dict:
    entry = content.series.get(series_id) if content.series else None
    title = getattr(entry, "title", None)
    return label(title, lang) if title else {"text": series_id, "lang": "en"}


def item_title(item: Item, lang: str) -> dict:
    if lang == "en" and item.title.en:
        return {"text": item.title.en, "lang": "en"}
    return {"text": item.title.ja, "lang": "ja"}


def item_values(content: Content, item: Item, lang: str) -> dict:
    creators = []
    for c in item.creators:
        name = label(c.name, lang) if c.name else {"text": c.id or "", "lang": lang}
        creators.append({"role": ROLE_LABELS[c.role][0 if lang == "ja" else 1], "name": name["text"],
                         "lang": name["lang"], "href": f"../../creators/{c.id}/" if c.id and content.creators
                         and c.id in content.creators else None})
    return {
        "item": item,
        "type_label": TYPE_LABELS[item.type][0 if lang == "ja" else 1],
        "creators": creators,
        "series": series_label(content, item.series, lang) if item.series else None,
        "series_href": f"../../series/{item.series}/" if item.series and content.series
        and item.series in content.series else None,
        "date_text": date_text(item, lang),
        "rights_label": rights_label(item.rights, lang),
    }


def date_text(item: Item, lang: str) -> str:
    """安政4年（1857） on Japanese pages, 1857 (Ansei 4) on English ones."""
    if not item.date:
        return ""
    return eras.display(item.date.text, item.date.start, item.date.end, lang)


def _browse_css(page_dir: str) -> str:
    # Each language tree has its own copy of assets/site/: relative within the language.
    return root_prefix(page_dir, "ja") + "assets/site/archive/browse.css"


def card(item: Item, iiif: dict, lang: str, root: str, lang_root: str) -> dict:
    """A grid card: root leads to the site root (images are shared by both languages),
    lang_root to this language's root (the item page in the same language)."""
    entry = iiif.get(item.id)
    thumb = None
    if entry and entry.images:
        service = entry.images[0]
        w, h = service.size_of(400)
        thumb = {"src": root + service.size_path(400), "width": w, "height": h}
    return {"item": item, "title": item_title(item, lang), "href": f"{lang_root}items/{item.id}/",
            "type_label": TYPE_LABELS[item.type][0 if lang == "ja" else 1], "thumb": thumb,
            "date_text": date_text(item, lang)}


def copy_viewer_library(ctx: BuildContext) -> None:
    """OpenSeadragon from npm (pinned in package.json), published with the site: no CDN."""
    src = ctx.root / OSD
    if not src.is_file():
        raise BuildError(
            Text("拡大表示のための OpenSeadragon が見つかりません（node_modules がありません）。",
                 "OpenSeadragon, which the deep-zoom viewer needs, is missing (no node_modules)."),
            Text("リポジトリのフォルダで `npm ci` を実行してから、もう一度 build してください。",
                 "run `npm ci` in the repository folder, then build again."))
    dest = ctx.static / VIEWER_DIR
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest / "openseadragon.min.js")


def first_view(service) -> str | None:
    """Site path of the picture OpenSeadragon draws first: its smallest level, when that is one
    whole-image file (the page shows it before the viewer starts, and the viewer then takes it
    from the browser's cache instead of downloading it again)."""
    first = next(tile_paths(service.tiles.info(service.service_id)), None)
    return f"{service.path}/{first}" if first and first.startswith("full/") else None


def canvas_id(ctx: BuildContext, item: Item, n: int) -> str:
    """The published id of the item's n-th canvas (1-based), as its manifest gives it."""
    return ctx.url(f"iiif/{item.id}") + f"/canvas/{n}"


def viewer_images(ctx: BuildContext, entry, item: Item, lang: str, root: str) -> list[dict]:
    images = []
    title = item_title(item, lang)["text"]
    for n, service in enumerate(entry.images if entry else [], 1):
        scan_label = label(service.scan.label, lang) if service.scan.label else None
        name = scan_label["text"] if scan_label else (f"{n}枚目" if lang == "ja" else f"image {n}")
        large_w, large_h = service.size_of(1600)
        thumb_w, thumb_h = service.size_of(200)
        full_w = service.tiles.max_width or service.width
        full_h = service.tiles.max_height or service.height
        first = first_view(service)
        images.append({
            "n": n, "name": name, "name_lang": scan_label["lang"] if scan_label else lang,
            "alt": f"{title}（{name}）" if lang == "ja" else f"{title} ({name})",
            # The viewer's tile source: info.json's content, its tiles from this page's copy.
            "service": root + service.path, "info": service.tiles.info(service.service_id),
            "canvas": canvas_id(ctx, item, n), "width": service.width, "height": service.height,
            "first": root + first if first else None,
            "large": root + service.size_path(1600), "large_w": large_w, "large_h": large_h,
            "thumb": root + service.size_path(200), "thumb_w": thumb_w, "thumb_h": thumb_h,
            "full": root + service.full_path, "full_w": full_w, "full_h": full_h,
        })
    return images


def citation(item: Item, lang: str, url: str) -> str:
    names = [label(c.name, lang)["text"] for c in item.creators if c.name and c.role in ("artist", "author", "cartographer")]
    title = item_title(item, lang)["text"]
    held = label(item.source.institution, lang)["text"] if item.source else ""
    if lang == "ja":
        parts = ["・".join(names), f"『{title}』", date_text(item, lang), held]
        return "、".join(p for p in parts if p) + f"。{url}"
    parts = [", ".join(names), f"“{title}”", date_text(item, lang), held]
    # No "accessed" date: the build date is not the reader's, and it would change every page daily.
    return ". ".join(p for p in parts if p) + f". {url}"


def write(content: Content, ctx: BuildContext, derived: Derived) -> None:
    ctx.add_nav(10, "アーカイブ", "Archive", "items/index.md")
    iiif = derived.iiif
    if any(e.images for e in iiif.values()):
        copy_viewer_library(ctx)
    types = [(ty, TYPE_LABELS[ty]) for ty in ITEM_TYPES if any(i.type == ty for i in content.items)]
    series_ids = sorted({i.series for i in content.items if i.series})
    related = derived.search.related
    digests = derived.item_digests
    for lang in LANGS:
        L = 0 if lang == "ja" else 1
        index_extra = dict(
            types=[{"id": ty, "label": names[L], "count": sum(i.type == ty for i in content.items)} for ty, names in types],
            series=[{"id": s, "label": series_label(content, s, lang), "linked": bool(content.series) and s in content.series,
                     "count": sum(i.series == s for i in content.items)} for s in series_ids])
        write_grid(ctx, lang, "items/", content.items, iiif, digests, "items_index.md.j2",
                   ("デジタルアーカイブ", "Digital archive")[L], collection="iiif/collection.json", **index_extra)
        for ty, names in types:
            write_grid(ctx, lang, f"items/types/{ty}/", [i for i in content.items if i.type == ty], iiif, digests,
                       "items_type.md.j2", f"{names[0]}の一覧" if lang == "ja" else f"{names[1]}s",
                       collection=f"iiif/types/{ty}/collection.json", type_label=names[L])
        for item in content.items:
            # A page whose inputs are those of the last build is kept as it is (docs.cached_page).
            key = page_key(ctx, lang, digests[item.id], *[digests.get(o, o) for o in related.get(item.id, [])],
                           content.authorities_key(item))
            if cached_page(ctx, lang, f"items/{item.id}.md", key):
                continue
            root = root_prefix(f"items/{item.id}/", lang)
            entry = iiif.get(item.id)
            title = item_title(item, lang)
            page_url = ctx.url(f"items/{item.id}/", lang)
            manifest = entry.manifest_path if entry and entry.manifest_path else None
            body = render_template(
                "item.md.j2", lang=lang, ctx=ctx, search=derived.search, title=title["text"], title_lang=title["lang"],
                images=viewer_images(ctx, entry, item, lang, root), root=root,
                assets=root_prefix(f"items/{item.id}/", "ja") + "assets/site/viewer/",
                osd=f"{root}{VIEWER_DIR}/openseadragon.min.js",
                # The link works from wherever the site is served; the ?manifest= it carries (for
                # the IIIF drag-and-drop convention) and the ids shared views name are published ones.
                manifest=root + manifest if manifest else None,
                manifest_id=entry.manifest_id if manifest else None,
                citation=citation(item, lang, page_url),
                overlay=georef.overlay_link(entry.georeference_id) if entry and entry.georeference_id else None,
                type_href=f"../types/{item.type}/", **item_values(content, item, lang))
            # The page's <head> names its manifest too (overrides/main.html, block extrahead).
            meta = {"iiif_manifest": root + manifest} if manifest else {}
            write_page(ctx, lang, f"items/{item.id}.md", title["text"], body, **meta)


PER_PAGE = 60  # cards on one browse page: a phone need not load the whole archive at once


def write_grid(ctx: BuildContext, lang: str, base: str, items: list[Item], iiif: dict, digests: dict[str, str],
               template: str, title: str, collection: str | None, back: str = "items/", **values) -> None:
    """A browse grid of items over as many pages as it needs: base (e.g. items/) holds the
    first PER_PAGE cards, base/page/2/ the next, … each with a pager. A page showing the same
    cards as in the last build is not rendered again (docs.cached_page)."""
    chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [[]]
    for n, chunk in enumerate(chunks, 1):
        page_dir = base if n == 1 else f"{base}page/{n}/"
        nav = pager(n, len(chunks), len(items), base, page_dir, lang)
        key = page_key(ctx, lang, template, page_dir, title, repr(nav), repr(values), *[digests[i.id] for i in chunk])
        if cached_page(ctx, lang, page_dir + "index.md", key):
            continue
        root, lang_root = root_prefix(page_dir, lang), root_prefix(page_dir, "ja")
        body = render_template(template, lang=lang, ctx=ctx, cards=[card(i, iiif, lang, root, lang_root) for i in chunk],
                               pager=nav, first_page=n == 1, collection=root + collection if collection else None,
                               back=lang_root + back,
                               browse_css=_browse_css(page_dir), **values)
        shown = title if n == 1 else (f"{title}（{n}ページ目）" if lang == "ja" else f"{title} (page {n})")
        write_page(ctx, lang, page_dir + "index.md", shown, body)


def pager(n: int, pages: int, total: int, base: str, page_dir: str, lang: str) -> dict | None:
    """Links to the first, last, previous, next and nearby pages of a paged list."""
    if pages <= 1:
        return None
    up = root_prefix(page_dir, "ja")  # within this language's tree

    def href(m: int) -> str:
        return up + (base if m == 1 else f"{base}page/{m}/")

    links: list[dict] = []
    for m in sorted({1, pages, *range(max(1, n - 2), min(pages, n + 2) + 1)}):
        if links and m > links[-1]["n"] + 1:
            links.append({"n": m - 1, "gap": True})
        links.append({"n": m, "href": href(m), "current": m == n, "gap": False})
    first, last = (n - 1) * PER_PAGE + 1, min(n * PER_PAGE, total)
    status = (f"全{total}件のうち {first}〜{last}件目（{n}/{pages}ページ）" if lang == "ja"
              else f"Items {first}–{last} of {total} (page {n} of {pages})")
    return {"n": n, "pages": pages, "links": links, "status": status,
            "prev": href(n - 1) if n > 1 else None, "next": href(n + 1) if n < pages else None}

