"""What one item means to search: its names in every form, its facets, and its terms.

The search documents (documents.py: the catalogue and the Pagefind index), the item page's
filters and related items (item_extra.md.j2) and the browser's reading table (table.py) are
all made from these records, so they cannot disagree.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ..content import Content
from ..models.archive import TYPE_LABELS, Item
from . import normalise

# Periods for the period filter: (Japanese, English, first year, first year of the next).
PERIODS = [
    ("安土桃山時代以前", "Before 1603", -3000, 1603),
    ("江戸時代", "Edo period", 1603, 1868),
    ("明治", "Meiji", 1868, 1912),
    ("大正", "Taishō", 1912, 1926),
    ("昭和", "Shōwa", 1926, 1989),
    ("平成以降", "Heisei and later", 1989, 3000),
]
RIGHTS = [
    ("publicdomain/mark", "public-domain", "パブリックドメイン", "Public domain"),
    ("publicdomain/zero", "cc0", "CC0", "CC0"),
    ("licenses/by-sa/", "cc-by-sa", "CC BY-SA", "CC BY-SA"),
    ("licenses/by/", "cc-by", "CC BY", "CC BY"),
    ("rightsstatements.org/vocab/InC", "in-copyright", "著作権あり", "In copyright"),
    ("rightsstatements.org/vocab/NoC", "no-copyright", "著作権の制約なし", "No copyright"),
]


def _lang(value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return getattr(value, lang, None) or getattr(value, "ja", None) or ""


def period_of(item: Item) -> tuple[str, str] | None:
    if not item.date or item.date.start is None:
        return None
    for ja, en, start, end in PERIODS:
        if start <= item.date.start < end:
            return ja, en
    return None


def rights_of(uri: str) -> tuple[str, str, str]:
    for part, key, ja, en in RIGHTS:
        if part in uri:
            return key, ja, en
    return "other", "その他", "Other"


@dataclass
class Name:
    """A person, series or place as the filters show it, with every form that should find it."""

    key: str  # authority id, or the folded name
    ja: str
    en: str
    forms: list[str] = field(default_factory=list)  # names, aliases, variants
    reading: str | None = None

    def label(self, lang: str) -> str:
        return (self.en or self.ja) if lang == "en" else (self.ja or self.en)

    def romaji(self) -> set[str]:
        return normalise.romaji_forms(self.reading) if self.reading else set()


@dataclass
class SearchRecord:
    item: Item
    type_ja: str
    type_en: str
    artists: list[Name]
    others: list[Name]  # publishers, carvers …: found by name, not a filter
    series: Name | None
    place: Name | None
    period: tuple[str, str] | None
    rights: tuple[str, str, str]
    _digest: str = field(default="", repr=False, compare=False)  # (digest(), once made)

    @property
    def id(self) -> str:
        return self.item.id

    def title(self, lang: str) -> str:
        return (self.item.title.en or self.item.title.ja) if lang == "en" else self.item.title.ja

    def field_texts(self) -> dict[str, list[tuple[str, str | None]]]:
        """(text, hand-written reading) per searchable field."""
        item = self.item
        names = lambda ns: [(f, n.reading if f == n.ja else None) for n in ns for f in n.forms]  # noqa: E731
        texts = {
            "title": [(item.title.ja, item.title.reading), (item.title.en or "", None)],
            "artist": names(self.artists),
            "series": names([self.series] if self.series else []),
            "place": names([self.place] if self.place else []),
            "subjects": [(s, None) for s in item.subjects],
        }
        rest = [(n, None) for o in self.others for n in o.forms]
        rest += [(self.type_ja, None), (self.type_en, None)]
        for value in (item.medium, item.description, item.source.institution if item.source else None):
            rest += [(_lang(value, "ja"), None), (_lang(value, "en"), None)]
        if item.date:
            rest.append((item.date.text, None))
        if self.period:
            rest += [(self.period[0], None), (self.period[1], None)]
        texts["other"] = rest
        return texts

    def digest(self) -> str:
        """Changes when anything search takes from the record does (pydantic's JSON of the
        item: far quicker than its repr, which a build would pay for ten thousand items)."""
        if not self._digest:
            names = (self.type_ja, self.type_en, self.artists, self.others, self.series, self.place, self.period,
                     self.rights)
            self._digest = hashlib.sha1(self.item.model_dump_json().encode("utf-8")
                                        + repr(names).encode("utf-8")).hexdigest()
        return self._digest

    def terms(self) -> dict[str, list[str]]:
        out = {}
        for name, texts in self.field_texts().items():
            out[name] = [t for text, hand in texts if text for t in normalise.terms(text, hand)]
        return out


def _creator_name(content: Content, ref) -> Name:
    authority = content.creators.get(ref.id) if ref.id else None
    if authority is not None:
        forms = list(dict.fromkeys(authority.names))
        return Name(ref.id, authority.name.ja, authority.name.en or "", forms, authority.reading)
    ja, en = _lang(ref.name, "ja"), (ref.name.en if ref.name is not None and getattr(ref.name, "en", None) else "")
    key = ref.id or normalise.fold(ja or en)
    return Name(key, ja, en, [n for n in (ja, en) if n])


def _series_name(content: Content, series_id: str) -> Name:
    authority = content.series.get(series_id)
    if authority is None:
        return Name(series_id, series_id, series_id, [series_id])
    t = authority.title
    return Name(series_id, t.ja, t.en or "", list(dict.fromkeys(authority.names)), t.reading)


def record_for(content: Content, item: Item) -> SearchRecord:
    artists, others = [], []
    for ref in item.creators:
        (artists if ref.role in ("artist", "cartographer", "photographer", "author") else others).append(
            _creator_name(content, ref))
    place = None
    if item.place:
        ja, en = _lang(item.place.name, "ja"), getattr(item.place.name, "en", None) or ""
        place = Name(normalise.fold(ja or en), ja, en, [n for n in (ja, en) if n])
    type_ja, type_en = TYPE_LABELS[item.type]
    return SearchRecord(item=item, type_ja=type_ja, type_en=type_en, artists=artists, others=others,
                        series=_series_name(content, item.series) if item.series else None, place=place,
                        period=period_of(item), rights=rights_of(item.rights))


def records(content: Content) -> list[SearchRecord]:
    return [record_for(content, item) for item in content.items]
