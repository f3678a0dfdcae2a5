"""The librarian's tools with careless or hostile spreadsheets and files: formulas stay inert in
the staff CSV (and exact in open data), a catalogue's file column cannot reach outside
--images, a broken CSV gets one clear message, scans are size-checked without switching off
Pillow's guard for the process, and text from a CSV never drives the terminal."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from conftest import REPO, TODAY, copy_repo
from generator.errors import printable
from test_content_errors import sitegen
from test_librarian_import import CC0, scan

PILLOW_DEFAULT = int(1024 * 1024 * 1024 // 4 // 3)  # Pillow's documented MAX_IMAGE_PIXELS
FORMULA_TITLE = '=HYPERLINK("http://evil.example/","クリック")'
FORMULA_DATE = "=1+2"


def snapshot(repo: Path) -> dict[str, str]:
    """What import and add may write: every record's bytes, every scan's name and size."""
    out = {f"archive/{p.relative_to(repo / 'archive').as_posix()}": hashlib.sha256(p.read_bytes()).hexdigest()
           for p in sorted((repo / "archive").rglob("*")) if p.is_file()}
    out |= {f"images/{p.relative_to(repo / 'images').as_posix()}": str(p.stat().st_size) if p.is_file() else "dir"
            for p in sorted((repo / "images").rglob("*"))}
    return out


def refused(result: subprocess.CompletedProcess, *words: str) -> str:
    """The command failed with a message, not a traceback, and the message says these words."""
    err = result.stderr
    assert result.returncode == 1, result.stdout + err
    assert "Traceback" not in err, err
    assert "how to fix:" in err or "直し方:" in err, err
    for w in words:
        assert w in err, f"{w!r} not in:\n{err}"
    return err


@pytest.fixture
def scans(tmp_path: Path) -> Path:
    folder = tmp_path / "scans"
    scan(folder / "ok.jpg", 11)
    scan(tmp_path / "outside.jpg", 12)  # beside the folder, never to be imported
    (folder / "sub").mkdir()
    return folder


def catalogue(path: Path, file_cell: str) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["file", "title_ja", "type", "rights"],
                                                      [file_cell, "題", "photo", CC0]])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


# --- 1. formulas: neutralised for staff, exact in open data -----------------------------
@pytest.fixture(scope="module")
def formula_site(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("formula") / "repo")
    (root / "archive" / "formula-title.yml").write_text(
        "id: formula-title\ntype: document\n"
        f"title: {{ja: '{FORMULA_TITLE}', reading: すうしき}}\n"  # no English title: a finding
        f"date: {{text: '{FORMULA_DATE}'}}\n"  # not readable as years: a finding with the date
        f"rights: {CC0}\n", encoding="utf-8")
    result = sitegen(root, "build", "--quiet", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return root / "site"


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_a_formula_is_inert_in_findings_csv_and_exact_in_open_data(formula_site):
    findings = [r for r in _rows(formula_site / "report" / "findings.csv") if r[2] == "formula-title"]
    assert {r[1] for r in findings} >= {"No English title", "Dates that could not be read as years"}
    assert all(r[3] == "'" + FORMULA_TITLE for r in findings), findings
    dated = next(r for r in findings if r[1] == "Dates that could not be read as years")
    assert dated[4] == dated[5] == "'" + FORMULA_DATE
    assert not any(cell.startswith(tuple("=+-@\t\r")) for r in _rows(formula_site / "report" / "findings.csv") for cell in r)

    rows = _rows(formula_site / "data" / "bunkazai.csv")
    title = rows[0].index("名称")
    mine = [r for r in rows[1:] if r[-1].startswith("資料ID: formula-title")]
    assert [r[title] for r in mine] == [FORMULA_TITLE]  # data for machines: exactly as recorded


def test_the_data_page_says_the_csv_cells_are_exact_and_how_to_open_them(formula_site):
    ja = (formula_site / "data" / "index.html").read_text(encoding="utf-8")
    en = (formula_site / "en" / "data" / "index.html").read_text(encoding="utf-8")
    assert "どのセルも記録のとおりの値" in ja and "数式" in ja and "テキストまたは CSV から" in ja
    assert "every cell holds exactly the value recorded" in en and "formula" in en
    assert "import dialog" in en and "do not double-click" in en


@pytest.mark.parametrize("cell,expected", [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    (" =1", "' =1"), ("＝1+1", "'＝1+1"),
    ("-3", "-3"), ("+1.5", "+1.5"), ("-0.25", "-0.25"),  # real numbers stay readable as numbers
    ("天保2年", "天保2年"), ("1830-32", "1830-32"), ("", ""), ("https://example.org/a-b", "https://example.org/a-b"),
])
def test_spreadsheet_cells(cell, expected):
    from generator.librarian.report import spreadsheet_cell

    assert spreadsheet_cell(cell) == expected


# --- 2. the file column stays inside --images -------------------------------------------
PATHS = {
    "dotdot": ("../outside.jpg", "leads out of the --images folder"),
    "deep-dotdot": ("../../../../../../etc/passwd", "leads out of the --images folder"),
    "absolute": ("/etc/passwd", "is a full path"),
    "absolute-outside-scan": ("{outside}", "is a full path"),
    "sub-dotdot": ("sub/../../outside.jpg", "leads out of the --images folder"),
    "windows-dotdot": ("..\\outside.jpg", "(a Windows path)"),
    "windows-drive": ("C:\\scans\\ok.jpg", "(a Windows path)"),
    "symlink-out": ("link.jpg", "is a link to a file outside the --images folder"),
    "nul": ("ok.jpg\0.png", "invisible control character (\\x00, NUL)"),
    "folder": ("sub", "is not a file"),
    "fifo": ("pipe.jpg", "is not a file"),
}


@pytest.mark.parametrize("case", sorted(PATHS))
def test_a_file_cell_cannot_leave_the_images_folder(repo, scans, tmp_path, case):
    cell, words = PATHS[case]
    (scans / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    os.mkfifo(scans / "pipe.jpg")
    before = snapshot(repo)
    path = catalogue(tmp_path / "cat.csv", cell.format(outside=tmp_path / "outside.jpg"))
    err = refused(sitegen(repo, "import", str(path), "--images", str(scans)),
                  "cat.csv:2: error", "row 2, column 'file'", words)
    assert "\0" not in err
    assert snapshot(repo) == before  # no record, no copied scan
    ja = refused(sitegen(repo, "import", str(path), "--images", str(scans), lang="ja"), "cat.csv:2", "2行目、列「file」")
    assert "\0" not in ja


def test_a_link_inside_the_images_folder_to_a_scan_there_is_fine(repo, scans, tmp_path):
    (scans / "sub" / "alias.jpg").symlink_to(scans / "ok.jpg")
    result = sitegen(repo, "import", str(catalogue(tmp_path / "cat.csv", "sub/alias.jpg")), "--images", str(scans))
    assert result.returncode == 0, result.stderr
    assert (repo / "images" / "alias" / "alias.jpg").read_bytes() == (scans / "ok.jpg").read_bytes()


@pytest.mark.parametrize("item_id", ["../x", "../../archive/hokusai-kanagawa-oki-nami-ura", "x/../y", "/tmp/x", "..\\x"])
def test_add_refuses_an_id_that_is_a_path(repo, scans, item_id):
    before = snapshot(repo)
    refused(sitegen(repo, "add", str(scans / "ok.jpg"), "--no-input", "--id", item_id, "--title-ja", "題",
                    "--type", "photo", "--rights", CC0), "sitegen add: error [field '--id']", "is not a usable id")
    assert snapshot(repo) == before


def test_add_refuses_a_title_with_control_characters_and_a_scan_name_with_a_separator(repo, scans):
    before = snapshot(repo)
    err = refused(sitegen(repo, "add", str(scans / "ok.jpg"), "--no-input", "--title-ja", "\x1b[2J題\x07",
                          "--type", "photo", "--rights", CC0), "[field '--title-ja']", "invisible control character")
    assert "\x1b" not in err and "\\x1b[2J" in err
    odd = scans / "a;b.jpg"
    odd.write_bytes((scans / "ok.jpg").read_bytes())
    refused(sitegen(repo, "add", str(odd), "--no-input", "--id", "x", "--title-ja", "題", "--type", "photo",
                    "--rights", CC0), "contains ';'")
    assert snapshot(repo) == before


# --- 3. files that are not a readable catalogue -----------------------------------------
def _png() -> bytes:
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b""))


def _xlsx() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


HEAD = "file,title_ja,type,rights\r\n"
GOOD = f"ok.jpg,題,photo,{CC0}\r\n"
BROKEN = {
    "stray-quote": ((HEAD + GOOD + 'ok.jpg,"題,photo\r\n' + ("x" * 100 + "\r\n") * 2000).encode(),
                    ["cat.csv:3", "row 3", "longer than 131,072 characters", "never closed"]),
    "nul-in-a-cell": ((HEAD + f"ok.jpg,題\0,photo,{CC0}\r\n").encode(),
                      ["cat.csv:2", "row 2, column 'title_ja'", "\\x00, NUL"]),
    "nul-in-a-heading": ((HEAD.replace("type", "ty\0pe") + GOOD).encode(), ["cat.csv:1", "column C", "\\x00, NUL"]),
    "utf16": ((HEAD + GOOD).encode("utf-16"), ["cat.csv", "UTF-16"]),
    "binary": (b"\x01\x02" + b"\0" * 64 + b"junk" * 40, ["cat.csv", "binary data"]),
    "empty": (b"", ["cat.csv", "the file is empty"]),
    "bom-only": (b"\xef\xbb\xbf\r\n", ["cat.csv", "the file is empty"]),
    "header-only": (HEAD.encode(), ["cat.csv", "no rows of items"]),
    "blank-rows-only": ((HEAD + ",,,\r\n,,,\r\n").encode(), ["cat.csv", "no rows of items"]),
    "png": (_png(), ["cat.csv", "not a CSV file but a PNG image"]),
    "xlsx": (_xlsx(), ["cat.csv", "Excel workbook (.xlsx)"]),
    "duplicate-heading": (("file,title_ja,type,file,rights\r\n" + f"ok.jpg,題,photo,ok.jpg,{CC0}\r\n").encode(),
                          ["cat.csv:1", "two columns called 'file' (columns A and D)"]),
    "same-field-twice": (("file,title_ja,type,rights,資料名\r\n" + f"ok.jpg,題,photo,{CC0},題\r\n").encode(),
                         ["cat.csv:1", "column '資料名' (column E) holds the same field as column 'title_ja' (column B)"]),
    "many-columns": ((",".join(f"c{i}" for i in range(100_000)) + "\r\n" + GOOD).encode(),
                     ["cat.csv:1", "row 1 names 100,000 columns"]),
    "many-unknown-columns": ((HEAD.rstrip() + "," + ",".join(f"c{i}" for i in range(60)) + "\r\n" + GOOD).encode(),
                             ["cat.csv:1", "unknown column 'c0' (column E)", "40 more problems"]),
    "unquoted-comma": ((HEAD + f"ok.jpg,Fine Wind, Clear Morning,photo,{CC0}\r\n").encode(),
                       ["cat.csv:2", "row 2 has 5 cells, more than the 4 columns", "must be in quotes"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_catalogue_gets_one_clear_message(repo, scans, tmp_path, case):
    data, words = BROKEN[case]
    path = tmp_path / "cat.csv"
    path.write_bytes(data)
    before = snapshot(repo)
    err = refused(sitegen(repo, "import", str(path), "--images", str(scans)), *words)
    lines = err.splitlines()
    count = 21 if case == "many-unknown-columns" else 1  # 20 listed, then the rest summed up
    assert f"{count} error(s)" in lines[-1], err
    assert len([x for x in lines if x.startswith("cat.csv")]) == count, err
    assert "\0" not in err
    ja = refused(sitegen(repo, "import", str(path), "--images", str(scans), lang="ja"), "cat.csv", "直し方:")
    assert "Traceback" not in ja
    assert snapshot(repo) == before


# --- 4. Pillow's decompression-bomb guard stays on --------------------------------------
def test_importing_and_running_the_dedupe_leaves_pillows_limit_alone(tmp_path):
    picture = scan(tmp_path / "a.jpg", 21)
    code = (
        "import PIL.Image as I; before = I.MAX_IMAGE_PIXELS\n"
        "import generator.librarian.dedupe as d, generator.librarian.report, generator.librarian.importer\n"
        "after_import = I.MAX_IMAGE_PIXELS\n"
        "from pathlib import Path\n"
        f"fp = d.fingerprint(Path({str(picture)!r})); d.find_duplicates({{'a/a.jpg': fp, 'b/b.jpg': fp}})\n"
        "print(before, after_import, I.MAX_IMAGE_PIXELS)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(PILLOW_DEFAULT)] * 3


def test_a_scan_over_pillows_limit_is_fingerprinted_without_lifting_it(tmp_path, monkeypatch):
    from PIL import Image

    from generator.librarian.dedupe import fingerprint, looks_alike

    picture = scan(tmp_path / "a.jpg", 22, size=(480, 320))
    normal = fingerprint(picture)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # as if the scan were a 300 MP map sheet
    large = fingerprint(picture)
    assert Image.MAX_IMAGE_PIXELS == 10_000
    assert (large.width, large.height) == (normal.width, normal.height) == (480, 320)
    assert looks_alike(normal, large)


def test_a_scan_over_500_megapixels_is_refused_from_its_header(repo, tmp_path):
    from test_hostile import _png_header

    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "bomb.png").write_bytes(_png_header(30_000, 20_000))
    before = snapshot(repo)
    refused(sitegen(repo, "import", str(catalogue(tmp_path / "cat.csv", "bomb.png")), "--images", str(folder)),
            "row 2, column 'file'", "30000×20000 pixels, over the limit of 500 megapixels")
    assert snapshot(repo) == before


# --- 5. text from a spreadsheet never drives the terminal -------------------------------
TERMINAL = ["\x1b[2J", "\x1b]0;owned\x07", "\x9b31m", "\x08\x08\x08", "\x00"]


@pytest.mark.parametrize("payload", TERMINAL, ids=["clear-screen", "osc-title", "c1-csi", "backspaces", "nul"])
def test_control_sequences_in_a_catalogue_are_refused_and_shown_escaped(repo, scans, tmp_path, payload):
    rows = [["id", "file", "title_ja", "type", "rights"],
            [f"bad{payload}id", "ok.jpg", f"題{payload}", "photo", CC0]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "cat.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    before = snapshot(repo)
    result = sitegen(repo, "import", str(path), "--images", str(scans))
    err = refused(result, "row 2, column 'id'", "row 2, column 'title_ja'", "invisible control character")
    for ch in "\x00\x07\x08\x1b\x9b":
        assert ch not in err + result.stdout, repr(ch)
    assert printable(payload) in err  # shown, escaped, so the librarian can find it
    assert snapshot(repo) == before


def test_an_id_with_a_bidi_override_is_echoed_escaped(repo, scans, tmp_path):
    path = tmp_path / "cat.csv"
    path.write_text(f"id,file,title_ja,type,rights\r\n\u202egpj.exe,ok.jpg,題,photo,{CC0}\r\n", encoding="utf-8")
    err = refused(sitegen(repo, "import", str(path), "--images", str(scans)), "row 2, column 'id'", "not a usable id")
    assert "\u202e" not in err and "\\u202e" in err


def test_report_prints_names_from_records_escaped(repo):
    (repo / "archive" / "bidi-name.yml").write_text(
        "id: bidi-name\ntype: document\ntitle: {ja: 題, en: Title, reading: だい}\n"
        "creators:\n  - name: {ja: \"\u202e\u5317\u658e\", en: \"\u202eHokusai\"}\n    role: artist\n"
        f"rights: {CC0}\n", encoding="utf-8")
    result = sitegen(repo, "report")
    assert result.returncode == 0, result.stderr
    assert "bidi-name" in result.stdout and "\\u202eHokusai" in result.stdout
    assert "\u202e" not in result.stdout
