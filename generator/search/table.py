"""The query side's data: the archive's kanji words with their readings (so 北斎 can be read
without a dictionary), and, for the browser, every table the normaliser uses."""
from __future__ import annotations

import json

from . import kana, normalise
from .records import SearchRecord


def reading_table(records: list[SearchRecord]) -> dict[str, str]:
    """Kanji words of names, titles, series, places and subjects -> hiragana."""
    texts: list[str] = []
    for r in records:
        for key in ("title", "artist", "series", "place", "subjects"):
            texts += [text for text, _hand in r.field_texts()[key] if text]
    return normalise.vocabulary_readings(texts)


def browser_table(readings: dict[str, str]) -> str:
    """JSON for search.js: the same rules as normalise.py, as data."""
    data = {
        "itaiji": {chr(k): v for k, v in sorted(normalise.itaiji().items())},
        "romaji": kana.ROMAJI_TO_KANA,
        "small": kana.SMALL_TO_LARGE,
        "vowel": kana.VOWEL_OF,
        "long": kana.LONG_VOWEL_FOLLOWERS,
        "readings": dict(sorted(readings.items())),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
