"""`sitegen add`: scans copied (never moved), a record with placeholders, validated."""
from __future__ import annotations

from pathlib import Path

from test_librarian_import import CC0, scan

from generator.cli import main
from generator.content import load_content


def add(repo: Path, *args: str) -> int:
    return main(["add", "--root", str(repo), "--no-input", *args])


def test_add_copies_the_scans_and_writes_a_valid_record(repo, tmp_path, capsys):
    front, back = scan(tmp_path / "IMG_0001.JPG", 1), scan(tmp_path / "IMG_0002.JPG", 2)
    original = front.read_bytes()
    assert add(repo, str(front), str(back), "--title-ja", "神田祭の番付", "--title-en", "Kanda Festival ranking sheet",
               "--type", "document", "--date", "天保元年", "--artist", "Utagawa Kuniyoshi", "--rights", CC0) == 0
    assert "created archive/kanda-festival-ranking-sheet.yml" in capsys.readouterr().out
    record = (repo / "archive" / "kanda-festival-ranking-sheet.yml").read_text(encoding="utf-8")
    assert "# description: {ja: 説明, en: Description}" in record  # placeholders for what is still missing
    assert "# date:" not in record  # …but not for what was given
    item = load_content(repo).item("kanda-festival-ranking-sheet")
    assert [s.file for s in item.images] == ["IMG_0001.JPG", "IMG_0002.JPG"]
    assert item.creators[0].id == "utagawa-kuniyoshi" and item.date.start == 1830
    assert front.read_bytes() == original  # the librarian's file is where it was, unchanged
    assert (repo / "images" / "kanda-festival-ranking-sheet" / "IMG_0001.JPG").read_bytes() == original


def test_add_names_the_missing_options(repo, tmp_path, capsys):
    assert add(repo, str(scan(tmp_path / "a.jpg", 3)), "--id", "no-rights-yet", "--title-ja", "題", "--type", "map") == 1
    err = capsys.readouterr().err
    assert "field '--rights'" in err and "there are no rights" in err
    assert not (repo / "archive" / "no-rights-yet.yml").exists()


def test_add_refuses_an_existing_id_and_a_scan_already_in_the_archive(repo, tmp_path, capsys):
    args = ["--type", "photo", "--rights", CC0]
    assert add(repo, str(scan(tmp_path / "a.jpg", 4)), "--id", "hokusai-kanagawa-oki-nami-ura", "--title-ja", "x", *args) == 1
    assert "already exists" in capsys.readouterr().err
    sample_scan = repo / "images" / "hokusai-kanagawa-oki-nami-ura" / "print.jpg"
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(sample_scan.read_bytes())
    assert add(repo, str(copy), "--id", "a-second-wave", "--title-ja", "波", *args) == 1
    assert "same file as images/hokusai-kanagawa-oki-nami-ura/print.jpg" in capsys.readouterr().err
    assert not (repo / "archive" / "a-second-wave.yml").exists()


def test_add_with_a_missing_scan_file(repo, tmp_path, capsys):
    assert add(repo, str(tmp_path / "nowhere.jpg"), "--id", "x", "--title-ja", "x", "--type", "photo", "--rights", CC0) == 1
    assert "nowhere.jpg does not exist" in capsys.readouterr().err


def test_on_a_terminal_add_asks_for_every_field_it_was_not_given(repo, tmp_path, monkeypatch, capsys):
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    # Title, English title, reading (Enter: the suggestion), type, artist, date, series (Enter: none), rights.
    answers = iter(["浅草寺の雪", "Snow at Sensōji", "", "ukiyo-e", "", "", "", "CC0"])
    asked = []
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or next(answers))
    assert main(["add", "--root", str(repo), str(scan(tmp_path / "s.jpg", 9))]) == 0
    assert len(asked) == 8 and asked[0].startswith("Title in Japanese")
    assert "[せんそうじのゆき]" in asked[2]  # the reading suggested from the title
    item = load_content(repo).item("snow-at-sensoji")
    assert (item.title.ja, item.title.reading, item.type, item.rights) == ("浅草寺の雪", "せんそうじのゆき", "ukiyo-e", CC0)
    assert item.date is None and item.creators == [] and item.series is None
