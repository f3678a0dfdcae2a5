"""The one normaliser: what counts as "the same text" for search, on the page and query sides."""
from __future__ import annotations

import pytest

from generator.search import normalise as n
from generator.search.normalise import encode


@pytest.mark.parametrize("typed", ["ほくさい", "ホクサイ", "ﾎｸｻｲ", "hokusai", "HOKUSAI", "ｈｏｋｕｓａｉ", "Hokusai"])
def test_every_way_of_typing_hokusai_asks_for_the_same_terms(typed):
    assert n.query_terms(typed, {}) == ["ほく", "さい"]  # the pairs that cover ほくさい


def test_kanji_are_read_through_the_archive_s_own_words():
    table = n.vocabulary_readings(["葛飾北斎", "富士山"])
    assert table["北斎"] == "ほくさい"
    assert table["富士"] == "ふじ"  # known from 富士山: a word inside a word
    assert n.query_terms("北斎", table) == n.query_terms("hokusai", table)
    assert n.query_terms("葛飾北斎", table) == n.query_terms("カツシカホクサイ", table)


def test_a_sub_word_is_only_read_as_part_of_the_whole():
    # pykakasi reads 神奈 alone as かんな; inside 神奈川 it is かな: keep only readings that fit.
    table = n.vocabulary_readings(["神奈川"])
    assert "神奈" not in table
    assert table["奈川"] == "ながわ"


@pytest.mark.parametrize("old,new", [("廣重", "広重"), ("國芳", "国芳"), ("富嶽", "富岳"), ("渡邊", "渡辺"), ("冨士", "富士"), ("佃嶋", "佃島"),
                                     ("齋藤", "斎藤"), ("髙橋", "高橋"), ("山﨑", "山崎"), ("瀧", "滝"), ("麴町", "麹町")])
def test_old_kanji_forms_fold_to_the_forms_in_use(old, new):
    assert n.fold(old) == new
    assert n.terms(old) == n.terms(new)


def test_nfkc_case_and_kana_width_fold():
    assert n.fold("ＡＢＣ１２３") == "abc123"
    assert n.fold("ｽﾏﾎ") == n.fold("スマホ") == "すまほ"
    assert n.fold("ガッコウ") == "がっこう"  # the dakuten survives the Latin accent stripping


@pytest.mark.parametrize("a,b", [("とうきょう", "トーキョー"), ("とうきょう", "ときょ"), ("おおはし", "おーはし"),
                                 ("きゃ", "きや"), ("がっこう", "がつこう"), ("りょうごくばし", "りょうごくはし"),
                                 ("かながわ", "かなかわ")])
def test_long_vowels_small_and_voiced_kana_are_the_same(a, b):
    # (voiced as plain: a compound's reading voices its second word, 橋 in 両国橋 is ばし)
    assert n.loose(n.fold(a)) == n.loose(n.fold(b))


@pytest.mark.parametrize("typed", ["Tōkaidō", "Tokaido", "toukaidou", "TOKAIDO", "とうかいどう", "トーカイドー"])
def test_tokaido_in_every_spelling(typed):
    assert n.query_terms(typed, {}) == n.query_terms("とうかいどう", {})


def test_romaji_forms_of_a_reading():
    assert n.romaji_forms("とうかいどう") == {"tōkaidō", "tokaido", "toukaidou"}
    assert n.romaji_forms("かつしか ほくさい") == {"katsushika hokusai"}
    assert "kitte" in n.romaji_forms("きって") and "shinbashi" in n.romaji_forms("しんばし")


@pytest.mark.parametrize("word,kana", [("hokusai", "ほくさい"), ("shimbashi", "しんばし"), ("kitte", "きって"),
                                       ("matcha", "まっちゃ"), ("onna", "おんな"), ("konnichiha", "こんにちは"),
                                       ("sya", "しゃ"), ("tyotto", "ちょっと"), ("fuji", "ふじ"), ("huzi", "ふじ")])
def test_romaji_in_hepburn_and_keyboard_spellings(word, kana):
    assert n.kana_from_romaji(word) == kana


@pytest.mark.parametrize("word", ["wave", "bridge", "thirty", "x", "mt"])
def test_english_words_are_not_taken_for_romaji(word):
    assert n.kana_from_romaji(word) is None
    assert n.query_terms(word, {}) == ([word] if len(word) > 2 else [])  # (one or two letters: not asked for)


def test_page_terms_contain_every_query_form():
    """Whatever the reader types, its terms are among the page's (the match is an AND)."""
    page = set(n.terms("冨嶽三十六景　神奈川沖浪裏", "ふがくさんじゅうろっけい かながわおきなみうら")
               + n.terms("葛飾北斎", "かつしかほくさい") + n.terms("Katsushika Hokusai"))
    table = n.vocabulary_readings(["冨嶽三十六景", "神奈川沖浪裏", "葛飾北斎"])
    for query in ["北斎", "葛飾北斎", "ほくさい", "hokusai", "富嶽", "神奈川沖浪裏", "沖浪", "なみうら", "ふがく"]:
        assert set(n.query_terms(query, table)) <= page, query


def test_two_character_word_and_single_character():
    assert n.query_terms("地図", {}) == ["地図"]
    assert n.query_terms("波", {}) == ["波"]  # one kanji: the page's 波, wherever it stands
    assert {"地図", "地", "図"} <= set(n.terms("地図"))  # the page side: each kanji alone too
    assert "図" in n.terms("東海道名所一覧図") and "名所" in n.terms("東海道名所一覧図")
    assert "か" not in n.terms("かつしか")  # a single kana asks for too much to be a term


@pytest.mark.parametrize("query,terms", [("the wave", ["wave"]), ("Mt. Fuji", ["ふし"]), ("snow", ["snow"]),
                                         ("第7番", ["第", "番"]), ("1831年", ["1831", "年"]), ("a", [])])
def test_function_words_and_one_or_two_letters_are_not_asked_for(query, terms):
    assert n.query_terms(query, {}) == terms
    page = n.terms("The Great Wave, Mt. Fuji's snow (no. 7)")
    assert "the" not in page and "mt" not in page and "s" not in page and "no" not in page
    assert {"great", "wave", "snow", "fuji"} <= set(page) and "7" not in page


@pytest.mark.parametrize("run,pairs", [("ほ", ["ほ"]), ("ほく", ["ほく"]), ("神奈川", ["神奈", "奈川"]),
                                       ("ほくさい", ["ほく", "さい"]), ("かながわおき", ["かな", "かわ", "おき"])])
def test_a_query_asks_for_the_fewest_pairs_that_cover_it(run, pairs):
    # Each pair asked for is a piece of the index the search page loads; the page holds all pairs.
    assert n.covering_pairs(n.loose(run)) == pairs
    assert set(pairs) <= set(n.bigrams(n.loose(run)))


def test_romaji_words_are_terms_as_typed_too():
    # So that the beginning of a name (hokus) finds it as the search page's prefix match does.
    assert "hokusai" in n.terms("Katsushika Hokusai") and "ほく" in n.terms("Katsushika Hokusai")
    assert n.query_terms("hokusai", {}) == ["ほく", "さい"]  # a whole romaji word: by its kana


def test_index_words_are_plain_and_only_words_of_letters_are_prefixes():
    assert encode("hokusai") == "qxhokusai" and encode("snow") == encode("snowfall")[:len(encode("snow"))]
    assert encode("北斎").isascii() and encode("北斎").isalnum() and encode("北").isalnum()
    # A single character's word is no prefix of a pair's: a one-kanji query is one exact word.
    assert not encode("北斎").startswith(encode("北"))
    assert len({len(encode(t)) for t in ["北斎", "ほく", "ー々"]}) == 1
    assert len({len(encode(t)) for t in ["北", "ほ", "々"]}) == 1
    rare = encode("𠮷野")  # beyond three base-36 digits: a class of its own
    assert rare.isalnum() and rare[:2] not in {encode("北斎")[:2], encode("北")[:2], encode("x")[:2]}


def test_every_page_word_is_a_word_pagefind_keeps_whole():
    """What documents.html() gives Pagefind: plain lower-case letters and digits, so that its
    own word splitting (any language) leaves each word as it is."""
    import re

    from generator.content import load_content
    from generator.search import documents, records

    from conftest import REPO

    content = load_content(REPO)
    for document in documents.documents(content, records.records(content)):
        page = documents.html(document)
        words = [w for block in re.findall(r"<p[^>]*>([^<]*)</p>", page) for w in block.split()]
        assert all(re.fullmatch(r"q[a-z][0-9a-z]+", w) for w in words), document.key
        # Each word once, weighing what its fields weigh together (a title word that is also
        # the artist's name: 3 + 4).
        assert len(words) == len(set(words)) == len(documents.weighted(document))
        assert 'data-pagefind-ignore' in page and 'data-pagefind-body' in page
    great_wave = next(d for d in documents.documents(content, records.records(content))
                      if d.key == "hokusai-kanagawa-oki-nami-ura")
    weights = documents.weighted(great_wave)
    assert weights["北斎"] == 4.0 + 1.0 and weights["神奈"] == 3.0 + 2.0  # artist and description; title and place


def test_search_scripts_ship_without_comment_lines_and_indentation():
    from generator.search.derive import ASSETS, shrunk_js

    source = (ASSETS / "search.js").read_text(encoding="utf-8")
    shipped = shrunk_js(source)
    assert len(shipped) < 0.85 * len(source)
    assert not [line for line in shipped.splitlines() if line.startswith(("//", " ")) or not line]
    # Every statement is kept, line by line (the browser tests run the shipped scripts).
    assert [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("//")] \
        == shipped.splitlines()
    # A script where whole-line edits could change a string is shipped as it is.
    risky = "var s = `a\n  // not a comment\n`;\n"
    assert shrunk_js(risky) == risky
