"""`sitegen report`: what a librarian still has to fix, as a terminal table."""
from __future__ import annotations

from test_librarian_import import CC0, csv_file, run, scan

from generator.cli import main


def test_report_lists_what_needs_work(repo, tmp_path, capsys):
    scans = tmp_path / "scans"
    scan(scans / "big.jpg", 1, size=(2400, 1600))
    scan(scans / "tiny.jpg", 2, size=(300, 200))
    (scans / "copy.jpg").write_bytes((repo / "images" / "kanda-myojin-hikifuda" / "front.jpg").read_bytes())
    rows = [
        f"big-map,big.jpg,大きな地図,Big map,map,嘉永年間,{CC0}",  # a map without coordinates
        f"tiny-print,tiny.jpg,小さな絵,,ukiyo-e,そのうち,{CC0}",  # too small, no English title, unread date
    ]
    header = "id,file,title_ja,title_en,type,date,rights"
    assert run(repo, str(csv_file(tmp_path / "cat.csv", rows, header=header)), "--images", str(scans)) == 0
    # A second item with a scan the archive already holds (written by hand: import refuses it).
    (repo / "images" / "copied-leaflet").mkdir()
    (repo / "images" / "copied-leaflet" / "front.jpg").write_bytes((scans / "copy.jpg").read_bytes())
    (repo / "archive" / "copied-leaflet.yml").write_text(
        f"id: copied-leaflet\ntype: document\ntitle: {{ja: 引札, en: Leaflet, reading: ひきふだ}}\nrights: {CC0}\n"
        "images:\n  - file: front.jpg\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["report", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    summary = dict(line.rsplit(None, 1) for line in out.split("\n\n")[0].splitlines()[2:])
    assert summary["No English title"] == "2"  # tiny-print and the sample hikifuda
    assert summary["No rights"] == "0"
    assert summary["Maps without coordinates"] == "1"
    assert summary["Scans too small for deep zoom (long side under 2,000 px)"].isdigit()
    duplicates = out.split("Possible duplicate scans (")[1].split("\n\n")[0]
    assert duplicates.count("(same file)") == 1
    assert summary["Dates that could not be read as years"] == "1"
    assert "  big-map\n" in out.split("Maps without coordinates (1)")[1]
    assert "tiny-print  tiny.jpg: 300 × 200 px" in out
    assert "big-map" not in out.split("Scans too small")[2]
    assert "copied-leaflet/front.jpg = kanda-myojin-hikifuda/front.jpg (same file)" in out
    assert "tiny-print  そのうち" in out
    assert "No reading of the title" in out and "  big-map\n" in out.split("No reading of the title (")[1]


def test_report_in_japanese(repo, capsys, monkeypatch):
    monkeypatch.setenv("SITEGEN_LANG", "ja")
    assert main(["report", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "英語のタイトルがない" in out and "件数" in out


def test_report_page_shows_the_first_findings_and_the_csv_has_them_all(repo):
    """A large archive's report page lists a section's first 100 findings (10,000 made a
    2.6 MB page); report/findings.csv has every one, readable by a spreadsheet (BOM)."""
    import csv
    import io

    from conftest import TODAY
    from test_content_errors import sitegen

    for n in range(120):  # no English title, as an import from a Japanese list gives
        (repo / "archive" / f"list-{n:03d}.yml").write_text(
            f"id: list-{n:03d}\ntype: document\ntitle: {{ja: 目録の資料 第{n}号, reading: もくろく}}\nrights: {CC0}\n",
            encoding="utf-8")
    result = sitegen(repo, "build", "--quiet", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    site = repo / "site"
    page = (site / "report" / "index.html").read_text(encoding="utf-8")
    section = page.split('id="no-english-title"')[1].split("</ul>")[0]
    assert section.count("<li>") == 100
    assert "最初の 100 件を示します。全 121 件は" in section  # 120 and the sample's hikifuda
    assert 'href="findings.csv"' in page
    english = (site / "en" / "report" / "index.html").read_text(encoding="utf-8")
    assert "The first 100 are shown; all 121 are in" in english and 'href="../../report/findings.csv"' in english
    raw = (site / "report" / "findings.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["確認すること", "Check", "資料ID"]
    untitled = [r for r in rows[1:] if r[1] == "No English title"]
    assert len(untitled) == 121
    assert ["英語のタイトルがない", "No English title", "list-119", "目録の資料 第119号"] in [r[:4] for r in untitled]
    assert all(r[6].endswith(f"/items/{r[2]}/") for r in rows[1:])
