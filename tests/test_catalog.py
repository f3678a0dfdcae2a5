"""The whoosh catalogue: the issue's queries, field queries, facet counts and related items,
over the sample content plus records written for these tests."""
from __future__ import annotations

import pytest

from generator.content import load_content
from generator.search import catalog, records, table

EXTRA = {
    # Written in the new forms: found by old-form queries.
    "hiroshige-nihonbashi": """id: hiroshige-nihonbashi
type: ukiyo-e
title: {ja: 東海道五拾三次之内　日本橋　朝之景, en: "Fifty-three Stations of the Tōkaidō: Nihonbashi, Morning", reading: とうかいどうごじゅうさんつぎのうち にほんばし あさのけい}
creators:
  - {id: utagawa-hiroshige, name: {ja: 歌川広重, en: Utagawa Hiroshige}, role: artist}
date: {text: 天保4年頃, start: 1833, end: 1834}
place: {name: {ja: 日本橋, en: Nihonbashi}}
rights: https://creativecommons.org/publicdomain/mark/1.0/
""",
    # Written in old forms (國, 邊): found by new-form queries.
    "kuniyoshi-old-forms": """id: kuniyoshi-old-forms
type: ukiyo-e
title: {ja: 東都富士見三十六景　佃嶋の海邊}
creators:
  - {name: {ja: 歌川國芳}, role: artist}
date: {text: 嘉永6年, start: 1853, end: 1853}
rights: https://creativecommons.org/publicdomain/mark/1.0/
""",
    # A map drawn by Hokusai, for field queries.
    "hokusai-map": """id: hokusai-map
type: map
title: {ja: 東海道名所一覧, en: Famous Places of the Tōkaidō at a Glance}
creators:
  - {id: katsushika-hokusai, name: {ja: 葛飾北斎, en: Katsushika Hokusai}, role: artist}
date: {text: 文政元年, start: 1818, end: 1818}
rights: http://rightsstatements.org/vocab/NoC-US/1.0/
""",
}


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    from conftest import copy_repo

    root = copy_repo(tmp_path_factory.mktemp("catalog") / "repo")
    for item_id, text in EXTRA.items():
        (root / "archive" / f"{item_id}.yml").write_text(text, encoding="utf-8")
    content = load_content(root)
    recs = records.records(content)
    return catalog.build(recs), table.reading_table(recs), recs


def ids(catalogue, query):
    ix, readings, _ = catalogue
    hits, total = catalog.search(ix, query, readings, limit=None)
    assert total == len(hits)
    return [h.id for h in hits]


@pytest.mark.parametrize("query", ["ほくさい", "ホクサイ", "ﾎｸｻｲ", "hokusai", "HOKUSAI", "ｈｏｋｕｓａｉ", "北斎", "葛飾北斎"])
def test_hokusai_in_every_spelling_finds_hokusai_s_works(catalogue, query):
    assert set(ids(catalogue, query)) == {"hokusai-kanagawa-oki-nami-ura", "hokusai-map"}


def test_fuji_finds_the_series_and_the_word_inside_a_word(catalogue):
    assert "hokusai-kanagawa-oki-nami-ura" in ids(catalogue, "富嶽")  # 冨嶽三十六景, old form 冨
    found = ids(catalogue, "富士")
    assert "hokusai-kanagawa-oki-nami-ura" in found  # subject 富士山
    assert "kuniyoshi-old-forms" in found  # 富士見


def test_a_title_and_a_two_character_word(catalogue):
    assert ids(catalogue, "神奈川沖浪裏") == ["hokusai-kanagawa-oki-nami-ura"]
    # The Edo map by its subjects, the Hokusai map by its type (地図); 絵図 alone is not 地図.
    assert set(ids(catalogue, "地図")) == {"edo-kiriezu-kojimachi", "hokusai-map"}


def test_old_forms_find_new_and_new_forms_find_old(catalogue):
    assert set(ids(catalogue, "廣重")) == {"hiroshige-ohashi-atake-yudachi", "hiroshige-nihonbashi"}
    assert ids(catalogue, "国芳") == ["kuniyoshi-old-forms"]
    assert ids(catalogue, "海辺") == ["kuniyoshi-old-forms"]
    assert ids(catalogue, "佃島") == ["kuniyoshi-old-forms"]


def test_romaji_with_and_without_long_vowels(catalogue):
    for query in ["Tōkaidō", "tokaido", "toukaidou", "とうかいどう"]:
        assert set(ids(catalogue, query)) == {"hiroshige-nihonbashi", "hokusai-map"}, query


def test_the_best_match_comes_first(catalogue):
    # The artist's own works before a record that only shares a syllable or two.
    assert ids(catalogue, "広重")[0].startswith("hiroshige")


def test_field_queries(catalogue):
    assert ids(catalogue, "artist:北斎 type:map") == ["hokusai-map"]
    assert ids(catalogue, "artist:hokusai type:地図") == ["hokusai-map"]
    assert set(ids(catalogue, "type:ukiyo-e period:江戸")) >= {"hokusai-kanagawa-oki-nami-ura", "kuniyoshi-old-forms"}
    assert ids(catalogue, "title:日本橋") == ["hiroshige-nihonbashi"]
    assert ids(catalogue, "artist:北斎 type:document") == []


def test_every_word_must_match_but_words_no_page_has_are_left_out(catalogue):
    assert ids(catalogue, "北斎 東海道") == ["hokusai-map"]
    assert ids(catalogue, "北斎 広重") == []
    # As on the search page (Pagefind's rule): a word the index does not have is left out.
    assert ids(catalogue, "北斎 存在しない言葉") == ids(catalogue, "北斎")


def test_facet_counts(catalogue):
    ix, readings, recs = catalogue
    counts = catalog.facet_counts(ix)
    assert counts["type"] == {"ukiyo-e": 4, "map": 2, "document": 1}
    assert counts["artist_key"]["katsushika-hokusai"] == 2
    assert counts["artist_key"]["utagawa-hiroshige"] == 2
    assert sum(counts["rights"].values()) == len(recs)
    narrowed = catalog.facet_counts(ix, "北斎", readings)
    assert narrowed["type"] == {"ukiyo-e": 1, "map": 1}


def test_facets_from_the_records_are_the_index_s_counts_in_its_order(catalogue):
    ix, _, recs = catalogue
    counts = catalog.facet_counts(ix)
    assert {k: list(v.items()) for k, v in catalog.facets(recs).items()} == {k: list(v.items()) for k, v in counts.items()}


def test_related_items_share_artist_series_or_place_first(catalogue):
    _, _, recs = catalogue
    related = catalog.related(recs)
    assert related["hokusai-map"][0] == "hokusai-kanagawa-oki-nami-ura"  # same artist
    assert related["hiroshige-nihonbashi"][0] == "hiroshige-ohashi-atake-yudachi"
    # Then items of similar text: 富士 in the title of one, in the subjects of the other.
    assert related["hokusai-kanagawa-oki-nami-ura"][:2] == ["hokusai-map", "kuniyoshi-old-forms"]
    for item_id, picks in related.items():
        assert item_id not in picks
        assert len(picks) == len(set(picks)) <= 6


def test_lessons_and_classes_are_in_the_catalogue_but_only_items_are_listed(tmp_path):
    """The search page ranks every page among all of them (idf counts them), so the catalogue
    holds them too; `sitegen search`, facets and related items are about items only."""
    from conftest import copy_repo
    from generator.search import documents

    root = copy_repo(tmp_path / "repo")
    content = load_content(root)
    recs = records.records(content)
    pages = [d for d in documents.documents(content, recs) if d.kind != "item"]
    assert {d.kind for d in pages} == {"lesson", "class"}
    ix = catalog.build(recs, pages=pages)
    readings = table.reading_table(recs)
    with ix.searcher() as s:
        assert s.doc_count() == len(recs) + len(pages)
    assert catalog.search(ix, "スマホ", readings, limit=None) == ([], 0)
    assert catalog.other_pages(ix, "スマホ", readings) >= 2
    assert sum(catalog.facet_counts(ix)["type"].values()) == len(recs)
    hits, _ = catalog.search(ix, "北斎", readings)
    assert [h.id for h in hits] == ["hokusai-kanagawa-oki-nami-ura"]
