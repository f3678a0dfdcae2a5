"""Kana <-> Hepburn romaji tables: the data behind the normaliser (normalise.py).

Kept apart from the rules so the same tables can be shipped to the browser (table.py).
"""
from __future__ import annotations

import unicodedata

# Modified Hepburn for each hiragana syllable (digraphs first; っ and ん are handled by rule).
_ROWS = """
あ a い i う u え e お o か ka き ki く ku け ke こ ko さ sa し shi す su せ se そ so
た ta ち chi つ tsu て te と to な na に ni ぬ nu ね ne の no は ha ひ hi ふ fu へ he ほ ho
ま ma み mi む mu め me も mo や ya ゆ yu よ yo ら ra り ri る ru れ re ろ ro わ wa ゐ i ゑ e を o
が ga ぎ gi ぐ gu げ ge ご go ざ za じ ji ず zu ぜ ze ぞ zo だ da ぢ ji づ zu で de ど do
ば ba び bi ぶ bu べ be ぼ bo ぱ pa ぴ pi ぷ pu ぺ pe ぽ po ゔ vu
きゃ kya きゅ kyu きょ kyo しゃ sha しゅ shu しょ sho ちゃ cha ちゅ chu ちょ cho にゃ nya にゅ nyu にょ nyo
ひゃ hya ひゅ hyu ひょ hyo みゃ mya みゅ myu みょ myo りゃ rya りゅ ryu りょ ryo
ぎゃ gya ぎゅ gyu ぎょ gyo じゃ ja じゅ ju じょ jo びゃ bya びゅ byu びょ byo ぴゃ pya ぴゅ pyu ぴょ pyo
ぢゃ ja ぢゅ ju ぢょ jo しぇ she ちぇ che じぇ je ふぁ fa ふぃ fi ふぇ fe ふぉ fo てぃ ti でぃ di
ぁ a ぃ i ぅ u ぇ e ぉ o ゃ ya ゅ yu ょ yo ゎ wa
"""
_PAIRS = _ROWS.split()
KANA_TO_ROMAJI: dict[str, str] = dict(zip(_PAIRS[0::2], _PAIRS[1::2]))

# Romaji spellings a reader may type for a syllable: Hepburn, plus the kunrei/wapuro forms
# phone keyboards teach (si, ti, tu, hu, zi, sya …). First spelling of each kana wins above.
ROMAJI_TO_KANA: dict[str, str] = {}
for _kana, _roma in KANA_TO_ROMAJI.items():
    if len(_kana) == 1 and _kana in "ぁぃぅぇぉゃゅょゎゐゑ":
        continue  # small kana and obsolete ゐゑ are never what a typed syllable means
    ROMAJI_TO_KANA.setdefault(_roma, _kana)
ROMAJI_TO_KANA.update({
    "si": "し", "ti": "ち", "tu": "つ", "hu": "ふ", "zi": "じ", "di": "ぢ", "du": "づ",
    "sya": "しゃ", "syu": "しゅ", "syo": "しょ", "tya": "ちゃ", "tyu": "ちゅ", "tyo": "ちょ",
    "cya": "ちゃ", "cyu": "ちゅ", "cyo": "ちょ", "zya": "じゃ", "zyu": "じゅ", "zyo": "じょ",
    "jya": "じゃ", "jyu": "じゅ", "jyo": "じょ", "wo": "を", "n": "ん", "nn": "ん",
})  # (ti and di are kunrei ち and ぢ: far more often typed than a loanword's てぃ, でぃ)

# Small kana and their full-size forms: ゃ and や are "the same" when searching.
SMALL_TO_LARGE = dict(zip("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ"))

# Voiced kana and their plain forms (が -> か, ぱ -> は): readings of compounds voice their
# second word (橋 はし in 両国橋 りょうごくばし) where a dictionary may not.
VOICED_TO_PLAIN = {c: unicodedata.normalize("NFD", c)[0] for c in map(chr, range(0x3041, 0x3097))
                   if len(unicodedata.normalize("NFD", c)) > 1}

# The vowel each kana ends in, for the long-vowel mark (ー) and for collapsing long vowels.
VOWEL_OF: dict[str, str] = {}
for _kana, _roma in KANA_TO_ROMAJI.items():
    VOWEL_OF[_kana[-1] if len(_kana) == 2 else _kana] = {"a": "あ", "i": "い", "u": "う", "e": "え", "o": "お"}[_roma[-1]]
# A long vowel written out: the second kana is dropped in the loose form (とうきょう ~ ときょ).
LONG_VOWEL_FOLLOWERS = {"あ": "あ", "い": "い", "う": "う", "え": "えい", "お": "おう"}
