"""The whoosh catalogue of the search documents (documents.py), built at build time with the
normaliser's terms.

It answers librarians' queries (`sitegen search`, ranked as the search page ranks: ranking.py,
with field queries such as `artist:北斎 type:map`), picks related items for each item page and
counts the items under each filter value (`sitegen search --facets`). It holds every searchable page (items, lessons, classes:
they count in the search page's ranking) and lists items only. Terms are made by
normalise.terms(), never by whoosh's own analysers: the default analyser and word segmenters
miss 富士 inside 富士山.
"""
from __future__ import annotations

import hashlib
import heapq
import json
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from whoosh import fields, index, query as Q, sorting
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.filedb.filestore import RamStorage

from ..cache import write_atomic
from ..models.archive import TYPE_LABELS
from . import normalise, ranking
from .documents import FIELDS as TEXT_FIELDS, Document
from .records import PERIODS, RIGHTS, SearchRecord

VERSION = "5"  # bump when the normaliser's output or related() changes: cached catalogues are rebuilt
# Field queries a librarian can type, in either language, to the field they search.
FIELD_NAMES = {
    "artist": "artist", "creator": "artist", "作者": "artist", "絵師": "artist",
    "series": "series", "シリーズ": "series", "title": "title", "題": "title", "題名": "title",
    "place": "place", "場所": "place", "subject": "subjects", "主題": "subjects",
    "type": "type", "種類": "type", "period": "period", "時代": "period", "rights": "rights", "利用条件": "rights",
}
FACETS = ("type", "artist_key", "series_key", "period", "place_key", "rights")


def schema() -> fields.Schema:
    terms = lambda: fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)  # noqa: E731
    return fields.Schema(
        id=fields.ID(stored=True, unique=True), kind=fields.ID(stored=True),
        title_ja=fields.STORED, title_en=fields.STORED,
        type=fields.ID(stored=True), period=fields.ID(stored=True), rights=fields.ID(stored=True),
        artist_key=fields.KEYWORD(stored=True, commas=True), series_key=fields.ID(stored=True),
        place_key=fields.ID(stored=True),
        **{name: terms() for name in TEXT_FIELDS},
    )


def _document(record: SearchRecord, terms: dict[str, list[str]] | None = None) -> dict:
    terms = record.terms() if terms is None else terms
    # Each term once per field: whether a field has it matters, how often hardly (short texts).
    doc = {name: " ".join(dict.fromkeys(terms.get(name, []))) for name in TEXT_FIELDS}
    return dict(
        doc,
        id=record.id, kind="item", title_ja=record.item.title.ja, title_en=record.item.title.en or "",
        type=record.item.type, period=record.period[0] if record.period else "",
        rights=record.rights[0], artist_key=",".join(a.key for a in record.artists),
        series_key=record.series.key if record.series else "", place_key=record.place.key if record.place else "",
    )


def page_document(document: Document) -> dict:
    """The catalogue's document of a lesson or class page (items: _document)."""
    return dict({name: " ".join(document.terms[name]) for name in TEXT_FIELDS}, id=document.key,
                kind=document.kind, title_ja=document.meta.get("title", ""), title_en=document.meta.get("title_en", ""))


class Profile(NamedTuple):
    """What related() compares of an item's text: the words it asks about (the most
    distinctive of its title and subjects) and the words its title and subjects hold. Each
    is a space-separated list of terms (terms hold no spaces), so a build can keep it."""

    key: str
    title: str
    subjects: str


def profile(record: SearchRecord, terms: dict[str, list[str]] | None = None,
            document: dict | None = None) -> Profile:
    terms = record.terms() if terms is None else terms
    document = _document(record, terms) if document is None else document
    key = list(dict.fromkeys(t for t in terms["title"] + terms["subjects"] if len(t) > 1))[:24]
    return Profile(" ".join(key), document["title"], document["subjects"])


def build(records: list[SearchRecord], folder: Path | None = None, documents: list[dict] | None = None,
          pages: list[Document] = ()) -> index.Index:
    """Write the catalogue into folder (replaced), or into memory when folder is None;
    documents, when given, are the records' _document()s; pages are the lessons' and classes'."""
    if folder is None:
        ix = RamStorage().create_index(schema())
    else:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        ix = index.create_in(str(folder), schema())
    writer = ix.writer(limitmb=256)
    for document in documents if documents is not None else map(_document, records):
        writer.add_document(**document)
    for page in pages:
        writer.add_document(**page_document(page))
    writer.commit()
    return ix


# The folders whose files the catalogue is made from (records and authorities, lessons,
# courses and venues), and the ending of those files.
SOURCES = (("archive", ".yml"), ("lessons", ".md"), ("lessons/schedule", ".yml"), ("lessons/schedule/courses", ".yml"))


def fingerprint(root: Path) -> str:
    """Changes whenever a record, authority, lesson, course or venue file changes: the CLI
    then updates the catalogue."""
    h = hashlib.sha256(VERSION.encode())
    for folder, ending in SOURCES:
        try:
            with os.scandir(root / folder) as entries:  # (not Paths: 10,000 files, every build)
                found = sorted((e.name, e.stat()) for e in entries
                               if e.name.endswith(ending) and not e.name.startswith(".") and e.is_file())
        except OSError:
            found = []
        h.update(f"{folder}/".encode())
        for name, st in found:
            h.update(f"{name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:20]


def folder_for(cache: Path) -> Path:
    return cache / "catalog"


def write_file(path: Path, text: str) -> None:
    """Never half a file, and a file linked or copied from an older catalogue is replaced,
    not changed (cache.write_atomic)."""
    write_atomic(path, text)


def open_index(cache: Path) -> index.Index:
    return index.open_dir(str(folder_for(cache) / "index"))


def open_saved(cache: Path, root: Path) -> tuple[index.Index, dict[str, str]] | None:
    """The cached catalogue and reading table, if no record changed since they were built."""
    folder = folder_for(cache)
    stamp = folder / "FINGERPRINT"
    if (stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint(root)
            and index.exists_in(str(folder / "index")) and (folder / "readings.json").is_file()):
        return open_index(cache), json.loads((folder / "readings.json").read_text(encoding="utf-8"))
    return None


# --- queries ----------------------------------------------------------------------------
def _keyword_value(field: str, value: str) -> list[str]:
    """type:地図 and type:map, period:江戸 and period:edo, rights:cc0 …: codes a word may mean."""
    v = normalise.fold(value)
    if field == "type":
        options = [(code, (code, ja, en)) for code, (ja, en) in TYPE_LABELS.items()]
    elif field == "period":
        options = [(ja, (ja, en)) for ja, en, _s, _e in PERIODS]
    else:
        options = [(key, (key, ja, en)) for _p, key, ja, en in RIGHTS]
    return [code for code, names in options if any(v and v in normalise.fold(n) for n in names)] or [value]


@dataclass
class Parsed:
    terms: list[str]  # the normaliser's terms of the whole query, each once (as the search page asks)
    fields: list[tuple[str, list[str]]]  # field queries: (field, its terms), e.g. artist:北斎
    codes: list[tuple[str, list[str]]]  # type:, period:, rights: (field, the codes a value may mean)
    words: list[str]  # the free words, for messages


def parse(text: str, table: dict[str, str]) -> Parsed:
    """Plain words are the search page's query; field:value narrows to one field."""
    parsed = Parsed([], [], [], [])
    for token in normalise.fold(text).split():
        name, sep, value = token.partition(":")
        field = FIELD_NAMES.get(name) if sep and value else None
        if field in ("type", "period", "rights"):
            parsed.codes.append((field, _keyword_value(field, value)))
            continue
        terms = normalise.query_terms(value if field else token, table)
        if field:
            parsed.fields.append((field, terms))
        else:
            parsed.words.append(token)
        parsed.terms.extend(terms)
    parsed.terms = list(dict.fromkeys(parsed.terms))
    return parsed


@dataclass
class Hit:
    id: str
    title_ja: str
    title_en: str
    type: str
    score: float


def _ranked(searcher, parsed: Parsed, kind: str | None = "item") -> list[ranking.Scored]:
    """The documents a parsed query finds (of one kind, or all), best first."""
    if not parsed.terms and not parsed.codes:
        return []
    reader = searcher.reader()
    within: dict[str, set[int]] = {}
    for field, terms in parsed.fields:
        for term in terms:
            # A field query's term must be in that field (matched there as anywhere else).
            docs = {s.docnum for s in ranking.rank(reader, [term], fields=(field,))}
            within[term] = within[term] & docs if term in within else docs
            if not within[term]:
                return []
    if parsed.terms:
        scored = ranking.rank(reader, parsed.terms, within)
    else:
        scored = [ranking.Scored(docnum, 0.0) for docnum in reader.all_doc_ids()]
    keep = None
    for field, codes in parsed.codes:
        docs = {docnum for code in codes for docnum in searcher.docs_for_query(Q.Term(field, code))}
        keep = docs if keep is None else keep & docs
    if kind is not None:
        docs = set(searcher.docs_for_query(Q.Term("kind", kind)))
        keep = docs if keep is None else keep & docs
    return [s for s in scored if keep is None or s.docnum in keep]


def search(ix: index.Index, text: str, table: dict[str, str], limit: int | None = 20) -> tuple[list[Hit], int]:
    """The items a query finds, best first (as the search page lists them), and how many."""
    parsed = parse(text, table)
    with ix.searcher() as s:
        found = _ranked(s, parsed)
        hits = []
        for scored in found[:limit] if limit is not None else found:
            f = s.stored_fields(scored.docnum)
            hits.append(Hit(f["id"], f["title_ja"], f["title_en"], f.get("type", ""), scored.score))
        return hits, len(found)


def other_pages(ix: index.Index, text: str, table: dict[str, str]) -> int:
    """How many lessons and classes the search page lists for a query besides the items."""
    parsed = parse(text, table)
    if parsed.fields or parsed.codes:
        return 0  # (field queries are the command line's: the search page has none)
    with ix.searcher() as s:
        return sum(1 for scored in _ranked(s, parsed, kind=None) if s.stored_fields(scored.docnum)["kind"] != "item")


def facet_counts(ix: index.Index, text: str | None = None, table: dict[str, str] | None = None) -> dict[str, dict[str, int]]:
    """How many items each filter value holds (of all items, or of a query's results)."""
    counts: dict[str, dict[str, int]] = {}
    with ix.searcher() as s:
        only = None
        if text:
            only = {scored.docnum for scored in _ranked(s, parse(text, table or {}))}
        facets = {name: sorting.FieldFacet(name, allow_overlap=name == "artist_key") for name in FACETS}
        results = s.search(Q.Term("kind", "item"), limit=None, groupedby=facets, filter=only)
        for name in FACETS:
            groups = results.groups(name)
            counts[name] = {k: len(v) for k, v in groups.items() if k}
    return counts


def facets(records: list[SearchRecord]) -> dict[str, dict[str, int]]:
    """facet_counts() of the whole catalogue, from the records: the same counts in the same
    order (values as first met, in record order), whatever state the saved index is in."""
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for record in records:
        document = _facet_values(record)
        for name in FACETS:
            value = document[name]
            # artist_key holds several (whoosh gives a document's terms in sorted order).
            for key in sorted({k.strip() for k in value.split(",")}) if name == "artist_key" else [value]:
                if key:
                    counts[name][key] = counts[name].get(key, 0) + 1
    return counts


def _facet_values(record: SearchRecord) -> dict[str, str]:
    return dict(type=record.item.type, period=record.period[0] if record.period else "", rights=record.rights[0],
                artist_key=",".join(a.key for a in record.artists),
                series_key=record.series.key if record.series else "",
                place_key=record.place.key if record.place else "")


# --- related items ----------------------------------------------------------------------
SIMILAR_FIELDS = ("title", "subjects")
SIMILAR_WORK = 500  # postings one item's similarity question may read: its rarest terms first
SIMILAR_CANDIDATES = 3  # × limit: the best similar items of each item offered before the cap
SIMILAR_CAP = 2  # × limit: how many items may list one item as similar


def related(records: list[SearchRecord], limit: int = 6,
            profiles: dict[str, Profile] | None = None) -> dict[str, list[str]]:
    """Related items per item: its neighbours in the same series, then by the same artist,
    then of the same place; then items of similar title and subjects.

    Neighbours are the nearest items in date order (then id), after, before, after …: each
    page shows the works around its own, not the first few of a big group. An item is so
    listed only by items less than 2 × limit places from it in a group it shares with them
    (at most 4 × limit per group, about limit in practice), and as a similar item by at most
    SIMILAR_CAP × limit others: one edited record re-renders a few pages, not thousands.
    The answer depends on the records alone (never on the saved index), so a build that
    updates the catalogue gets what a clean build gets.
    """
    members: dict[tuple[str, str], list[str]] = {}
    for r in records:
        for group in _groups(r):
            members.setdefault(group, []).append(r.id)
    order = {r.id: _date_order(r) for r in records}
    position: dict[tuple[tuple[str, str], str], int] = {}
    for group, ids in members.items():
        ids.sort(key=order.__getitem__)
        position.update(((group, item_id), i) for i, item_id in enumerate(ids))
    out: dict[str, list[str]] = {}
    for r in records:
        picks: list[str] = []
        for group in _groups(r):
            for other in _neighbours(members[group], position[group, r.id]):
                if len(picks) >= limit:
                    break
                if other not in picks:
                    picks.append(other)
        out[r.id] = picks
    short = [r for r in records if len(out[r.id]) < limit]
    if short:
        if profiles is None:
            profiles = {r.id: profile(r) for r in records}
        _add_similar(records, short, out, limit, profiles)
    return out


def _groups(record: SearchRecord) -> list[tuple[str, str]]:
    groups = [("series", record.series.key)] if record.series else []
    groups += [("artist", a.key) for a in record.artists]
    groups += [("place", record.place.key)] if record.place else []
    return list(dict.fromkeys(groups))


def _date_order(record: SearchRecord) -> tuple:
    start = record.item.date.start if record.item.date else None
    return (start is None, start or 0, record.id)


def _neighbours(ids: list[str], i: int):
    """ids[i + 1], ids[i - 1], ids[i + 2], ids[i - 2] … while either side has more."""
    for step in range(1, len(ids)):
        if i + step >= len(ids) and i - step < 0:
            return
        if i + step < len(ids):
            yield ids[i + step]
        if i - step >= 0:
            yield ids[i - step]


def _add_similar(records: list[SearchRecord], short: list[SearchRecord], out: dict[str, list[str]], limit: int,
                 profiles: dict[str, Profile]) -> None:
    """Fill the short lists with the items sharing the most distinctive terms of each item's
    title and subjects. A term weighs 1 + log2(items / items having it), in whole numbers, so
    that one record more or less seldom reorders other items' picks; of equal scores the
    nearest in date order wins, so equally similar items are shared out rather than the same
    few listed everywhere. Terms held by more than SIMILAR_WORK items (together) say little
    and are not asked about. An item is picked as similar for at most SIMILAR_CAP × limit
    others (the best-scoring pairs first)."""
    postings: dict[tuple[str, str], list[str]] = {}
    for r in records:
        p = profiles[r.id]
        for field, terms in zip(SIMILAR_FIELDS, (p.title, p.subjects)):
            for term in terms.split():
                postings.setdefault((field, term), []).append(r.id)
    n = len(records)
    rank = {r.id: i for i, r in enumerate(sorted(records, key=_date_order))}
    pairs: list[tuple[int, int, str, str]] = []
    for r in short:
        asked = sorted((len(postings[field, term]), field, term) for term in profiles[r.id].key.split()
                       for field in SIMILAR_FIELDS if (field, term) in postings)
        scores: dict[str, int] = defaultdict(int)
        work = 0
        for count, field, term in asked:
            work += count
            if work > SIMILAR_WORK:
                break
            weight = (n // count).bit_length()
            for other in postings[field, term]:
                scores[other] += weight
        taken = {r.id, *out[r.id]}
        if len(scores) <= len(taken):
            continue
        # Only what can be among the best: scores as high as the wanted-th highest.
        least = heapq.nlargest(SIMILAR_CANDIDATES * limit + len(taken), scores.values())[-1]
        here = rank[r.id]
        best = heapq.nsmallest(SIMILAR_CANDIDATES * limit, [(-score, abs(rank[other] - here), other)
                                                            for other, score in scores.items()
                                                            if score >= least and other not in taken])
        pairs += [(score, distance, r.id, other) for score, distance, other in best]
    pairs.sort()
    chosen: dict[str, int] = {}
    for _score, _distance, item_id, other in pairs:
        if len(out[item_id]) < limit and chosen.get(other, 0) < SIMILAR_CAP * limit:
            out[item_id].append(other)
            chosen[other] = chosen.get(other, 0) + 1
