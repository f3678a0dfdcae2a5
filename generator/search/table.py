"""The query side's data: the archive's kanji words with their readings (so 北斎 can be read
without a dictionary), and, for the browser, every table the normaliser uses and the ranking
options of the search."""
from __future__ import annotations

import json

from . import kana, normalise
from .ranking import RANKING
from .records import SearchRecord


def reading_table(records: list[SearchRecord]) -> dict[str, str]:
    """Kanji words of names, titles, series, places and subjects -> hiragana."""
    return normalise.merge_readings(record_readings(r) for r in records)


def record_readings(record: SearchRecord) -> list[tuple[str, str]]:
    """One record's part of the reading table (kept per record by the build's cache)."""
    texts = [text for key in ("title", "artist", "series", "place", "subjects")
             for text, _hand in record.field_texts()[key] if text]
    return normalise.reading_pairs(texts)


def browser_table(readings: dict[str, str], warm: str | None = None) -> str:
    """JSON for search.js: the same rules as normalise.py, as data, the ranking options
    Pagefind is given (ranking.py ranks by the same), and the index word the page looks up
    as it opens (documents.rarest_term)."""
    data = {
        # One character to one character: two strings, the n-th of one becoming the n-th of
        # the other (half the bytes of a JSON object, which the first query downloads).
        "itaiji": _as_strings({chr(k): v for k, v in sorted(normalise.itaiji().items())}),
        "romaji": kana.ROMAJI_TO_KANA,
        "small": _as_strings(kana.SMALL_TO_LARGE),
        "voiced": _as_strings(kana.VOICED_TO_PLAIN),
        "vowel": _as_strings(kana.VOWEL_OF),
        "long": kana.LONG_VOWEL_FOLLOWERS,
        "skipped": sorted(normalise.SKIPPED),
        "readings": dict(sorted(readings.items())),
        "ranking": RANKING,
        "warm": warm,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _as_strings(mapping: dict[str, str]) -> list[str]:
    assert all(len(k) == 1 and len(v) == 1 for k, v in mapping.items())
    return ["".join(mapping), "".join(mapping.values())]
