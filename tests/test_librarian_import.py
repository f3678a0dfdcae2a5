"""`sitegen import`: a catalogue spreadsheet becomes records, all rows or none, and a second
run of the same file changes nothing."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image

from generator.cli import main
from generator.content import load_content

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
HEADER = "file,title_ja,title_en,artist_ja,artist_en,date,type,series,institution,source_url,rights"


def scan(path: Path, seed: int, size=(96, 64)) -> Path:
    """A small picture of its own (random blocks), so every seed gives a different print."""
    rnd = random.Random(seed)
    small = Image.new("RGB", (12, 8))
    small.putdata([tuple(rnd.randrange(256) for _ in range(3)) for _ in range(96)])
    path.parent.mkdir(parents=True, exist_ok=True)
    small.resize(size, Image.Resampling.NEAREST).save(path, quality=95)
    return path


def csv_file(path: Path, rows: list[str], encoding: str = "utf-8", header: str = HEADER) -> Path:
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return path


def run(repo: Path, *args: str) -> int:
    return main(["import", "--root", str(repo), *args])


def records(repo: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((repo / "archive").glob("*.yml"))}


@pytest.fixture
def scans(tmp_path: Path) -> Path:
    folder = tmp_path / "scans"
    for n in range(1, 4):
        scan(folder / f"fuji-{n:02d}.jpg", n)
    return folder


ROWS = [
    f"fuji-01.jpg,神奈川沖浪裏,The Great Wave off Kanagawa,,Katsushika Hokusai,天保2年頃,ukiyo-e,Thirty-Six Views of Mt. Fuji,The Met,https://example.org/1,{CC0}",
    f"fuji-02.jpg,凱風快晴,\"Fine Wind, Clear Morning\",葛飾北斎,,,浮世絵,富嶽三十六景,,,{CC0}",
]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932", "utf-8"])
def test_excel_encodings_import_the_same_records(repo, scans, tmp_path, encoding, capsys):
    assert run(repo, str(csv_file(tmp_path / "cat.csv", ROWS, encoding)), "--images", str(scans)) == 0
    text = (repo / "archive" / "fuji-01.yml").read_text(encoding="utf-8")
    assert "神奈川沖浪裏" in text and "The Great Wave off Kanagawa" in text
    assert "凱風快晴" in (repo / "archive" / "fuji-02.yml").read_text(encoding="utf-8")
    content = load_content(repo)  # what was written is valid content
    item = content.item("fuji-01")
    assert item.creators[0].id == "katsushika-hokusai"  # the English name alone links 葛飾北斎
    assert item.series == "fugaku36"  # "Mt." and "Mount", "Six" and "six" are the same title
    assert (item.date.start, item.date.end) == (1831, 1831)
    assert content.item("fuji-02").type == "ukiyo-e" and content.item("fuji-02").series == "fugaku36"
    assert (repo / "images" / "fuji-01" / "fuji-01.jpg").read_bytes() == (scans / "fuji-01.jpg").read_bytes()
    assert (scans / "fuji-01.jpg").exists()  # copied, never moved


def test_reimporting_the_same_file_changes_nothing(repo, scans, tmp_path, capsys):
    catalogue = csv_file(tmp_path / "cat.csv", ROWS)
    assert run(repo, str(catalogue), "--images", str(scans)) == 0
    before = records(repo)
    mtimes = {p: p.stat().st_mtime_ns for p in (repo / "archive").glob("*.yml")}
    capsys.readouterr()
    assert run(repo, str(catalogue), "--images", str(scans)) == 0
    assert records(repo) == before
    assert {p: p.stat().st_mtime_ns for p in (repo / "archive").glob("*.yml")} == mtimes  # not even rewritten
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    # The same rows saved by Excel as Shift_JIS are the same catalogue.
    assert run(repo, str(csv_file(tmp_path / "sjis.csv", ROWS, "cp932")), "--images", str(scans)) == 0
    assert records(repo) == before


def test_an_edited_row_updates_its_record_and_keeps_other_fields(repo, scans, tmp_path, capsys):
    assert run(repo, str(csv_file(tmp_path / "cat.csv", ROWS)), "--images", str(scans)) == 0
    record = repo / "archive" / "fuji-01.yml"
    record.write_text(record.read_text(encoding="utf-8") + "subjects: [波, 富士山]\n", encoding="utf-8")
    edited = [ROWS[0].replace("The Great Wave off Kanagawa", "Under the Wave off Kanagawa"), ROWS[1]]
    capsys.readouterr()
    assert run(repo, str(csv_file(tmp_path / "cat2.csv", edited)), "--images", str(scans)) == 0
    out = capsys.readouterr().out
    assert "update: archive/fuji-01.yml (title)" in out and "1 updated, 1 unchanged" in out
    item = load_content(repo).item("fuji-01")
    assert item.title.en == "Under the Wave off Kanagawa"
    assert item.subjects == ["波", "富士山"]  # the spreadsheet has no subjects column: kept


def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_written(repo, scans, tmp_path, capsys):
    before = records(repo)
    bad = ROWS + [f"fuji-03.jpg,山下白雨,,,,,painting,,,,{CC0}"]
    assert run(repo, str(csv_file(tmp_path / "cat.csv", bad)), "--images", str(scans)) == 1
    err = capsys.readouterr().err
    assert "cat.csv:4" in err and "row 4, column 'type'" in err and "'painting' is not a known type" in err
    assert "ukiyo-e, map, book, document, photo" in err  # how to fix it
    assert records(repo) == before
    assert not any((repo / "images").glob("fuji-*"))


def test_skip_bad_imports_the_good_rows_and_reports_the_bad(repo, scans, tmp_path, capsys):
    bad = ROWS + [f"fuji-03.jpg,山下白雨,,,,,painting,,,,{CC0}"]
    assert run(repo, str(csv_file(tmp_path / "cat.csv", bad)), "--images", str(scans), "--skip-bad") == 0
    captured = capsys.readouterr()
    assert "row 4, column 'type'" in captured.err and "1 row(s) skipped" in captured.out
    assert (repo / "archive" / "fuji-01.yml").exists() and not (repo / "archive" / "fuji-03.yml").exists()


def test_free_text_rights_are_refused_and_rights_option_sets_one_for_all(repo, scans, tmp_path, capsys):
    prose = [r.replace(CC0, "\"Public domain artwork; image credited to The Met\"") for r in ROWS]
    catalogue = csv_file(tmp_path / "cat.csv", prose)
    assert run(repo, str(catalogue), "--images", str(scans)) == 1
    err = capsys.readouterr().err
    assert "row 2, column 'rights'" in err and "not an existing licence or rights statement" in err
    assert "https://creativecommons.org/publicdomain/mark/1.0/" in err and "give --rights" in err
    assert run(repo, str(catalogue), "--images", str(scans), "--rights", CC0) == 0
    assert load_content(repo).item("fuji-02").rights == CC0


def test_dry_run_shows_the_changes_and_writes_nothing(repo, scans, tmp_path, capsys):
    before = records(repo)
    assert run(repo, str(csv_file(tmp_path / "cat.csv", ROWS)), "--images", str(scans), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "create: archive/fuji-01.yml + images/fuji-01/fuji-01.jpg" in out and "dry run" in out
    assert records(repo) == before and not (repo / "images" / "fuji-01").exists()


def test_the_same_scan_under_a_second_id_is_refused(repo, scans, tmp_path, capsys):
    assert run(repo, str(csv_file(tmp_path / "cat.csv", ROWS)), "--images", str(scans)) == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "wave-copy.jpg").write_bytes((scans / "fuji-01.jpg").read_bytes())
    row = f"wave-copy.jpg,波,,,,,ukiyo-e,,,,{CC0}"
    catalogue = csv_file(tmp_path / "cat2.csv", [row], header="file,title_ja,title_en,artist_ja,artist_en,date,type,series,institution,source_url,rights")
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("file,", "id,file,", 1).replace("wave-copy.jpg", "second-wave,wave-copy.jpg", 1), encoding="utf-8")
    capsys.readouterr()
    assert run(repo, str(catalogue), "--images", str(other)) == 1
    err = capsys.readouterr().err
    assert "row 2, column 'file'" in err and "same file as images/fuji-01/fuji-01.jpg" in err
    assert not (repo / "archive" / "second-wave.yml").exists()


def test_a_resized_copy_of_a_scan_is_reported_as_a_near_duplicate(repo, scans, tmp_path, capsys):
    assert run(repo, str(csv_file(tmp_path / "cat.csv", ROWS[:1])), "--images", str(scans)) == 0
    with Image.open(scans / "fuji-01.jpg") as im:
        im.resize((48, 32)).save(scans / "small-wave.jpg", quality=80)
    capsys.readouterr()
    assert run(repo, str(csv_file(tmp_path / "cat2.csv", [f"small-wave.jpg,小さい波,,,,,ukiyo-e,,,,{CC0}"])),
               "--images", str(scans)) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "small-wave.jpg looks like images/fuji-01/fuji-01.jpg" in err


def test_two_rows_with_one_id_are_refused(repo, scans, tmp_path, capsys):
    rows = [f"same,fuji-01.jpg,一,,ukiyo-e,{CC0}", f"same,fuji-02.jpg,二,,ukiyo-e,{CC0}"]
    catalogue = csv_file(tmp_path / "cat.csv", rows, header="id,file,title_ja,title_en,type,rights")
    assert run(repo, str(catalogue), "--images", str(scans)) == 1
    err = capsys.readouterr().err
    assert "row 3, column 'id'" in err and "also used by row 2" in err
    assert not (repo / "archive" / "same.yml").exists()


def test_a_generated_id_that_belongs_to_another_item_is_refused(repo, scans, tmp_path, capsys):
    # The sample record hokusai-kanagawa-oki-nami-ura holds another scan than this file.
    (scans / "hokusai-kanagawa-oki-nami-ura.jpg").write_bytes((scans / "fuji-03.jpg").read_bytes())
    before = records(repo)
    row = f"hokusai-kanagawa-oki-nami-ura.jpg,別の絵,,,,,ukiyo-e,,,,{CC0}"
    assert run(repo, str(csv_file(tmp_path / "cat.csv", [row])), "--images", str(scans)) == 1
    err = capsys.readouterr().err
    assert "already exists with a different scan" in err and "id column" in err
    assert records(repo) == before


def test_a_missing_scan_is_named(repo, scans, tmp_path, capsys):
    row = f"fuji-99.jpg,無い絵,,,,,ukiyo-e,,,,{CC0}"
    assert run(repo, str(csv_file(tmp_path / "cat.csv", [row])), "--images", str(scans)) == 1
    err = capsys.readouterr().err
    assert "row 2, column 'file'" in err and "fuji-99.jpg does not exist" in err


def test_names_not_in_the_authorities_are_reported(repo, scans, tmp_path, capsys):
    rows = [f"fuji-01.jpg,ある絵,,無名の絵師,,,ukiyo-e,,,,{CC0}"]
    assert run(repo, str(csv_file(tmp_path / "cat.csv", rows)), "--images", str(scans)) == 0
    assert "'無名の絵師' is not in archive/creators.yml" in capsys.readouterr().err
    assert load_content(repo).item("fuji-01").creators[0].name.ja == "無名の絵師"
    rows = [f"fuji-02.jpg,ある絵,,,,,ukiyo-e,Fifty Views of Nowhere,,,{CC0}"]
    assert run(repo, str(csv_file(tmp_path / "cat2.csv", rows)), "--images", str(scans)) == 1
    assert "no series in archive/series.yml is called 'Fifty Views of Nowhere'" in capsys.readouterr().err


def test_an_unknown_column_is_refused_with_a_suggestion(repo, scans, tmp_path, capsys):
    catalogue = csv_file(tmp_path / "cat.csv", [f"fuji-01.jpg,一,ukiyo-e,{CC0}"], header="file,tilte_ja,type,rights")
    assert run(repo, str(catalogue), "--images", str(scans)) == 1
    err = capsys.readouterr().err
    assert "unknown column 'tilte_ja'" in err and "did you mean 'title_ja'" in err


def test_a_failure_while_writing_leaves_nothing_half_written(repo, scans, tmp_path, monkeypatch, capsys):
    import generator.librarian.records as records_module

    before = records(repo)
    real_copy = records_module.shutil.copy2
    calls = []

    def failing_copy(src, dst, *a, **k):
        calls.append(src)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_copy(src, dst, *a, **k)

    monkeypatch.setattr(records_module.shutil, "copy2", failing_copy)
    assert run(repo, str(csv_file(tmp_path / "cat.csv", ROWS)), "--images", str(scans)) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Nothing was changed" in err and "Traceback" not in err
    assert records(repo) == before
    assert not list((repo / "images").glob("fuji-*"))  # not even an empty folder


def test_rows_are_numbered_as_the_spreadsheet_shows_them(repo, scans, tmp_path, capsys):
    # A title with a line break is one spreadsheet row: the bad row after it is still row 3.
    rows = [f"fuji-01.jpg,\"二行の\n題\",,,,,ukiyo-e,,,,{CC0}", f"fuji-02.jpg,題,,,,,painting,,,,{CC0}"]
    assert run(repo, str(csv_file(tmp_path / "cat.csv", rows)), "--images", str(scans)) == 1
    assert "row 3, column 'type'" in capsys.readouterr().err


def test_japanese_file_names_get_safe_scan_names_and_ids(repo, tmp_path, capsys):
    folder = tmp_path / "スキャン"
    scan(folder / "神田祭 表.jpg", 7)
    rows = [f"神田祭 表.jpg,神田祭,,,,,document,,,,{CC0}"]
    assert run(repo, str(csv_file(tmp_path / "cat.csv", rows)), "--images", str(folder)) == 0
    item = load_content(repo).item("kanda-matsuri-omote")  # romaji of the file name
    assert item.images[0].file == "kanda-matsuri-omote.jpg"
    assert (repo / "images" / item.id / item.images[0].file).exists()
    # The same scan again, under its original name: the same item, nothing new written.
    capsys.readouterr()
    assert run(repo, str(csv_file(tmp_path / "cat.csv", rows)), "--images", str(folder)) == 0
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert [p.name for p in (repo / "images" / item.id).iterdir()] == ["kanda-matsuri-omote.jpg"]


def test_an_id_taken_by_a_browse_page_is_refused(repo, scans, tmp_path, capsys):
    rows = [f"periods,fuji-01.jpg,一,ukiyo-e,{CC0}"]
    assert run(repo, str(csv_file(tmp_path / "cat.csv", rows, header="id,file,title_ja,type,rights")), "--images", str(scans)) == 1
    assert "taken by a browse page" in capsys.readouterr().err


def test_an_update_keeps_the_librarians_comments(repo, tmp_path, capsys):
    record = repo / "archive" / "hokusai-kanagawa-oki-nami-ura.yml"
    first_line = record.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("#")
    rows = ["hokusai-kanagawa-oki-nami-ura,The Great Wave"]
    assert run(repo, str(csv_file(tmp_path / "cat.csv", rows, header="id,title_en")), "--images", str(tmp_path)) == 0
    text = record.read_text(encoding="utf-8")
    assert text.splitlines()[0] == first_line
    item = load_content(repo).item("hokusai-kanagawa-oki-nami-ura")
    assert item.title.en == "The Great Wave" and item.title.ja == "冨嶽三十六景　神奈川沖浪裏"
    assert item.place.lat == 35.45 and item.images[0].label.ja == "表"  # everything else as it was


def test_a_row_without_a_scan_keeps_its_id_when_one_title_is_edited(repo, tmp_path, capsys):
    header = "title_ja,title_en,type,rights"
    assert run(repo, str(csv_file(tmp_path / "a.csv", [f"未撮影の地図,Unscanned map,map,{CC0}"], header=header)),
               "--images", str(tmp_path)) == 0
    assert (repo / "archive" / "unscanned-map.yml").exists()
    capsys.readouterr()
    edited = [f"未撮影の地図,Map not yet scanned,map,{CC0}"]
    assert run(repo, str(csv_file(tmp_path / "b.csv", edited, header=header)), "--images", str(tmp_path)) == 0
    assert "update: archive/unscanned-map.yml (title)" in capsys.readouterr().out
    assert load_content(repo).item("unscanned-map").title.en == "Map not yet scanned"
    assert not (repo / "archive" / "map-not-yet-scanned.yml").exists()
