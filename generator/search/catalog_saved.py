"""The saved catalogue, kept up to date record by record.

A build (and `sitegen search` when records, lessons or courses changed) calls refresh(). It
keeps beside the whoosh index what each record gave last time (a hash of the record and of
its document, its part of the reading table, the terms related() compares) and each lesson's
and class's document digest, so that after an edit only the changed documents are analysed
and put into the index, and the reading table, related items and facets are recomputed from
the kept parts. Those three depend on the records alone, never
on how the index happens to be laid out, so they are exactly what a clean build gives.

What is saved is written in a new folder that replaces the catalogue whole when complete
(cache.new_folder): a build killed midway leaves the last catalogue whole.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Sequence

from whoosh import index

from ..cache import new_folder, remove_leftovers
from . import catalog, normalise, table
from .documents import Document
from .records import SearchRecord

ENTRIES = "records.json"  # what each record gave: see Entry
DERIVED = "derived.json"  # the key of the records it was made from, related items, facets
READINGS = "readings.json"  # the reading table (also read by `sitegen search`)
# Share of deleted documents in the index above which an update merges it into one segment.
MERGE_AT = 0.1
_BROKEN = (OSError, ValueError, KeyError, TypeError, EOFError, index.IndexError, pickle.UnpicklingError)


class Entry(NamedTuple):
    """What one record (or lesson or class page) gave the catalogue, kept while it stays the same."""

    record: str  # hash of the record: the item and the names, facets found for it (of a page: its digest)
    document: str  # hash of its whoosh document
    profile: catalog.Profile
    readings: list[tuple[str, str]]  # its part of the reading table, in order (saved as lists)

    @classmethod
    def load(cls, row: list) -> Entry:
        record, document, profile, readings = row
        return cls(record, document, catalog.Profile(*profile), readings)


@dataclass
class Catalogue:
    readings: dict[str, str]
    related: dict[str, list[str]]
    facets: dict[str, dict[str, int]]


def refresh(recs: list[SearchRecord], cache: Path, root: Path, pages: Sequence[Document] = ()) -> Catalogue:
    """The reading table, related items and facets of these records, with the saved
    catalogue (of these records and the lessons' and classes' documents, `pages`) brought up
    to date: reused when nothing changed, updated document by document when some did, built
    afresh when there is none (or it cannot be read)."""
    with gc_paused():
        return _refresh(recs, cache, root, list(pages))


@contextlib.contextmanager
def gc_paused():
    """Python's cycle collector off meanwhile. Making hundreds of thousands of small objects
    (the saved entries, the records) would set it off again and again, and each time it
    walks the whole build's heap (every loaded item). Nothing made here holds a cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _refresh(recs: list[SearchRecord], cache: Path, root: Path, pages: list[Document]) -> Catalogue:
    folder = catalog.folder_for(cache)
    hashes = [r.digest() for r in recs]
    key = hashlib.sha256("\0".join([catalog.VERSION, *(f"{r.id}:{h}" for r, h in zip(recs, hashes)),
                                    *(f"{p.key}:{p.digest}" for p in pages)]).encode("utf-8")).hexdigest()
    reused = _unchanged(folder, key, root)
    if reused:
        # Nothing to update; a command killed while it wrote a catalogue left its folder beside it.
        remove_leftovers(folder)
        return reused
    saved = _saved_entries(folder)
    entries: dict[str, Entry] = {}
    documents: dict[str, dict] = {}  # of the records analysed now
    for r, h in zip(recs, hashes):
        entry = saved.get(r.id)
        if entry is None or entry.record != h:
            terms = r.terms()
            documents[r.id] = document = catalog._document(r, terms)
            entry = Entry(h, _hash(document), catalog.profile(r, terms, document), table.record_readings(r))
        entries[r.id] = entry
    for page in pages:
        entry = saved.get(page.key)
        if entry is None or entry.record != page.digest:
            documents[page.key] = catalog.page_document(page)
            entry = Entry(page.digest, page.digest, catalog.Profile("", "", ""), [])
        entries[page.key] = entry
    result = Catalogue(
        readings=normalise.merge_readings(entries[r.id].readings for r in recs),
        related=catalog.related(recs, profiles={item_id: e.profile for item_id, e in entries.items()}),
        facets=catalog.facets(recs),
    )
    with new_folder(folder) as fresh:
        if not (saved and _updated(folder, fresh, saved, entries, documents)):
            shutil.rmtree(fresh / "index", ignore_errors=True)
            by_id = {r.id: r for r in recs}
            catalog.build(recs, fresh / "index",
                          [documents.get(item_id) or catalog._document(by_id[item_id]) for item_id in by_id], pages)
        catalog.write_file(fresh / ENTRIES, json.dumps(
            {"version": catalog.VERSION, "records": entries},
            ensure_ascii=False, separators=(",", ":")))
        catalog.write_file(fresh / READINGS, json.dumps(result.readings, ensure_ascii=False))
        catalog.write_file(fresh / DERIVED, json.dumps({"key": key, "related": result.related, "facets": result.facets},
                                                       ensure_ascii=False, separators=(",", ":")))
        catalog.write_file(fresh / "FINGERPRINT", catalog.fingerprint(root))
    return result


def _hash(document: dict) -> str:
    return hashlib.sha1(json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _unchanged(folder: Path, key: str, root: Path) -> Catalogue | None:
    """What was derived last time, when it was derived from these very records."""
    try:
        derived = json.loads((folder / DERIVED).read_text(encoding="utf-8"))
        if derived["key"] != key or not index.exists_in(str(folder / "index")):
            return None
        readings = json.loads((folder / READINGS).read_text(encoding="utf-8"))
        stamp = folder / "FINGERPRINT"
        fingerprint = catalog.fingerprint(root)
        if not stamp.is_file() or stamp.read_text(encoding="utf-8") != fingerprint:
            # Files touched, records the same: `sitegen search` may keep using this catalogue.
            catalog.write_file(stamp, fingerprint)
        return Catalogue(readings, derived["related"], derived["facets"])
    except _BROKEN:
        return None


def _saved_entries(folder: Path) -> dict[str, Entry]:
    """The entries of the saved catalogue, or none when there is no usable one."""
    try:
        saved = json.loads((folder / ENTRIES).read_text(encoding="utf-8"))
        if saved["version"] != catalog.VERSION or not index.exists_in(str(folder / "index")):
            return {}
        return {item_id: Entry.load(row) for item_id, row in saved["records"].items()}
    except _BROKEN:
        return {}


def _updated(folder: Path, fresh: Path, saved: dict[str, Entry], entries: dict[str, Entry],
             documents: dict[str, dict]) -> bool:
    """A copy of the saved index in fresh, with the records that left deleted and those whose
    document changed put in again. False when the saved index could not be used."""
    try:
        shutil.copytree(folder / "index", fresh / "index", ignore=shutil.ignore_patterns("*LOCK*"))
        ix = index.open_dir(str(fresh / "index"))
        gone = [item_id for item_id in saved if item_id not in entries]
        changed = [item_id for item_id, e in entries.items()
                   if item_id not in saved or saved[item_id].document != e.document]
        if not gone and not changed:
            return True
        writer = ix.writer()
        try:
            for item_id in gone:
                writer.delete_by_term("id", item_id)
            for item_id in changed:
                writer.update_document(**documents[item_id])
        except BaseException:
            writer.cancel()
            raise
        deleted = ix.doc_count_all() - ix.doc_count() + len(gone) + len(changed)
        writer.commit(optimize=deleted > MERGE_AT * max(1, len(entries)))
        ix.close()
        return True
    except _BROKEN:
        return False
