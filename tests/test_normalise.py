"""The one normaliser: what counts as "the same text" for search, on the page and query sides."""
from __future__ import annotations

import pytest

from generator.search import normalise as n
from generator.search.pagefind import encode


@pytest.mark.parametrize("typed", ["ほくさい", "ホクサイ", "ﾎｸｻｲ", "hokusai", "HOKUSAI", "ｈｏｋｕｓａｉ", "Hokusai"])
def test_every_way_of_typing_hokusai_asks_for_the_same_terms(typed):
    assert n.query_terms(typed, {}) == ["ほく", "くさ", "さい"]


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
                                     ("齋藤", "斎藤")])
def test_old_kanji_forms_fold_to_the_forms_in_use(old, new):
    assert n.fold(old) == new
    assert n.terms(old) == n.terms(new)


def test_nfkc_case_and_kana_width_fold():
    assert n.fold("ＡＢＣ１２３") == "abc123"
    assert n.fold("ｽﾏﾎ") == n.fold("スマホ") == "すまほ"
    assert n.fold("ガッコウ") == "がっこう"  # the dakuten survives the Latin accent stripping


@pytest.mark.parametrize("a,b", [("とうきょう", "トーキョー"), ("とうきょう", "ときょ"), ("おおはし", "おーはし"),
                                 ("きゃ", "きや"), ("がっこう", "がつこう")])
def test_long_vowels_and_small_kana_are_the_same(a, b):
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
    assert n.query_terms(word, {}) == [word]


def test_page_terms_contain_every_query_form():
    """Whatever the reader types, its terms are among the page's (the match is an AND)."""
    page = set(n.terms("冨嶽三十六景　神奈川沖浪裏", "ふがくさんじゅうろっけい かながわおきなみうら")
               + n.terms("葛飾北斎", "かつしかほくさい") + n.terms("Katsushika Hokusai"))
    table = n.vocabulary_readings(["冨嶽三十六景", "神奈川沖浪裏", "葛飾北斎"])
    for query in ["北斎", "葛飾北斎", "ほくさい", "hokusai", "富嶽", "神奈川沖浪裏", "沖浪", "なみうら", "ふがく"]:
        assert set(n.query_terms(query, table)) <= page, query


def test_two_character_word_and_single_character():
    assert n.query_terms("地図", {}) == ["地図"]
    assert n.bigrams("地図") == ["地図", "図"]  # the page side: 図 alone also starts a term
    assert n.query_terms("波", {}) == ["波"]  # matched as a prefix of the page's 波… terms


def test_encoded_terms_keep_prefixes():
    assert encode("hokusai") == "hokusai"
    assert encode("北斎").startswith(encode("北"))
    assert encode("北斎").isascii() and encode("北斎").isalnum()


def test_pagefind_gets_the_article_with_the_normaliser_s_terms():
    from generator.search.pagefind import page_kind, prepare

    html = ("<html lang='ja'><head><title>神奈川沖浪裏</title></head><body><header>ヘッダー</header><nav>メニュー</nav>"
            "<article><h1>神奈川沖浪裏</h1><p class='search-names'>葛飾北斎</p>"
            "<section data-search-skip><a>歌川広重の作品</a></section></article><footer>フッター</footer></body></html>")
    prepared = prepare(html, "items", "ja")
    assert "ヘッダー" not in prepared and "メニュー" not in prepared and "フッター" not in prepared
    assert "歌川広重" not in prepared  # related items belong to other pages
    assert "data-pagefind-body" in prepared and '<html lang="ja">' in prepared
    assert '<span data-pagefind-meta="title">神奈川沖浪裏</span>' in prepared
    for term in n.query_terms("ほくさい", {}) + n.query_terms("神奈川沖浪裏", {}):
        assert encode(term) in prepared, term
    assert 'data-pagefind-weight="4.0"' in prepared  # the names block outweighs the rest
    # The title, filters and metadata are kept out of the indexed text: what Pagefind indexes
    # is plain ASCII (no Japanese for its dictionary to segment), and holds every query form.
    from generator.search.pagefind import indexed_words

    words = indexed_words(prepared)
    assert all(w.isascii() and w.isalnum() for w in words)
    assert {encode(t) for t in n.query_terms("神奈川沖浪裏", {})} <= set(words)
    assert '<div data-pagefind-ignore><span data-pagefind-meta="title">' in prepared
    known = {"items": {"a"}, "lessons": {"b"}}
    assert page_kind("items/a/index.html", known) == "items"
    assert page_kind("en/lessons/b/index.html", known) == "lessons"
    assert page_kind("items/periods/index.html", known) is None  # a browse page, not an item
    assert page_kind("items/index.html", known) is None


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
