"""Name authorities: names in either language and aliases find the same person or series;
records that refer to an id nobody defined are stopped with file, field and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.content import load_content
from generator.errors import ContentErrors
from generator.librarian.authorities import NameIndex, load_authorities

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def authorities():
    problems = []
    creators, series = load_authorities(REPO, [], problems)
    assert problems == []
    return NameIndex(creators), NameIndex(series)


@pytest.mark.parametrize("name,expected", [
    ("葛飾北斎", "katsushika-hokusai"), ("Katsushika Hokusai", "katsushika-hokusai"),
    ("Hokusai Katsushika", "katsushika-hokusai"), ("画狂老人卍", "katsushika-hokusai"),
    ("三代歌川豊国", "utagawa-kunisada"), ("歌川国貞", "utagawa-kunisada"), ("Utagawa Toyokuni III", "utagawa-kunisada"),
    ("歌川豊国", "utagawa-toyokuni"), ("安藤広重", "utagawa-hiroshige"), ("Ando Hiroshige", "utagawa-hiroshige"),
    ("Nobody", None),
])
def test_creators_are_found_by_any_of_their_names(authorities, name, expected):
    assert authorities[0].find(name) == expected


@pytest.mark.parametrize("title,expected", [
    ("冨嶽三十六景", "fugaku36"), ("富嶽三十六景", "fugaku36"), ("Thirty-Six Views of Mt. Fuji", "fugaku36"),
    ("Thirty-six Views of Mount Fuji", "fugaku36"), ("名所江戸百景", "meisho-edo-hyakkei"),
    ("東海道五十三次", "tokaido-gojusantsugi"), ("Sixty Views", None),
])
def test_series_are_found_by_title_or_variant(authorities, title, expected):
    assert authorities[1].find(title) == expected


def test_sample_records_link_to_the_shipped_authorities():
    content = load_content(REPO)
    assert content.creators["katsushika-hokusai"].name.ja == "葛飾北斎"
    assert content.creators["katsushika-hokusai"].life() == "1760–1849"
    assert content.series["fugaku36"].title.en == "Thirty-six Views of Mount Fuji"
    for item in content.items:
        assert item.series is None or item.series in content.series
        assert all(c.id is None or c.id in content.creators for c in item.creators)


def test_an_unknown_creator_or_series_id_is_an_error_with_file_field_and_line(repo):
    record = repo / "archive" / "hokusai-kanagawa-oki-nami-ura.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("id: katsushika-hokusai", "id: hokusia").replace("series: fugaku36", "series: fugaku-36"),
                      encoding="utf-8")
    with pytest.raises(ContentErrors) as exc:
        load_content(repo)
    messages = {p.field: p for p in exc.value.problems}
    lines = text.split("\n")
    assert messages["creators[0].id"].line == lines.index("  - id: katsushika-hokusai") + 1
    assert "'hokusia' is not in archive/creators.yml" in messages["creators[0].id"].what.en
    assert "katsushika-hokusai" in messages["creators[0].id"].fix.en  # the ids to choose from
    assert messages["series"].line == lines.index("series: fugaku36") + 1


def test_a_bad_authority_entry_is_reported_where_it_is(repo):
    path = repo / "archive" / "creators.yml"
    path.write_text(path.read_text(encoding="utf-8") + "- id: someone\n  name: {ja: 誰か}\n  born: 1850\n  died: 1800\n",
                    encoding="utf-8")
    with pytest.raises(ContentErrors) as exc:
        load_content(repo)
    (problem,) = exc.value.problems
    assert problem.file == "archive/creators.yml" and "before the year of birth" in problem.what.en


def test_an_unreadable_date_is_a_warning_and_kept_as_written(repo):
    record = repo / "archive" / "kanda-myojin-hikifuda.yml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("  text: 明治時代\n  start: 1868\n  end: 1912\n", "  text: 明治の頃か\n")
    record.write_text(text, encoding="utf-8")
    content = load_content(repo)
    assert content.item("kanda-myojin-hikifuda").date.text == "明治の頃か"
    (warning,) = [p for p in content.problems if p.field == "date.text"]
    assert warning.severity == "warning" and warning.line == text.split("\n").index("  text: 明治の頃か") + 1
