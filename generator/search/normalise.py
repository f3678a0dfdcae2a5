"""THE normaliser: when two pieces of text are "the same" for searching.

Both sides use what this module produces: the page side (whoosh catalogue, Pagefind hidden
text) through `terms()`, the query side through `query_terms()`, and the browser through the
table that table.py exports from the same data. The rules:

- fold: NFKC (full-width letters, half-width kana), lower case, Latin accents dropped
  (Tōkaidō = Tokaido), katakana -> hiragana, old -> new kanji forms (廣 -> 広, 嶽 -> 岳) from
  pykakasi's itaiji dictionary (the maintained variant table of the KAKASI project).
- loose kana: small kana as full size, voiced as plain (rendaku: 両国橋 is read りょうごくばし,
  a dictionary may say はし), ー as the vowel before it, long vowels collapsed (とうきょう =
  ときょ = トーキョー), so Toukaidou, Tokaido and Tōkaidō meet in one form.
- readings: a hand-written `reading` first, else pykakasi's; romaji typed by a reader is
  turned into kana by Hepburn (and kunrei/wapuro) spelling, so hokusai meets ほくさい.
- terms: character bigrams of every Japanese run (the word segmenters miss 富士 inside
  富士山) and of its loose reading, each kanji alone (a one-kanji query: 波, 橋), and other
  words as they are (romaji words, and the romaji beginnings of other words, also as the
  bigrams of their kana), but for function words and words of one or two letters (see
  SKIPPED), on both sides.
- index words: encode() writes each term as one plain ASCII word for Pagefind, in a class of
  its own (bigram, single character, other word), so that only a word of letters and digits
  is ever a prefix of another (snow of snowfall) and none is a word of the page's metadata.
"""
from __future__ import annotations

import functools
import pickle
import re
import unicodedata
from typing import Iterable

from .kana import KANA_TO_ROMAJI, LONG_VOWEL_FOLLOWERS, ROMAJI_TO_KANA, SMALL_TO_LARGE, VOICED_TO_PLAIN, VOWEL_OF


# KAKASI's table folds a few forms in use today into their older forms (島 -> 嶋, 曽 -> 曾):
# harmless for matching, but the form in use is the one to keep, so those turn round.
_TODAY_FORMS = "島曽亘芦"
# Variants common in names and places that KAKASI's table lacks: (variant, form in use).
_MORE_VARIANTS = ["髙高", "﨑崎", "德徳", "瀧滝", "麴麹", "靑青", "龍竜", "﨔欅"]


@functools.cache
def itaiji() -> dict[int, str]:
    """Old (and variant) kanji form -> the form in use today, from pykakasi's data (the
    itaiji dictionary of the KAKASI project, its single-character pairs) and a few more."""
    from pykakasi.properties import Configurations  # here for start-up time, as in _kakasi()

    with open(Configurations.dictpath(Configurations.jisyo_itaiji), "rb") as f:
        raw = pickle.load(f)
    table = {k: v for k, v in raw.items() if isinstance(v, str) and len(v) == 1 and chr(k) != v}
    for today in _TODAY_FORMS:
        older = table.pop(ord(today), None)
        if older:
            table = {k: (today if v == older else v) for k, v in table.items()}
            table[ord(older)] = today
    for variant, today in _MORE_VARIANTS:
        table.setdefault(ord(variant), today)
    return table


@functools.cache
def _kakasi():
    import pykakasi  # here for start-up time: its dictionaries load only when a reading is wanted

    return pykakasi.kakasi()


_LATIN_MARKS = re.compile(r"([a-z])[\u0300-\u036f]+")


def fold(text: str) -> str:
    """The comparable form of any text (see the module's rules)."""
    text = unicodedata.normalize("NFKC", text).lower()
    # Drop accents only after Latin letters: NFD of が would otherwise lose its dakuten.
    text = unicodedata.normalize("NFC", _LATIN_MARKS.sub(r"\1", unicodedata.normalize("NFD", text)))
    text = "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)
    return text.translate(itaiji())


def is_kana(c: str) -> bool:
    return "\u3041" <= c <= "\u309f" or c == "ー"


def is_japanese(c: str) -> bool:
    """Characters searched by bigram: kana, kanji (all CJK blocks), 々 and ー."""
    o = ord(c)
    return (0x3041 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3FFFF or c in "々〆ヵヶ")


def loose(kana: str) -> str:
    """Hiragana with small kana enlarged, voiced kana plain, ー spelled out and long vowels
    collapsed."""
    out: list[str] = []
    for c in kana:
        c = SMALL_TO_LARGE.get(c, c)
        c = VOICED_TO_PLAIN.get(c, c)
        if c == "ー":
            if not out or out[-1] not in VOWEL_OF:
                continue
            c = VOWEL_OF[out[-1]]
        if out and out[-1] in VOWEL_OF and c in LONG_VOWEL_FOLLOWERS[VOWEL_OF[out[-1]]]:
            continue
        out.append(c)
    return "".join(out)


def reading(text: str, hand: str | None = None) -> str:
    """Hiragana reading: the librarian's own when given (it knows 冨嶽 is ふがく), else pykakasi's."""
    if hand:
        return fold(hand)
    return "".join(seg["hira"] for seg in _kakasi().convert(fold(text)))


@functools.lru_cache(maxsize=100_000)
def segments(text: str) -> list[tuple[str, str]]:
    """(written form, hiragana reading) of each word pykakasi finds in folded text."""
    return [(seg["orig"], seg["hira"]) for seg in _kakasi().convert(fold(text))]


# --- romaji -------------------------------------------------------------------------------
_MACRON = {"a": "ā", "u": "ū", "e": "ē", "o": "ō"}


def romaji_forms(kana: str) -> set[str]:
    """Hepburn spellings of a hiragana reading: with macrons (Tōkaidō), without (Tokaido) and
    as typed on a keyboard (Toukaidou). Words are separated by spaces as in the reading."""
    return {" ".join(_romaji(word, style) for word in fold(kana).split()) for style in ("macron", "plain", "typed")}


def _romaji(kana: str, style: str) -> str:
    out = ""
    i = 0
    double = False
    while i < len(kana):
        pair = kana[i:i + 2]
        syl = KANA_TO_ROMAJI.get(pair) if len(pair) == 2 else None
        if syl:
            i += 2
        else:
            c = kana[i]
            i += 1
            if c == "っ":
                double = True
                continue
            if c == "ん":
                nxt = kana[i:i + 1]
                out += "n'" if style == "typed" and nxt and (nxt in "あいうえおやゆよ") else "n"
                continue
            if c == "ー" and out and out[-1] in "aiueo":
                syl = out[-1] if style == "typed" else ""
                if style == "macron" and out[-1] in _MACRON:
                    out = out[:-1] + _MACRON[out[-1]]
                    continue
            else:
                syl = KANA_TO_ROMAJI.get(c, c)
        if double and syl:
            out += "t" if syl.startswith("ch") else syl[0]
            double = False
        if style != "typed" and out and syl and out[-1] in "aueo" and _is_long(out[-1], syl):
            if style == "macron":
                out = out[:-1] + _MACRON[out[-1]]
            continue
        out += syl
    return out


def _is_long(vowel: str, syl: str) -> bool:
    return (vowel, syl) in {("a", "a"), ("u", "u"), ("e", "e"), ("o", "o"), ("o", "u")}


_VOWELS = set("aiueo")


def kana_from_romaji(word: str) -> str | None:
    """hokusai -> ほくさい, shimbashi -> しんばし; None when the word is not romaji (e.g. English)."""
    if len(word) < 2 or not word.isascii() or not word.isalpha():
        return None
    out: list[str] = []
    i = 0
    n = len(word)
    while i < n:
        c = word[i]
        nxt = word[i + 1] if i + 1 < n else ""
        if c == "n" and nxt not in _VOWELS and nxt != "y":
            out.append("ん")
            i += 2 if nxt == "n" and (i + 2 >= n or word[i + 2] not in _VOWELS | {"y"}) else 1
            continue
        if c == "m" and nxt in ("b", "m", "p"):
            out.append("ん")
            i += 1
            continue
        if c == nxt and c not in _VOWELS or (c == "t" and word[i + 1:i + 3] == "ch"):
            out.append("っ")
            i += 1
            continue
        for size in (3, 2, 1):
            kana = ROMAJI_TO_KANA.get(word[i:i + size])
            if kana and (size > 1 or c in _VOWELS):
                out.append(kana)
                i += size
                break
        else:
            return None
    return "".join(out)


# --- terms --------------------------------------------------------------------------------
# Words neither indexed nor asked for. The search page's Pagefind matches a query word that
# begins no indexed word with the longest indexed word it begins with (bridges: bridge), so
# an index holding "the", "s" or "1" would answer "theatre", "snow" or "1831" with every page
# that has them. Words of one or two letters or digits and these function words never narrow
# a search of titles and names anyway (第7番 is found by 第 and 番).
SKIPPED = frozenset("""the and for with from into onto its are was were this that these those their there
than then but not has have had who which""".split())


def kept_word(word: str) -> bool:
    """Whether a word of letters and digits is a term (see SKIPPED)."""
    return len(word) > 2 and word not in SKIPPED


_RUNS = re.compile(r"[0-9a-z]+|[\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff々〆ヵヶ]+")


def bigrams(run: str) -> list[str]:
    """Overlapping pairs of characters; a run of one character is that character."""
    if len(run) < 2:
        return [run] if run else []
    return [run[i:i + 2] for i in range(len(run) - 1)]


def covering_pairs(run: str) -> list[str]:
    """The fewest overlapping pairs that cover a run (ほくさい: ほく, さい; 神奈川: 神奈, 奈川): what a
    query asks for. A page holds every pair, so it holds these; each pair asked for costs the
    search page a piece of the index to load."""
    pairs = bigrams(run)
    if len(pairs) < 2:
        return pairs
    return pairs[::2] + ([pairs[-1]] if len(pairs) % 2 == 0 else [])


def kanji(run: str) -> list[str]:
    """Each kanji of a run once, for one-kanji queries (a single kana asks for too much)."""
    return list(dict.fromkeys(c for c in run if not is_kana(c)))


def runs(folded: str) -> list[str]:
    return _RUNS.findall(folded)


def terms(text: str, hand_reading: str | None = None) -> list[str]:
    """Index terms of a text: bigrams of its folded Japanese and of the loose reading, its
    kanji one by one, romaji words as the bigrams of their kana and as typed (so that the
    beginning of a name, hokus, finds it), other words as they are."""
    out: list[str] = []
    for run in runs(fold(text)):
        out.extend(_run_terms(run))
    if hand_reading:
        for word in runs(fold(hand_reading)):
            out.extend(_reading_bigrams(word) if not word.isascii() else [word] if kept_word(word) else [])
    return out


@functools.lru_cache(maxsize=200_000)
def _run_terms(run: str) -> tuple[str, ...]:
    """Terms of one folded run (cached: names and labels repeat on thousands of pages)."""
    if run.isascii():
        word = [run] if kept_word(run) else []
        if not run.isalpha():
            return tuple(word)
        kana = kana_from_romaji(run) or _romaji_beginning(run)
        kana = loose(kana) if kana else ""
        return tuple((bigrams(kana) if len(kana) > 1 else []) + word)
    return tuple(dict.fromkeys(bigrams(run) + kanji(run) + _reading_bigrams(reading(run))))


def _romaji_beginning(word: str) -> str | None:
    """The kana of the longest beginning of a word that reads as romaji (sunset: sunse, すんせ).
    A reader typing the beginning of an English word (sun, sunse) is taken to type romaji:
    with these kana among the word's terms, the beginning still finds the word."""
    for end in range(len(word) - 1, 2, -1):
        kana = kana_from_romaji(word[:end])
        if kana:
            return kana
    return None


def _reading_bigrams(kana: str) -> list[str]:
    """Bigrams of the loose reading, and of the reading as written: collapsing long vowels
    across a word boundary (しまのうみべ -> しまのみべ) must not hide うみべ from a query."""
    plain = "".join(VOICED_TO_PLAIN.get(c, c) for c in (SMALL_TO_LARGE.get(c, c) for c in kana))
    return list(dict.fromkeys(bigrams(loose(kana)) + bigrams(plain)))


def vocabulary_readings(texts: Iterable[str]) -> dict[str, str]:
    """Kanji words of the archive -> hiragana reading: the query side's way from 北斎 to
    ほくさい without a dictionary (the browser gets this table, not pykakasi). Sub-words that
    pykakasi reads as one word are included, so 富士 is known from 富士山."""
    return merge_readings([reading_pairs(texts)])


def merge_readings(pair_lists: Iterable[list[tuple[str, str]]]) -> dict[str, str]:
    """The table from reading_pairs() of each text group, in order: the first reading of a
    word wins. A build keeps each record's pairs, so the table needs no pykakasi when
    records did not change, and is the same as a clean build's, order included."""
    table: dict[str, str] = {}
    for pairs in pair_lists:
        for word, hira in pairs:
            table.setdefault(word, hira)
    return table


def reading_pairs(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(word, reading) for vocabulary_readings(), first reading of a word only, in the order
    found: which pairs a text gives does not depend on any other text."""
    pairs: dict[str, str] = {}
    for text in texts:
        for run in runs(fold(text)):
            if run.isascii() or all(is_kana(c) for c in run):
                continue
            for word, hira in segments(run):
                if len(word) < 2 or all(is_kana(c) for c in word):
                    continue
                pairs.setdefault(word, hira)
                for size in range(2, min(len(word), 5)):
                    for start in range(len(word) - size + 1):
                        sub = word[start:start + size]
                        if sub in pairs or any(is_kana(c) for c in sub):
                            continue
                        parts = segments(sub)
                        # Only a reading that is part of the whole word's: 奈川 (ながわ) from
                        # 神奈川, never 神奈 read alone as かんな.
                        if len(parts) == 1 and parts[0][0] == sub and parts[0][1] in hira:
                            pairs[sub] = parts[0][1]
    return list(pairs.items())


def _read_by_table(run: str, table: dict[str, str]) -> str | None:
    """Greedy longest match of a query's kanji run against the archive's words; None when a
    kanji is not covered (then the kanji themselves are searched)."""
    longest = max((len(k) for k in table), default=0)
    out = ""
    i = 0
    while i < len(run):
        if is_kana(run[i]):
            out += run[i]
            i += 1
            continue
        for size in range(min(longest, len(run) - i), 1, -1):
            hit = table.get(run[i:i + size])
            if hit:
                out += hit
                i += size
                break
        else:
            return None
    return out


def query_terms(query: str, table: dict[str, str]) -> list[str]:
    """The terms a query needs (all of them): one form per word, matching `terms()`."""
    out: list[str] = []
    for run in runs(fold(query)):
        if run.isascii():
            kana = kana_from_romaji(run) if run.isalpha() else None
            out.extend(covering_pairs(loose(kana)) if kana else [run] if kept_word(run) else [])
        elif all(is_kana(c) for c in run):
            out.extend(covering_pairs(loose(run)))
        else:
            read = _read_by_table(run, table) if len(run) > 1 else None
            out.extend(covering_pairs(loose(read)) if read else covering_pairs(run))
    return list(dict.fromkeys(out))


# --- index words --------------------------------------------------------------------------
# One class per kind of term (its first two letters): Japanese pairs, single Japanese
# characters, the same for characters beyond three base-36 digits (CJK extension B …), and
# words of letters and digits. Pairs and single characters are all of one length in their
# class, so no Japanese term is a prefix of another: Pagefind (and ranking.py) extend only
# words of letters and digits. Page metadata (titles, names) is searchable in Pagefind too,
# but no word of it begins with these letters, so no query reaches it.
_CLASSES = {(3, True): "qj", (3, False): "qu", (4, True): "qk", (4, False): "qv"}
WORD_CLASS = "qx"


@functools.lru_cache(maxsize=200_000)
def encode(term: str) -> str:
    """A term as the word Pagefind indexes and is asked for (normalise.js does the same)."""
    if term.isascii():
        return WORD_CLASS + term
    width = 3 if all(ord(c) < 36 ** 3 for c in term) else 4
    return _CLASSES[width, len(term) > 1] + "".join(_base36(ord(c), width) for c in term)


def _base36(n: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(width, "0")
