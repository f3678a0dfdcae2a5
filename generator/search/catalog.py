"""The whoosh catalogue of the archive, built at build time with the normaliser's terms.

It answers librarians' queries (`sitegen search`, with field queries such as
`artist:北斎 type:map`), picks related items for each item page and counts facets for the
browse pages. Terms are made by normalise.terms(), never by whoosh's own analysers: the
default analyser and word segmenters miss 富士 inside 富士山.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from whoosh import fields, index, query as Q
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.filedb.filestore import RamStorage

from . import normalise
from .records import SearchRecord

VERSION = "3"  # bump when the normaliser's output changes: cached catalogues are rebuilt
TEXT_FIELDS = ("title", "artist", "series", "place", "subjects", "other")
# A word found in the artist's or series' name outranks the same word in a description.
BOOSTS = {"artist": 4.0, "series": 3.0, "title": 3.0, "place": 2.0, "subjects": 1.5, "other": 1.0}
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
        id=fields.ID(stored=True, unique=True),
        title_ja=fields.STORED, title_en=fields.STORED,
        type=fields.ID(stored=True), period=fields.ID(stored=True), rights=fields.ID(stored=True),
        artist_key=fields.KEYWORD(stored=True, commas=True), series_key=fields.ID(stored=True),
        place_key=fields.ID(stored=True),
        **{name: terms() for name in TEXT_FIELDS},
    )


def _document(record: SearchRecord) -> dict:
    terms = record.terms()
    # Each term once per field: whether a field has it matters, how often hardly (short texts).
    doc = {name: " ".join(dict.fromkeys(terms.get(name, []))) for name in TEXT_FIELDS}
    return dict(
        doc,
        id=record.id, title_ja=record.item.title.ja, title_en=record.item.title.en or "",
        type=record.item.type, period=record.period[0] if record.period else "",
        rights=record.rights[0], artist_key=",".join(a.key for a in record.artists),
        series_key=record.series.key if record.series else "", place_key=record.place.key if record.place else "",
    )


def build(records: list[SearchRecord], folder: Path | None = None) -> index.Index:
    """Write the catalogue into folder (replaced), or into memory when folder is None."""
    if folder is None:
        ix = RamStorage().create_index(schema())
    else:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        ix = index.create_in(str(folder), schema())
    writer = ix.writer(limitmb=256)
    for record in records:
        writer.add_document(**_document(record))
    writer.commit()
    return ix


def fingerprint(root: Path) -> str:
    """Changes whenever a record or authority file changes: the CLI then rebuilds."""
    h = hashlib.sha256(VERSION.encode())
    for path in sorted((root / "archive").glob("*.yml")):
        st = path.stat()
        h.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:20]


def folder_for(cache: Path) -> Path:
    return cache / "catalog"


def save(records: list[SearchRecord], readings: dict[str, str], cache: Path, root: Path) -> index.Index:
    """Build the catalogue into the cache, with the reading table the queries need. Built
    beside and swapped in, so a search running meanwhile never sees half a catalogue."""
    folder = folder_for(cache)
    fresh = folder.with_name(f"{folder.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    build(records, fresh / "index")
    (fresh / "readings.json").write_text(json.dumps(readings, ensure_ascii=False), encoding="utf-8")
    (fresh / "FINGERPRINT").write_text(fingerprint(root), encoding="utf-8")
    old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return index.open_dir(str(folder / "index"))


def open_saved(cache: Path, root: Path) -> tuple[index.Index, dict[str, str]] | None:
    """The cached catalogue and reading table, if no record changed since they were built."""
    folder = folder_for(cache)
    stamp = folder / "FINGERPRINT"
    if (stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint(root)
            and index.exists_in(str(folder / "index")) and (folder / "readings.json").is_file()):
        return index.open_dir(str(folder / "index")), json.loads((folder / "readings.json").read_text(encoding="utf-8"))
    return None


# --- queries ----------------------------------------------------------------------------
def _word_query(terms: list[str], field: str) -> Q.Query | None:
    parts: list[Q.Query] = [Q.Prefix(field, t) if len(t) == 1 else Q.Term(field, t) for t in terms]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def _keyword_value(field: str, value: str) -> list[str]:
    """type:地図 and type:map, period:江戸 and period:edo, rights:cc0 …: codes a word may mean."""
    from ..models.archive import TYPE_LABELS
    from .records import PERIODS, RIGHTS

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
    query: Q.Query | None
    words: list[str]  # the free words, for messages


def parse(text: str, table: dict[str, str]) -> Parsed:
    """Plain words must all match (in any field); field:value narrows to one field."""
    parts: list[Q.Query] = []
    words: list[str] = []
    for token in normalise.fold(text).split():
        name, sep, value = token.partition(":")
        field = FIELD_NAMES.get(name) if sep and value else None
        if field in ("type", "period", "rights"):
            parts.append(Q.Or([Q.Term(field, code) for code in _keyword_value(field, value)]))
            continue
        terms = normalise.query_terms(value if field else token, table)
        if field:
            q = _word_query(terms, field)
        else:
            words.append(token)
            # A word matches when all its terms are in one field; the field sets the score.
            alternatives = [(_word_query(terms, f), f) for f in TEXT_FIELDS]
            q = Q.Or([a.with_boost(BOOSTS[f]) for a, f in alternatives if a]) if terms else None
        if q is None:
            return Parsed(Q.NullQuery, words)
        parts.append(q)
    if not parts:
        return Parsed(None, words)
    return Parsed(parts[0] if len(parts) == 1 else Q.And(parts), words)


@dataclass
class Hit:
    id: str
    title_ja: str
    title_en: str
    type: str
    score: float


def search(ix: index.Index, text: str, table: dict[str, str], limit: int | None = 20) -> tuple[list[Hit], int]:
    parsed = parse(text, table)
    if parsed.query is None:
        return [], 0
    with ix.searcher() as s:
        results = s.search(parsed.query, limit=limit)
        hits = [Hit(r["id"], r["title_ja"], r["title_en"], r["type"], r.score) for r in results]
        return hits, len(results)


def facet_counts(ix: index.Index, text: str | None = None, table: dict[str, str] | None = None) -> dict[str, dict[str, int]]:
    """How many items each filter value holds (of all items, or of a query's results)."""
    from whoosh import sorting

    q = parse(text, table or {}).query if text else Q.Every()
    counts: dict[str, dict[str, int]] = {}
    with ix.searcher() as s:
        facets = {name: sorting.FieldFacet(name, allow_overlap=name == "artist_key") for name in FACETS}
        results = s.search(q or Q.NullQuery, limit=None, groupedby=facets)
        for name in FACETS:
            groups = results.groups(name)
            counts[name] = {k: len(v) for k, v in groups.items() if k}
    return counts


def related(ix: index.Index, records: list[SearchRecord], limit: int = 6) -> dict[str, list[str]]:
    """Related items per item: same series, then artist, then place; then similar text."""
    by_series: dict[str, list[str]] = {}
    by_artist: dict[str, list[str]] = {}
    by_place: dict[str, list[str]] = {}
    for r in records:
        if r.series:
            by_series.setdefault(r.series.key, []).append(r.id)
        for a in r.artists:
            by_artist.setdefault(a.key, []).append(r.id)
        if r.place:
            by_place.setdefault(r.place.key, []).append(r.id)
    out: dict[str, list[str]] = {}
    with ix.searcher() as s:
        for r in records:
            picks: list[str] = []
            groups = [by_series.get(r.series.key, []) if r.series else []]
            groups += [by_artist.get(a.key, []) for a in r.artists]
            groups += [by_place.get(r.place.key, []) if r.place else []]
            for group in groups:
                for other in group:
                    if other != r.id and other not in picks and len(picks) < limit:
                        picks.append(other)
            if len(picks) < limit:
                picks += _similar(s, r, picks, limit - len(picks))
            out[r.id] = picks
    return out


def _similar(searcher, record: SearchRecord, exclude: list[str], n: int) -> list[str]:
    """Items sharing the most distinctive terms of this item's title and subjects."""
    terms = record.terms()
    key = list(dict.fromkeys(t for t in terms["title"] + terms["subjects"] if len(t) > 1))[:24]
    if not key:
        return []
    q = Q.Or([Q.Term(f, t) for t in key for f in ("title", "subjects")])
    picks = []
    for hit in searcher.search(q, limit=n + len(exclude) + 1):
        if hit["id"] != record.id and hit["id"] not in exclude:
            picks.append(hit["id"])
        if len(picks) >= n:
            break
    return picks
