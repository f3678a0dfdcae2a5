"""Archive pages: the list of items and one page per item (items/<id>/)."""
from __future__ import annotations

from ..content import Content
from ..context import BuildContext
from ..models.archive import ROLE_LABELS, TYPE_LABELS, Item
from .docs import render_page, render_template, t, text_lang, write_page

RIGHTS_LABELS = {
    "publicdomain/mark": ("パブリックドメイン", "Public domain"),
    "publicdomain/zero": ("CC0（自由に利用できます）", "CC0 (free to use)"),
    "licenses/by/": ("CC BY（出典を示せば自由に利用できます）", "CC BY (free to use with credit)"),
    "licenses/by-sa/": ("CC BY-SA", "CC BY-SA"),
    "rightsstatements.org/vocab/InC": ("著作権あり", "In copyright"),
    "rightsstatements.org/vocab/NoC": ("著作権の制約なし", "No copyright"),
}


def rights_label(uri: str, lang: str) -> str:
    for key, (ja, en) in RIGHTS_LABELS.items():
        if key in uri:
            return ja if lang == "ja" else en
    return uri


def item_values(item: Item, lang: str) -> dict:
    creators = []
    for c in item.creators:
        name = t(c.name, lang) if c.name else (c.id or "")
        creators.append({"role": ROLE_LABELS[c.role][0 if lang == "ja" else 1], "name": name,
                         "lang": text_lang(c.name, lang) if c.name else lang, "href": None})
    return {
        "item": item,
        "type_label": TYPE_LABELS[item.type][0 if lang == "ja" else 1],
        "creators": creators,
        "date_text": item.date.text if item.date else "",
        "rights_label": rights_label(item.rights, lang),
    }


def write(content: Content, ctx: BuildContext) -> None:
    ctx.add_nav(10, "アーカイブ", "Archive", "items/index.md")
    render_page(ctx, "items/index.md", "items_index.md.j2", {"ja": "デジタルアーカイブ", "en": "Digital archive"},
                items=content.items)
    for item in content.items:
        for lang in ("ja", "en"):
            title = item.title.en if lang == "en" and item.title.en else item.title.ja
            title_lang = "en" if lang == "en" and item.title.en else "ja"
            body = render_template("item.md.j2", lang=lang, ctx=ctx, title=title, title_lang=title_lang,
                                   **item_values(item, lang))
            write_page(ctx, lang, f"items/{item.id}.md", title, body)
