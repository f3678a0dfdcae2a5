"""The search page's matching and ranking, computed over the whoosh catalogue: what makes
`sitegen search` give the items the search page gives, in its order.

The search page asks Pagefind (pagefind.js) for the query's index words (normalise.encode)
with the ranking options RANKING (published to the page in search/normalise.json). With these
options, Pagefind's documented ranking (https://pagefind.app/docs/ranking/, BM25 with its
length and similarity parameters at 0) finds and ranks pages so:

- a query word matches every index word it begins (snow: snowfall); a Japanese term only
  matches itself, as no Japanese index word begins another (normalise.encode). A word that
  begins none matches the longest index word it begins with (bridges: bridge); a word that
  matches nothing at all is left out of the query;
- a page is found when it has a match for every query word left;
- its score is the sum, over the index words it has, of idf × tf, where idf = ln(1 + (N − n
  + ½) / (n + ½)) (N pages in the index, n the pages matching the query word that found the
  index word) and tf = (k + 1)·w / (k + w) (k = termSaturation, w the word's weight on the
  page: the sum of the weights of the fields holding it, at most 10 (documents.weighted); an
  index word found by several query words at once counts each of them, more heavily);
- metadata (titles, names shown in a result) is never matched: no index word is a word of it.

tests/test_search_parity.py holds the search page and this module to the same items with the
same scores in real Chromium, so an upgrade of Pagefind that ranks otherwise fails there.
Pagefind orders equal scores as it likes; here they are in catalogue order.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from .documents import FIELDS, MAX_WEIGHT, META, WEIGHTS

TERM_SATURATION = 1.4
# pagefind.options({ranking}) on the search page: everything Pagefind would weigh beyond the
# words and their fields' weights is switched off, so that the rules above are all there is.
RANKING = {"termSaturation": TERM_SATURATION, "termFrequency": 1.0, "pageLength": 0.0, "termSimilarity": 0.0,
           "diacriticSimilarity": 0.0, "metaWeights": {key: 0.0 for key in META}}


def weight_units(weight: float) -> int:
    """A weight as Pagefind counts it: in 24ths, at most 10."""
    return max(1, int(min(max(weight, 0.0), 10.0) * 24))


@dataclass
class Scored:
    docnum: int
    score: float


def rank(reader, terms: list[str], within: dict[str, set[int]] | None = None,
         fields: tuple[str, ...] = FIELDS) -> list[Scored]:
    """The documents matching every one of `terms` (the normaliser's query terms, each
    once), best first. `within`: documents a term may match in (a field query, artist:北斎)."""
    within = within or {}
    places: dict[str, dict[int, int]] = {}  # index word -> document -> its weight's units

    def live(word: str) -> bool:
        if word not in places:
            places[word] = _places(reader, word, fields)
        return bool(places[word])

    found_by: dict[str, list[int]] = defaultdict(list)  # index word -> the query terms finding it
    pages: dict[int, set[int]] = {}  # query term -> the documents it matches
    for i, term in enumerate(terms):
        words = [w for w in _extensions(reader, term, fields) if live(w)]
        if not words and term.isascii():
            words = next(([term[:end]] for end in range(len(term) - 1, 0, -1) if live(term[:end])), [])
        if not words:
            continue  # left out of the query, as Pagefind leaves it
        docs: set[int] = set()
        for w in words:
            docs.update(places[w])
            found_by[w].append(i)
        pages[i] = docs
    if not pages:
        return []
    matched = set.intersection(*(docs & within[terms[i]] if terms[i] in within else docs for i, docs in pages.items()))
    total = reader.doc_count()
    idf = {i: math.log(1 + (total - len(docs) + 0.5) / (len(docs) + 0.5)) for i, docs in pages.items()}
    scores = []
    for docnum in matched:
        score = 0.0
        for w, by in found_by.items():
            units = places[w].get(docnum)
            if not units:
                continue
            seen = len(by)
            tf = (min(255, units * seen) * seen if seen > 1 else units) / 24
            score += idf[by[0]] * (TERM_SATURATION + 1) * tf / (TERM_SATURATION + tf)
        scores.append(Scored(docnum, score))
    scores.sort(key=lambda s: (-round(s.score, 4), s.docnum))
    return scores


def _extensions(reader, term: str, fields: tuple[str, ...]) -> list[str]:
    """The catalogue's words a query term matches: itself, and for a word of letters and
    digits every word it begins."""
    if not term.isascii():
        return [term]
    found: set[str] = set()
    for name in fields:
        found.update(w.decode("utf-8") for w in reader.expand_prefix(name, term))
    return sorted(found)


def _places(reader, word: str, fields: tuple[str, ...]) -> dict[int, int]:
    """The documents holding a word in these fields, with its weight there (in units)."""
    weights: dict[int, float] = defaultdict(float)
    for name in fields:
        if (name, word) in reader:
            for docnum in reader.postings(name, word).all_ids():
                weights[docnum] += WEIGHTS[name]
    return {docnum: weight_units(min(w, MAX_WEIGHT)) for docnum, w in weights.items()}
