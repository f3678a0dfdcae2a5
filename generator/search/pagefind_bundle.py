"""Make a Pagefind bundle's bytes depend on its pages alone.

Pagefind (1.5) writes the values of each filter, the list of filters in the language's
metadata and the languages in pagefind-entry.json in hash-map order, which changes from run
to run; the files named by their content hash (filter/*.pf_filter, pagefind.*.pf_meta) then
change name too. The index chunks and fragments are already stable. Here those three are put
in a fixed order and the files renamed by Pagefind's own rule (the SHA-1 of the CBOR, its
bytes in unpadded hex, cut short), so that the same pages always give the same files: a
bundle re-made for a changed shard equals the one a clean build makes.

A bundle of a shape this does not know (a later Pagefind) is left as Pagefind wrote it: it
still works, only not byte for byte (tests/test_pagefind_shards.py says so).
"""
from __future__ import annotations

import bisect
import gzip
import hashlib
import json
import re
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class UnknownFormat(ValueError):
    """The bundle is not laid out as Pagefind 1.5 lays it out."""


def canonicalise(bundle: Path) -> bool:
    """Rewrite the bundle in place in a fixed order; False (and untouched) if its format is unknown."""
    try:
        plan = _plan(bundle)
    except (UnknownFormat, OSError, ValueError, KeyError, IndexError, TypeError):
        return False
    entry, writes, removals = plan
    for path, data in writes.items():
        _write(path, data)
    for path in removals - set(writes):
        path.unlink(missing_ok=True)
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                 encoding="utf-8")
    return True


def _plan(bundle: Path) -> tuple[dict, dict[Path, bytes], set[Path]]:
    """Everything to write and remove, worked out before anything is changed."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    writes: dict[Path, bytes] = {}
    removals: set[Path] = set()
    languages = {}
    for lang, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = decode(_read(meta_path))
        if not (isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list)):
            raise UnknownFormat(meta_path.name)
        named = []
        for pair in meta[3]:
            name, old = pair
            path = bundle / "filter" / f"{old}.pf_filter"
            data = decode(_read(path))
            if not (isinstance(data, list) and len(data) == 2 and data[0] == name and isinstance(data[1], list)):
                raise UnknownFormat(path.name)
            data[1] = sorted(data[1], key=lambda value: value[0])
            raw = encode(data)
            new = f"{old.rsplit('_', 1)[0]}_{_name(raw, 7)}"
            writes[bundle / "filter" / f"{new}.pf_filter"] = raw
            removals.add(path)
            named.append([name, new])
        meta[3] = sorted(named)
        raw = encode(meta)
        hashed = f"{info['hash'].rsplit('_', 1)[0]}_{_name(raw, 10)}"
        writes[bundle / f"pagefind.{hashed}.pf_meta"] = raw
        removals.add(meta_path)
        languages[lang] = {**info, "hash": hashed}
    entry["languages"] = languages
    return entry, writes, removals


def _name(raw: bytes, length: int) -> str:
    """Pagefind's file name for content: the SHA-1's bytes in hex without padding, cut short."""
    return _hex(hashlib.sha1(raw).digest(), length)


def _hex(digest: bytes, length: int) -> str:
    return "".join(f"{b:x}" for b in digest)[:length]


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        data = gzip.decompress(data)
    if not data.startswith(SIGNATURE):
        raise UnknownFormat(path.name)
    return data[len(SIGNATURE):]


def _write(path: Path, raw: bytes) -> None:
    # mtime=0: the gzip header then holds nothing but the bytes. (Level 9 would save 1% and
    # take ten times as long.)
    path.write_bytes(gzip.compress(SIGNATURE + raw, compresslevel=6, mtime=0))


# ---- smaller index chunks ------------------------------------------------------------------
# A query reads, for each of its terms, the chunk of the index that holds it, in every shard.
# Pagefind makes chunks of some 15 KB (gzipped) whatever the index's size, so five shards
# would cost a query five times that per term. Cut smaller, a chunk is little more than the
# term's own pages (which one index would send too).
#
# Pagefind finds a term's chunk by the chunks' [from, to] ranges, strictly if one holds the
# term, else loosely: every chunk whose range, cut to the term's length, holds it. A query of
# one character (qj + 3 digits: see pagefind.encode) finds its words as extensions, all of
# which begin with it; so where a character's words run over more than one chunk, the first
# of those chunks starts its range just after the character itself (qjXXX0): no chunk then
# holds the character strictly, and Pagefind loads them all.

def rechunk(bundle: Path, target: int) -> bool:
    """Cut the bundle's index chunks to about `target` bytes of CBOR each; False (and
    untouched) if its format is unknown."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        plans = {lang: _rechunk_plan(bundle, info["hash"], lang, target) for lang, info in entry["languages"].items()}
    except (UnknownFormat, OSError, ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
        return False
    for lang, (meta_path, meta, chunks, old) in plans.items():
        for name, raw in chunks.items():
            _write(bundle / "index" / f"{name}.pf_index", raw)
        for path in old:
            if path.stem not in chunks:
                path.unlink()
        hashed = f"{lang}_{_name(meta, 10)}"
        meta_path.unlink()
        _write(bundle / f"pagefind.{hashed}.pf_meta", meta)
        entry["languages"][lang]["hash"] = hashed
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                 encoding="utf-8")
    return True


def _rechunk_plan(bundle: Path, lang_hash: str, lang: str, target: int):
    meta_path = bundle / f"pagefind.{lang_hash}.pf_meta"
    meta_raw = _read(meta_path)
    entries: list[tuple[str, bytes]] = []
    old = []
    for _, _, name in chunk_ranges(bundle, lang_hash):
        path = bundle / "index" / f"{name}.pf_index"
        old.append(path)
        entries.extend(_entries(_read(path)))
    chunks: dict[str, bytes] = {}
    ranges: list[list[str]] = []
    group: list[tuple[str, bytes]] = []

    def close(start: str | None = None) -> None:
        if group:
            head = bytearray([0x81])
            _head(4, len(group), head)
            raw = bytes(head) + b"".join(d for _, d in group)
            name = f"{lang}_{_name(raw, 7)}"
            chunks[name] = raw
            ranges.append([start or group[0][0], group[-1][0], name])
            group.clear()

    for key, run in _runs(entries):
        size = sum(len(d) for _, d in run)
        if group and sum(len(d) for _, d in group) + size > target:
            close()
        if size <= target:
            group.extend(run)
            continue
        # A run too large for one chunk: chunks of its own, the first starting just after
        # the run's key, so that a query of the key itself finds them all (see above).
        first = True
        for i, (word, data) in enumerate(run):
            if group and sum(len(d) for _, d in group) >= target and not word.startswith(run[i - 1][0]):
                close(key + "0" if first else None)
                first = False
            group.append((word, data))
        close(key + "0" if first else None)
    close()
    return meta_path, with_chunks(meta_raw, ranges), chunks, old


def _runs(entries: list[tuple[str, bytes]]):
    """The entries in runs that a query of one word finds together: an encoded character's
    words (qj + 3 digits, qk + 4: see pagefind.encode), or a word and its extensions. Yields
    (the run's key: what every word of it begins with, its entries)."""
    run: list[tuple[str, bytes]] = []
    key = ""
    for word, data in entries:
        if run and not word.startswith(key):
            yield key, run
            run = []
        if not run:
            key = word[:5] if word.startswith("qj") else word[:6] if word.startswith("qk") else word
        run.append((word, data))
    if run:
        yield key, run


_ENTRY = re.compile(rb"\x83(?=[\x60-\x7b])")


def _entries(raw: bytes) -> list[tuple[str, bytes]]:
    """An index chunk's entries, (word, its CBOR), in order. An entry is [word, pages,
    variants]; it is found by its start (an array of three, then a text), which nothing inside
    the pages can look like (small numbers only) — and the count must come out right."""
    if raw[0] != 0x81 or raw[1] >> 5 != 4 or (raw[1] & 31) > 27:
        raise UnknownFormat("index chunk")
    info = raw[1] & 31
    width = {24: 1, 25: 2, 26: 4, 27: 8}.get(info, 0)
    count = info if info < 24 else int.from_bytes(raw[2:2 + width], "big")
    starts = []
    for match in _ENTRY.finditer(raw, 2 + width):
        at = match.start()
        if starts and at < starts[-1][1]:
            continue  # inside the word just read
        try:
            text, end = _decode(raw, at + 1)
        except UnicodeDecodeError:
            continue
        if isinstance(text, str) and end < len(raw) and raw[end] >> 5 == 4:
            starts.append((at, end, text))
    if len(starts) != count or (starts and starts[0][0] != 2 + width):
        raise UnknownFormat("index chunk entries")
    bounds = [s[0] for s in starts] + [len(raw)]
    return [(word, raw[bounds[i]:bounds[i + 1]]) for i, (_, _, word) in enumerate(starts)]


# ---- a shard's index completed with the words of the other shards ---------------------------
# In one index, a query term that no page has is left out of the query, or stands for the
# longest word it begins with (Pagefind's own rules). With the index in shards, each shard
# would decide that from its own words alone, and a word found only in another shard would
# be dropped there, so that shard would answer with pages that lack it. So every shard's
# index is given the words of the others, each with no page: present, matching nothing.

def chunk_ranges(bundle: Path, lang_hash: str) -> list[list[str]]:
    """[from, to, chunk name] of each index chunk of one language of a bundle."""
    meta = decode(_read(bundle / f"pagefind.{lang_hash}.pf_meta"))
    if not (isinstance(meta, list) and len(meta) > 2 and all(isinstance(c, list) and len(c) == 3 for c in meta[2])):
        raise UnknownFormat("pf_meta")
    return [list(c) for c in meta[2]]


def place_words(ranges: list[list[str]], words: list[str]) -> tuple[list[list[str]], dict[int, list[str]]]:
    """Which chunk each word goes in: one that Pagefind loads for a query of exactly that word
    (its range holds the word, or holds its start as Pagefind compares them when none holds it
    whole). A word between two chunks' ranges gets a new chunk of its own (with its neighbours
    in the same gap), so that no range widens and no other query loads other chunks than before.
    Returns the ranges (new ones named "" until written) and the words of each, by position."""
    ranges = [list(r) for r in ranges]
    froms = [r[0] for r in ranges]
    placed: dict[int, list[str]] = {}
    gaps: dict[int, list[str]] = {}  # after range i (-1: before the first)
    for word in sorted(words):
        i = bisect.bisect_right(froms, word) - 1
        near = [j for j in (i, i + 1, i - 1, i + 2) if 0 <= j < len(ranges)]
        target = next((j for j in near if ranges[j][0] <= word <= ranges[j][1]), None)
        if target is None:
            target = next((j for j in near if _loose(ranges[j], word)), None)
        if target is None:
            gaps.setdefault(i, []).append(word)
        else:
            placed.setdefault(target, []).append(word)
    if not gaps:
        return ranges, placed
    out_ranges, out_words = [], {}
    for i in range(-1, len(ranges)):
        if i >= 0:
            if i in placed:
                out_words[len(out_ranges)] = placed[i]
            out_ranges.append(ranges[i])
        if i in gaps:
            out_words[len(out_ranges)] = gaps[i]
            out_ranges.append([gaps[i][0], gaps[i][-1], ""])
    return out_ranges, out_words


def _loose(chunk: list[str], term: str) -> bool:
    """Pagefind's second way of finding a chunk for a term: both compared only as far as the
    shorter of the two goes."""
    start, end = chunk[0], chunk[1]
    return term[:len(start)] >= start[:len(term)] and term[:len(end)] <= end[:len(term)]


def with_words(raw: bytes | None, words: list[str]) -> bytes:
    """An index chunk (its CBOR, or None for a new one) with these words added, each with no
    pages. They go first: were a word there already, its own entry, read later, wins."""
    added = b"".join(map(_empty_entry, words))
    if raw is None:
        count, rest = 0, b""
    else:
        if raw[0] != 0x81 or raw[1] >> 5 != 4:
            raise UnknownFormat("index chunk")
        info = raw[1] & 31
        width = {24: 1, 25: 2, 26: 4, 27: 8}.get(info, 0)
        if info > 27:
            raise UnknownFormat("index chunk length")
        count = info if info < 24 else int.from_bytes(raw[2:2 + width], "big")
        rest = raw[2 + width:]
    head = bytearray([0x81])
    _head(4, count + len(words), head)
    return bytes(head) + added + rest


def _empty_entry(word: str) -> bytes:
    """encode([word, [], []]), quicker (it runs for every word a shard lacks)."""
    raw = word.encode("utf-8")
    if len(raw) < 24:
        return b"\x83" + bytes([0x60 | len(raw)]) + raw + b"\x80\x80"
    return encode([word, [], []])


def with_chunks(raw_meta: bytes, ranges: list[list[str]]) -> bytes:
    """A language's metadata (its CBOR) with another list of index chunks (its third part);
    everything else is kept byte for byte."""
    if raw_meta[0] >> 5 != 4 or (raw_meta[0] & 31) >= 24 or (raw_meta[0] & 31) < 3:
        raise UnknownFormat("pf_meta")
    i = 1
    for _ in range(2):
        _, i = _decode(raw_meta, i)  # the version and the pages: kept as they are
    _, end = _decode(raw_meta, i)
    return raw_meta[:i] + encode(ranges) + raw_meta[end:]


def file_name(lang: str, sha1: str, length: int) -> str:
    """Pagefind's name for a file whose CBOR has this SHA-1 (hex): <lang>_<hash>."""
    return f"{lang}_{_hex(bytes.fromhex(sha1), length)}"


def read(path: Path) -> bytes:
    """A Pagefind file's CBOR (without the gzip and the signature)."""
    return _read(path)


def write(path: Path, raw: bytes) -> None:
    """A Pagefind file of this CBOR, as a new file (never written through a hard link)."""
    path.unlink(missing_ok=True)
    _write(path, raw)


# ---- the little of CBOR (RFC 8949) that Pagefind writes ------------------------------------
# Maps and floats are kept as tagged tuples so that encode(decode(b)) == b.

def decode(data: bytes):
    value, end = _decode(data, 0)
    if end != len(data):
        raise UnknownFormat("trailing bytes")
    return value


def _decode(b: bytes, i: int):
    first = b[i]
    major, info = first >> 5, first & 31
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info in simple:
            return simple[info], i + 1
        width = {25: 2, 26: 4, 27: 8}.get(info)
        if width is None:
            raise UnknownFormat(f"CBOR simple value {first:#x}")
        return ("float", b[i + 1:i + 1 + width]), i + 1 + width
    i += 1
    if info >= 24:
        width = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
        if width is None:
            raise UnknownFormat(f"CBOR length {first:#x}")
        n, i = int.from_bytes(b[i:i + width], "big"), i + width
    else:
        n = info
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return bytes(b[i:i + n]), i + n
    if major == 3:
        return b[i:i + n].decode("utf-8"), i + n
    if major in (4, 5):
        items = []
        for _ in range(n * (major - 3)):
            item, i = _decode(b, i)
            items.append(item)
        if major == 4:
            return items, i
        return ("map", list(zip(items[::2], items[1::2]))), i
    raise UnknownFormat(f"CBOR major type {major}")


def encode(value) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _head(major: int, n: int, out: bytearray) -> None:
    if n < 24:
        out.append(major << 5 | n)
        return
    for info, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * width):
            out.append(major << 5 | info)
            out += n.to_bytes(width, "big")
            return
    raise UnknownFormat("integer too large")


def _encode(value, out: bytearray) -> None:
    if value is False or value is True or value is None:
        out.append({False: 0xF4, True: 0xF5, None: 0xF6}[value])
    elif isinstance(value, int):
        _head(0, value, out) if value >= 0 else _head(1, -1 - value, out)
    elif isinstance(value, bytes):
        _head(2, len(value), out)
        out += value
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        _head(3, len(raw), out)
        out += raw
    elif isinstance(value, list):
        _head(4, len(value), out)
        for item in value:
            _encode(item, out)
    elif isinstance(value, tuple) and value[0] == "map":
        _head(5, len(value[1]), out)
        for key, item in value[1]:
            _encode(key, out)
            _encode(item, out)
    elif isinstance(value, tuple) and value[0] == "float":
        out.append(0xE0 | {2: 25, 4: 26, 8: 27}[len(value[1])])
        out += value[1]
    else:
        raise UnknownFormat(f"cannot encode {type(value).__name__}")
