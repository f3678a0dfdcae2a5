"""The search documents: one for each page the search finds (an archive item, a lesson, a
class), made from the records and models, never from the built pages.

A document is the normaliser's terms of the page in weighted fields (a word in the artist's
name outweighs the same word in a description), what a result shows (its metadata) and its
filter values. The whoosh catalogue (catalog.py, for `sitegen search`) and the Pagefind index
(pagefind.py, for the search page) are both made from these documents, so the command line
and the browser hold the same words in the same fields for the same pages.

Both languages' text is in every document and one index serves both languages' search pages
(a page's language only chooses which title and labels a result shows), so that ほくさい,
hokusai and 北斎 give the same answers on search/ and en/search/ as on the command line.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from html import escape
from typing import Callable

from ..content import Content
from ..models.archive import TYPE_LABELS
from ..models.lessons import LEVEL_LABELS_EN, Lesson
from ..models.schedule import Course
from . import normalise
from .records import PERIODS, RIGHTS, SearchRecord

FIELDS = ("title", "artist", "series", "place", "subjects", "other")
# A word found in the artist's or series' name outweighs the same word in a description
# (Pagefind's data-pagefind-weight; ranking.py counts the same).
WEIGHTS = {"artist": 4.0, "series": 3.0, "title": 3.0, "place": 2.0, "subjects": 1.5, "other": 1.0}
MAX_WEIGHT = 10.0  # a term in several fields weighs their sum, up to this
KINDS = {"item": ("資料", "Item"), "lesson": ("レッスン", "Lesson"), "class": ("教室", "Class")}
COURSE_KINDS = {"class": ("教室", "Class"), "consultation": ("スマホ相談会", "Smartphone consultation")}
# What a result shows; none of it is searched (see normalise.encode).
META = ("title", "title_en", "kind", "kind_en", "artist", "artist_en", "date", "thumb")
FILTERS = ("kind", "type", "artist", "series", "period", "place", "rights")


@dataclass
class Document:
    key: str  # the catalogue's id: an item's id, lessons/<slug>, classes/<id>
    url: str  # its page, from the site root: items/<id>/ (the English page is en/ + url)
    kind: str  # item, lesson or class
    meta: dict[str, str]
    filters: dict[str, list[str]]
    make_terms: Callable[[], dict[str, list[str]]] = field(repr=False)
    source: str = ""  # a digest of what the terms are made from

    @functools.cached_property
    def terms(self) -> dict[str, list[str]]:
        """The normaliser's terms per field (each once per field, in order)."""
        made = self.make_terms()
        return {name: list(dict.fromkeys(made.get(name, ()))) for name in FIELDS}

    @functools.cached_property
    def digest(self) -> str:
        """Changes whenever anything of the document does (its terms by their source)."""
        data = json.dumps([self.key, self.url, self.kind, self.meta, self.filters, self.source],
                          ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def item_document(record: SearchRecord, thumb: str | None = None) -> Document:
    item = record.item
    artists_ja = ", ".join(a.ja for a in record.artists if a.ja) or ", ".join(a.label("ja") for a in record.artists)
    artists_en = ", ".join(a.en for a in record.artists if a.en) or artists_ja
    meta = {"title": item.title.ja, "title_en": item.title.en or "", "kind": record.type_ja, "kind_en": record.type_en,
            "artist": artists_ja, "artist_en": artists_en, "date": item.date.text if item.date else "",
            "thumb": thumb or ""}
    filters = {"kind": ["item"], "type": [item.type], "artist": list(dict.fromkeys(a.key for a in record.artists)),
               "series": [record.series.key] if record.series else [],
               "period": [record.period[0]] if record.period else [],
               "place": [record.place.key] if record.place else [], "rights": [record.rights[0]]}
    return Document(item.id, f"items/{item.id}/", "item", _kept(meta), _kept(filters), record.terms,
                    record.digest())


def lesson_document(lesson: Lesson) -> Document:
    m = lesson.meta
    kind = KINDS["lesson"]
    texts = {
        "title": [(m.title, m.reading), (m.title_en or "", None)],
        "subjects": [(m.topic, None)],
        "other": [(kind[0], None), (kind[1], None), (m.level, None), (LEVEL_LABELS_EN.get(m.level, ""), None),
                  (m.summary or "", None), (m.summary_en or "", None),
                  *((text, None) for text in [*m.objectives, *m.bring]), *_markdown_texts(lesson.body)],
    }
    meta = {"title": m.title, "title_en": m.title_en or "", "kind": kind[0], "kind_en": kind[1]}
    return _made(f"lessons/{lesson.slug}", f"lessons/{lesson.slug}/", "lesson", meta, texts)


def course_document(course: Course, content: Content) -> Document:
    kind = COURSE_KINDS[course.kind]
    venues = {v.id: v for v in content.venues}
    lessons = {lesson.slug: lesson for lesson in content.lessons}
    other = [(kind[0], None), (kind[1], None), (KINDS["class"][0], None), (KINDS["class"][1], None)]
    for text in (course.description, course.apply, course.instructor, course.contact.name if course.contact else None):
        other += _both(text)
    if course.level:
        other += [(course.level, None), (LEVEL_LABELS_EN.get(course.level, ""), None)]
    for slug in course.lessons:
        if slug in lessons:
            other += [(lessons[slug].meta.title, lessons[slug].meta.reading), (lessons[slug].meta.title_en or "", None)]
    for session in course.sessions:
        venue = venues.get(session.venue)
        if venue is not None:
            for text in (venue.name, venue.address, venue.station):
                other += _both(text)
        other += [(session.room or "", None), *_both(session.note)]
    texts = {"title": [(course.title.ja, course.reading), (course.title.en or "", None)], "other": other}
    meta = {"title": course.title.ja, "title_en": course.title.en or "", "kind": kind[0], "kind_en": kind[1]}
    return _made(f"classes/{course.id}", f"classes/{course.id}/", "class", meta, texts)


def documents(content: Content, records: list[SearchRecord], thumbnails: dict[str, str] | None = None) -> list[Document]:
    """Every search document of the site: items, then lessons, then classes."""
    thumbnails = thumbnails or {}
    return ([item_document(r, thumbnails.get(r.id)) for r in records]
            + [lesson_document(lesson) for lesson in content.lessons]
            + [course_document(course, content) for course in content.courses])


def labels(records: list[SearchRecord]) -> dict[str, dict[str, list[str]]]:
    """Every filter value's label, [Japanese, English], by filter: what the search page shows
    for a value (the values themselves are keys, the same in both languages)."""
    out: dict[str, dict[str, list[str]]] = {name: {} for name in FILTERS}
    out["kind"] = {key: list(names) for key, names in KINDS.items()}
    out["type"] = {key: list(names) for key, names in TYPE_LABELS.items()}
    out["period"] = {ja: [ja, en] for ja, en, _start, _end in PERIODS}
    out["rights"] = {key: [ja, en] for _part, key, ja, en in RIGHTS} | {"other": ["その他", "Other"]}
    for record in records:
        for name, names in (("artist", record.artists), ("series", [record.series] if record.series else []),
                            ("place", [record.place] if record.place else [])):
            for n in names:
                out[name].setdefault(n.key, [n.label("ja"), n.label("en")])
    return out


def weighted(document: Document) -> dict[str, float]:
    """Each term of a document once, with its weight: the sum of the weights of the fields
    holding it, at most MAX_WEIGHT (Pagefind's largest), in the order the terms come."""
    out: dict[str, float] = {}
    for name in FIELDS:
        for term in document.terms[name]:
            out[term] = out.get(term, 0.0) + WEIGHTS[name]
    return {term: min(weight, MAX_WEIGHT) for term, weight in out.items()}


def html(document: Document) -> str:
    """The page Pagefind indexes for a document: its terms as index words (normalise.encode),
    each once, in one paragraph per weight (data-pagefind-weight), then its metadata and
    filters, which Pagefind reads but does not count as the page's text (data-pagefind-ignore)."""
    by_weight: dict[float, list[str]] = {}
    for term, weight in weighted(document).items():
        by_weight.setdefault(weight, []).append(normalise.encode(term))
    blocks = [f'<p data-pagefind-weight="{weight:g}">{" ".join(words)}</p>' if weight != 1 else f"<p>{' '.join(words)}</p>"
              for weight, words in sorted(by_weight.items(), reverse=True)]
    tags = [f'<span data-pagefind-meta="{key}">{escape(value)}</span>' for key, value in document.meta.items()]
    tags += [f'<span data-pagefind-filter="{key}">{escape(value)}</span>'
             for key, values in document.filters.items() for value in values]
    return ('<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"></head><body><main data-pagefind-body>'
            f'{"".join(blocks)}<div data-pagefind-ignore>{"".join(tags)}</div></main></body></html>\n')


# --- text of lessons and classes --------------------------------------------------------------
def _made(key: str, url: str, kind: str, meta: dict, texts: dict[str, list[tuple[str, str | None]]]) -> Document:
    def make() -> dict[str, list[str]]:
        return {name: [t for text, hand in pairs if text for t in normalise.terms(text, hand)]
                for name, pairs in texts.items()}

    filters = {"kind": [kind]}
    source = json.dumps(texts, ensure_ascii=False)
    return Document(key, url, kind, _kept(meta), filters, make, hashlib.sha256(source.encode("utf-8")).hexdigest())


def _both(text) -> list[tuple[str, None]]:
    """A language map's texts (or a plain string, or nothing)."""
    if text is None:
        return []
    if isinstance(text, str):
        return [(text, None)]
    return [(text.ja, None), (text.en or "", None)]


_FURIGANA = re.compile(r"\{([^{}|\n]+)\|([^{}|\n]+)\}")
_PICTURE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAB = re.compile(r"^\s*///\s*(?:tab\s*\|)?", re.MULTILINE)


def _markdown_texts(body: str) -> list[tuple[str, str | None]]:
    """A lesson body as the text a reader sees: furigana as the word and its reading, a
    picture by what it shows, a link by its text (an address is not the lesson's text)."""
    readings = [(base, reading) for base, reading in _FURIGANA.findall(body)]
    text = _FURIGANA.sub(lambda m: m.group(1), body)
    text = _PICTURE_OR_LINK.sub(lambda m: m.group(1), text)
    text = _TAB.sub(" ", text)
    return [(text, None), *readings]


def _kept(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v}
