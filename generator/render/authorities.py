"""Authority pages: one per creator (creators/<id>/) and series (series/<id>/) listing their
works, the lists of both, and the era browse page items/periods/."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..content import Content
from ..context import LANGS, BuildContext
from ..models.eras import ERAS, display as date_display, era_named, era_of, year_range
from ..models.archive import ROLE_LABELS, Item
from ..stages import Derived
from .docs import cached_page, page_key, render_page, render_template, write_page
from .items import write_grid

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def name_lang(text: str) -> str:
    """The language of a name as written (aliases mix 北斎 and Hokusai)."""
    return "ja" if _JAPANESE.search(text) else "en"


def work(content: Content, item: Item, lang: str, prefix: str) -> dict:
    """What an authority or browse page shows of an item: title, date, link."""
    title_en = lang == "en" and bool(item.title.en)
    date = date_display(item.date.text, item.date.start, item.date.end, lang) if item.date else ""
    return {"href": f"{prefix}items/{item.id}/", "title": item.title.en if title_en else item.title.ja,
            "lang": "en" if title_en else "ja", "date": date,
            "date_lang": "ja" if lang == "ja" or (item.date and date == item.date.text) else "en",
            "sort": (item.date.start if item.date and item.date.start is not None else 9999, item.id)}


@dataclass
class Period:
    key: str
    ja: str
    en: str
    start: int
    works: list[Item] = field(default_factory=list)


def periods(items: list[Item]) -> list[Period]:
    """Items grouped by the era in which their date range begins; undated ones last."""
    spans = {name: (roman, start, ERAS[i + 1][2] if i + 1 < len(ERAS) else None)
             for i, (name, roman, start) in enumerate(ERAS)}
    groups: dict[str, Period] = {}
    for item in items:
        start = item.date.start if item.date else None
        era = (era_named(item.date.text) if item.date else None) or (era_of(start) if start is not None else None)
        if era is None:
            if start is None:
                key, ja, en, first = "undated", "年代不明", "Undated", 99999
            else:
                century = (start - 1) // 100 + 1
                key, ja, en, first = f"c{century}", f"{century}世紀", f"{century}th century", (century - 1) * 100 + 1
        else:
            name, roman = era
            _, first, last = spans[name]
            years = year_range(first, last) if last else f"{first}–"
            key, ja, en = f"era-{first}", f"{name}（{years}）", f"{roman} ({years})"
        groups.setdefault(key, Period(key, ja, en, first)).works.append(item)
    return sorted(groups.values(), key=lambda p: p.start)


def write(content: Content, ctx: BuildContext, derived: Derived) -> None:
    by_creator: dict[str, list[Item]] = {cid: [] for cid in content.creators}
    by_series: dict[str, list[Item]] = {sid: [] for sid in content.series}
    for item in content.items:
        for cid in dict.fromkeys(ref.id for ref in item.creators):  # a creator in two roles: one work
            if cid in by_creator:
                by_creator[cid].append(item)
        if item.series in by_series:
            by_series[item.series].append(item)

    def works(items: list[Item], lang: str, prefix: str) -> list[dict]:
        return sorted((work(content, i, lang, prefix) for i in items), key=lambda w: w["sort"])

    for cid, creator in content.creators.items():
        render_page(ctx, f"creators/{cid}.md", "creator.md.j2", {"ja": creator.name.ja, "en": creator.name.en or creator.name.ja},
                    creator=creator, works=lambda lang, items=by_creator[cid]: works(items, lang, "../../"), limit=WORKS_SHOWN,
                    series=[s for s in content.series.values() if cid in s.creators], roles=ROLE_LABELS, name_lang=name_lang)
        _all_works(ctx, derived, f"creators/{cid}/", by_creator[cid], creator.name.ja, creator.name.en or creator.name.ja)
    for sid, s in content.series.items():
        render_page(ctx, f"series/{sid}.md", "series.md.j2", {"ja": s.title.ja, "en": s.title.en or s.title.ja},
                    series=s, works=lambda lang, items=by_series[sid]: works(items, lang, "../../"), limit=WORKS_SHOWN,
                    creators=[content.creators[c] for c in s.creators if c in content.creators], name_lang=name_lang)
        _all_works(ctx, derived, f"series/{sid}/", by_series[sid], s.title.ja, s.title.en or s.title.ja)
    render_page(ctx, "creators/index.md", "authority_index.md.j2", {"ja": "作者", "en": "Creators"},
                entries=[{"href": f"{cid}/", "ja": c.name.ja, "en": c.name.en, "reading": c.reading, "extra": c.life(),
                          "count": len(by_creator[cid])} for cid, c in sorted(content.creators.items(), key=lambda kv: kv[1].reading or kv[0])],
                kind="creators")
    render_page(ctx, "series/index.md", "authority_index.md.j2", {"ja": "シリーズ", "en": "Series"},
                entries=[{"href": f"{sid}/", "ja": s.title.ja, "en": s.title.en, "reading": s.title.reading, "extra": "",
                          "count": len(by_series[sid])} for sid, s in sorted(content.series.items(), key=lambda kv: kv[1].title.reading or kv[0])],
                kind="series")
    write_periods(content, ctx, derived)


WORKS_SHOWN = 60  # works listed on a creator's or series' page; more are on its works/ pages


def _all_works(ctx: BuildContext, derived: Derived, page_dir: str, items: list[Item], ja: str, en: str) -> None:
    """A creator's or series' works beyond what its page lists: a paged grid at <page>/works/."""
    if len(items) <= WORKS_SHOWN:
        return
    ordered = sorted(items, key=lambda i: (i.date.start if i.date and i.date.start is not None else 9999, i.id))
    for lang in LANGS:
        write_grid(ctx, lang, page_dir + "works/", ordered, derived.iiif, derived.item_digests,
                   "items_type.md.j2", f"{ja}の作品" if lang == "ja" else f"Works: {en}", collection=None,
                   back=page_dir, back_text=ja if lang == "ja" else en)


PREVIEW = 12  # works shown per period on the periods page; a period's own pages show them all


def write_periods(content: Content, ctx: BuildContext, derived: Derived) -> None:
    """items/periods/: every period with its first works, and for a period with more, its
    own paged grid (items/periods/<key>/). A page with the same inputs as in the last build
    is kept (docs.cached_page)."""
    groups = periods(content.items)
    digests, iiif = derived.item_digests, derived.iiif
    for lang in LANGS:
        title = "年代別に見る" if lang == "ja" else "Browse by period"
        key = page_key(ctx, lang, "periods", repr([(p.key, len(p.works)) for p in groups]),
                       *[digests.get(i.id, i.id) for p in groups for i in p.works[:PREVIEW]])
        if not cached_page(ctx, lang, "items/periods.md", key):
            body = render_template("periods.md.j2", lang=lang, ctx=ctx, periods=groups, preview=PREVIEW,
                                   work=lambda item, lang: work(content, item, lang, "../../"))
            write_page(ctx, lang, "items/periods.md", title, body)
        for p in groups:
            if len(p.works) > PREVIEW:
                name = p.ja if lang == "ja" else p.en
                write_grid(ctx, lang, f"items/periods/{p.key}/", p.works, iiif, digests, "items_type.md.j2",
                           f"{name}の資料" if lang == "ja" else f"Items of {name}", collection=None,
                           back="items/periods/", back_text="年代別に見る" if lang == "ja" else "Browse by period")
