"""Authoring without traps, for librarians: each everyday slip either comes out right or is
reported with the file, the field, the line and how to fix it, in English and Japanese.

Plausibility (check and report), imports that cannot half-update (two languages, Shift_JIS
files that lost characters, --dry-run), readings and a BOM in the open data, the questions of
`sitegen add` on a terminal (in-process and through a real pseudo-terminal), and the staff
report kept out of search engines (the one build of this module).
"""
from __future__ import annotations

import csv
import io
import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest
from test_content_errors import sitegen
from test_librarian_import import scan

from conftest import TODAY, copy_repo
from generator.cli import main
from generator.content import load_content

PDM = "https://creativecommons.org/publicdomain/mark/1.0/"


def record(repo: Path, item_id: str, text: str) -> Path:
    path = repo / "archive" / f"{item_id}.yml"
    path.write_text(f"id: {item_id}\n{text}", encoding="utf-8")
    return path


def message(output: str, where: str, field: str, lang: str = "en") -> tuple[str, str]:
    """The message at file:line for field, and its how-to-fix line."""
    label = "注意" if lang == "ja" else "warning"
    field_label = f"[項目 '{field}']" if lang == "ja" else f"[field '{field}']"
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(f"{where}: ") and field_label in line and (label in line or "error" in line or "エラー" in line):
            return line, lines[i + 1]
    raise AssertionError(f"no message at {where} for {field}:\n{output}")


# --- plausibility: check --------------------------------------------------------------------
LATE_HIROSHIGE = """type: ukiyo-e
title: {ja: 東都名所　日本橋, reading: とうとめいしょ にほんばし}
creators:
  - id: utagawa-hiroshige
    role: artist
date: {text: 明治3年}
rights: %s
""" % PDM


def test_an_item_dated_after_its_artists_death_is_a_warning_naming_line_and_fix(repo):
    record(repo, "late-hiroshige", LATE_HIROSHIGE)
    result = sitegen(repo, "check")
    assert result.returncode == 0, result.stderr  # a warning: restrikes exist
    head, fix = message(result.stderr, "archive/late-hiroshige.yml:7", "date.text")
    assert "明治3年 (1870) is after the death of the artist Utagawa Hiroshige (1797–1858)" in head
    assert fix.strip().startswith("how to fix:") and "後摺" in fix
    ja = sitegen(repo, "check", lang="ja")
    head, fix = message(ja.stderr, "archive/late-hiroshige.yml:7", "date.text", "ja")
    assert "歌川広重（1797–1858）が亡くなった後です" in head and fix.strip().startswith("直し方:")
    assert "Traceback" not in result.stderr + ja.stderr


def test_a_later_impression_said_in_the_date_is_not_a_warning(repo):
    record(repo, "late-hiroshige", LATE_HIROSHIGE.replace("{text: 明治3年}", "{text: 明治3年（後摺）, start: 1870}"))
    result = sitegen(repo, "check")
    assert result.returncode == 0 and "late-hiroshige" not in result.stderr, result.stderr


def test_an_item_dated_before_its_artist_was_ten_is_a_warning(repo):
    record(repo, "young-hokusai", f"type: ukiyo-e\ntitle: {{ja: 初期の絵}}\ncreators: [{{id: katsushika-hokusai}}]\n"
                                  f"date: 1765\nrights: {PDM}\n")
    result = sitegen(repo, "check")
    head, fix = message(result.stderr, "archive/young-hokusai.yml:5", "date.text")
    assert "before the artist Katsushika Hokusai (1760–1849) was 10 years old" in head and "how to fix:" in fix


def test_the_same_title_twice_is_a_warning_on_the_second_naming_the_first(repo):
    # The sample's print, entered again (full-width/half-width and old kanji forms do not hide it).
    record(repo, "zz-ohashi-again", "type: ukiyo-e\ntitle:\n  ja: 名所江戸百景 大はしあたけの夕立\n"
                                    f"series: meisho-edo-hyakkei\nrights: {PDM}\n")
    result = sitegen(repo, "check")
    assert result.returncode == 0
    head, fix = message(result.stderr, "archive/zz-ohashi-again.yml:4", "title.ja")
    assert "the same as that of archive/hiroshige-ohashi-atake-yudachi.yml" in head
    assert "how to fix:" in fix and "（後摺）" in fix
    ja = sitegen(repo, "check", lang="ja")
    head, _ = message(ja.stderr, "archive/zz-ohashi-again.yml:4", "title.ja", "ja")
    assert "archive/hiroshige-ohashi-atake-yudachi.yml と同じです" in head


def test_a_reading_left_behind_by_a_changed_title_is_a_warning(repo):
    path = repo / "archive" / "hokusai-kanagawa-oki-nami-ura.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("冨嶽三十六景　神奈川沖浪裏", "冨嶽三十六景　凱風快晴"), encoding="utf-8")
    result = sitegen(repo, "check")
    assert result.returncode == 0
    head, fix = message(result.stderr, "archive/hokusai-kanagawa-oki-nami-ura.yml:7", "title.reading")
    assert "'ふがくさんじゅうろっけい かながわおきなみうら' does not look like a reading of the title '冨嶽三十六景　凱風快晴'" in head
    assert "how to fix:" in fix
    # The sample's readings (a special one, ふがく for 冨嶽, and unread （見本）) raise nothing.
    assert result.stderr.count("title.reading") == 1
    ja = sitegen(repo, "check", lang="ja")
    head, fix = message(ja.stderr, "archive/hokusai-kanagawa-oki-nami-ura.yml:7", "title.reading", "ja")
    assert "タイトル「冨嶽三十六景　凱風快晴」の読みには見えません" in head and "直し方:" in fix


def test_readings_that_fit_are_left_alone():
    from generator.librarian.plausibility import TitleFacts

    check = TitleFacts(None)
    for title, reading in [("山下白雨", "さんかはくう"), ("神田明神祭礼の引札（見本）", "かんだみょうじんさいれいのひきふだ"),
                           ("東海道五拾三次之内　日本橋　朝之景", "とうかいどうごじゅうさんつぎのうち にほんばし あさのけい"),
                           ("甲州石班沢", "こうしゅうかじかざわ"), ("Snow at Sensōji", "せんそうじのゆき")]:
        assert check.fits(title, reading), (title, reading)
    for title, reading in [("凱風快晴", "かながわおきなみうら"), ("冨嶽三十六景　神奈川沖浪裏", "かながわおきなみうら")]:
        assert not check.fits(title, reading), (title, reading)


COURSE = """id: {id}
title: {{ja: 写真の教室, en: Photo class}}
capacity: 10
sessions:
  - id: {id}-1
    venue: kudan-community-hall
    room: 第2学習室
    weekly:
      weekday: sat
      start_date: 2027-01-09
      {end}
    start: "14:00"
    end: "15:00"
"""


@pytest.mark.parametrize("end, field, words_en, words_ja", [
    ("until: 2027-01-14", "until", "has one class only, on 2027-01-09", "2027-01-09 の1回だけです"),
    ("until: 2027-12-25", "until", "runs about 12 months, 51 classes", "約12か月、51回"),
    ("count: 40", "count", "runs about 9 months, 40 classes", "約9か月、40回"),
])
def test_a_weekly_class_of_one_date_or_most_of_a_year_is_a_warning(repo, end, field, words_en, words_ja):
    (repo / "lessons/schedule/courses/photo.yml").write_text(COURSE.format(id="photo", end=end), encoding="utf-8")
    for lang, words in (("en", words_en), ("ja", words_ja)):
        result = sitegen(repo, "check", lang=lang)
        assert result.returncode == 0, result.stderr
        head, fix = message(result.stderr, "lessons/schedule/courses/photo.yml:11", f"sessions[0].weekly.{field}", lang)
        assert words in head, head
        assert fix.strip().startswith("how to fix:" if lang == "en" else "直し方:")


def test_a_weekly_rule_whose_every_date_is_skipped_is_an_error(repo):
    end = "count: 2\n      skip: [2027-01-09, 2027-01-16]"
    (repo / "lessons/schedule/courses/photo.yml").write_text(COURSE.format(id="photo", end=end), encoding="utf-8")
    result = sitegen(repo, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    head, fix = message(result.stderr, "lessons/schedule/courses/photo.yml:12", "sessions[0].weekly.skip")
    assert "error" in head and "every date of the session 'photo-1' is skipped" in head and "how to fix:" in fix
    ja = sitegen(repo, "check", lang="ja")
    head, fix = message(ja.stderr, "lessons/schedule/courses/photo.yml:12", "sessions[0].weekly.skip", "ja")
    assert "エラー" in head and "教室が1回もありません" in head and "直し方:" in fix


# --- plausibility: report -------------------------------------------------------------------
def test_report_lists_the_unlikely_facts_and_undated_items(repo, capsys, monkeypatch):
    record(repo, "late-hiroshige", LATE_HIROSHIGE)
    record(repo, "undated", f"type: photo\ntitle: {{ja: 写真, reading: しゃしん}}\nrights: {PDM}\n")
    record(repo, "zz-ohashi-again", "type: ukiyo-e\ntitle: {ja: 名所江戸百景　大はしあたけの夕立}\ndate: 安政4年\n"
                                    f"series: meisho-edo-hyakkei\nrights: {PDM}\n")
    (repo / "lessons/schedule/courses/photo.yml").write_text(COURSE.format(id="photo", end="count: 40"), encoding="utf-8")
    assert main(["report", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    summary = dict(line.rsplit(None, 1) for line in out.split("\n\n")[0].splitlines()[2:])
    assert summary["No date"] == "1" and "  undated\n" in out.split("No date (1)")[1]
    assert summary["Dates outside the creator's lifetime"] == "1"
    assert "late-hiroshige  the date 明治3年 (1870) is after the death" in out
    assert summary["The same title as another item"] == "1" and "  zz-ohashi-again  the title" in out
    assert summary["Weekly classes with an unlikely span or number"] == "1" and "  photo-1  the weekly session" in out
    monkeypatch.setenv("SITEGEN_LANG", "ja")
    assert main(["report", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "年代がない" in out and "作者の生没年と合わない年代" in out and "期間や回数が不自然な毎週の教室" in out


# --- imports that cannot half-update --------------------------------------------------------
def catalogue(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def run_import(repo: Path, csv_path: Path, *args: str, lang: str = "en"):
    images = csv_path.parent / "scans"
    images.mkdir(exist_ok=True)
    return sitegen(repo, "import", str(csv_path), "--images", str(images), *args, lang=lang)


def archive(repo: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((repo / "archive").glob("*.yml"))}


WAVE = "hokusai-kanagawa-oki-nami-ura"


def test_a_new_japanese_title_without_english_drops_the_stale_english_and_says_so(repo, tmp_path):
    path = catalogue(tmp_path / "cat.csv", [["id", "title_ja"], [WAVE, "凱風快晴"]])
    result = run_import(repo, path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    head = next(i for i, line in enumerate(lines) if "the English title 'Thirty-six Views" in line)
    assert lines[head].startswith("cat.csv:2: warning: row 2, column 'title_ja':")
    assert "The English was removed" in lines[head] and "add the column title_en" in lines[head + 1]
    assert "the reading 'ふがくさんじゅうろっけい かながわおきなみうら' was for the old title" in result.stderr
    item = load_content(repo).item(WAVE)
    assert item.title.ja == "凱風快晴" and item.title.en is None and item.title.reading is None  # nothing disagrees
    ja = run_import(repo, catalogue(tmp_path / "cat2.csv", [["id", "title_ja"], [WAVE, "赤富士"]]), lang="ja")
    assert "英語は消しました" not in ja.stderr  # no English left to disagree: nothing to say
    assert load_content(repo).item(WAVE).title.ja == "赤富士"


def test_a_small_correction_keeps_the_english_and_the_reading_and_asks_to_check(repo, tmp_path):
    path = catalogue(tmp_path / "cat.csv", [["id", "title_ja", "institution"],
                                             [WAVE, "冨嶽三十六景　神奈川沖浪裏（後摺）", "千代田区立日比谷図書文化館"]])
    result = run_import(repo, path, lang="ja")
    assert result.returncode == 0, result.stderr
    assert "小さな直しなので、英語はそのまま残します" in result.stderr and "title_en 列を足してください" in result.stderr
    assert "所蔵機関の英語名「Chiyoda City Library (sample)」" in result.stderr and "英語は消しました" in result.stderr
    item = load_content(repo).item(WAVE)
    assert item.title.en == "Thirty-six Views of Mount Fuji: Under the Wave off Kanagawa"
    assert item.title.reading == "ふがくさんじゅうろっけい かながわおきなみうら"  # still the title's reading
    assert item.source.institution.ja == "千代田区立日比谷図書文化館" and item.source.institution.en is None


def test_an_english_name_on_both_pages_follows_the_change(repo, tmp_path):
    record(repo, "met-print", f"type: ukiyo-e\ntitle: {{ja: 波}}\nrights: {PDM}\n"
                              "source: {institution: {ja: The Met, en: The Met}}\n")
    path = catalogue(tmp_path / "cat.csv", [["id", "institution"], ["met-print", "The Metropolitan Museum of Art"]])
    result = run_import(repo, path)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    source = load_content(repo).item("met-print").source
    assert source.institution.ja == source.institution.en == "The Metropolitan Museum of Art"


def test_an_artist_named_again_in_japanese_keeps_the_english_name(repo, tmp_path):
    record(repo, "shop-bill", f"type: document\ntitle: {{ja: 引札}}\nrights: {PDM}\n"
                              "creators: [{name: {ja: 無名の絵師, en: Unknown artist}}]\n")
    path = catalogue(tmp_path / "cat.csv", [["id", "artist_ja", "title_ja"], ["shop-bill", "無名の絵師", "引札（大判）"]])
    assert run_import(repo, path).returncode == 0
    name = load_content(repo).item("shop-bill").creators[0].name
    assert (name.ja, name.en) == ("無名の絵師", "Unknown artist")


def test_dry_run_shows_each_changed_field_with_old_and_new_value_and_writes_nothing(repo, tmp_path):
    before = archive(repo)
    wave = load_content(repo).item(WAVE)
    path = catalogue(tmp_path / "cat.csv", [["id", "title_ja", "medium_ja"], [WAVE, "凱風快晴", "木版画"]])
    result = run_import(repo, path, "--dry-run")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"update: archive/{WAVE}.yml (medium, title)" in out
    assert f"    title.ja: {wave.title.ja} → 凱風快晴\n" in out
    assert f"    title.en: {wave.title.en} → (none)\n" in out
    assert f"    medium.ja: {wave.medium.ja} → 木版画\n" in out and f"    medium.en: {wave.medium.en[:79]}" in out
    assert "(dry run: nothing written)" in out
    assert archive(repo) == before
    ja = run_import(repo, path, "--dry-run", lang="ja")
    assert f"    title.en: {wave.title.en} → （なし）\n" in ja.stdout
    assert "（試しに実行: 何も書き込んでいません）" in ja.stdout


SENSOJI = f"type: ukiyo-e\ntitle: {{ja: 浅草寺の雪, en: Snow at Sensōji, reading: せんそうじのゆき}}\nrights: {PDM}\n"


def test_a_shift_jis_file_that_lost_characters_never_overwrites_good_text(repo, tmp_path):
    record(repo, "sensoji", SENSOJI)
    before = archive(repo)
    # Excel's Shift_JIS save: ō is not in CP932 and became '?'; the row changes nothing else.
    path = catalogue(tmp_path / "cat.csv", [["id", "title_ja", "title_en"], ["sensoji", "浅草寺の雪", "Snow at Sens?ji"]],
                     encoding="cp932")
    result = run_import(repo, path)
    assert result.returncode == 0, result.stderr
    assert "row 2, column 'title_en': 'Snow at Sens?ji' lost characters when the file was saved as Shift_JIS; " \
           "the record's 'Snow at Sensōji' is kept." in result.stderr
    assert "CSV UTF-8 (コンマ区切り)" in result.stderr and "0 created, 0 updated, 1 unchanged" in result.stdout
    ja = run_import(repo, path, lang="ja")
    assert "「Snow at Sens?ji」は、Shift_JIS で保存したときに文字が失われたものです。記録の「Snow at Sensōji」をそのまま残します。" in ja.stderr
    assert "「CSV UTF-8（コンマ区切り）」" in ja.stderr
    assert archive(repo) == before


def test_a_shift_jis_file_with_lost_characters_in_new_text_is_refused(repo, tmp_path):
    before = archive(repo)
    rows = [["id", "title_ja", "title_en", "artist_ja", "rights"],
            ["new-print", "東海道", "T?kaid? road", "", PDM], ["other", "?飾の絵", "", "", PDM]]
    path = catalogue(tmp_path / "cat.csv", rows, encoding="cp932")
    for lang, words in (("en", ["row 2, column 'title_en': the '?' in 'T?kaid? road' is a character lost when Excel "
                                "saved this file as Shift_JIS", "how to fix: in Excel choose Save As and the type "
                                "'CSV UTF-8 (コンマ区切り)'"]),
                        ("ja", ["2行目、列「title_en」: 「T?kaid? road」の「?」は、Excel がこのファイルを Shift_JIS（CP932）で保存したときに失われた文字です",
                                "直し方: Excel で「名前を付けて保存」を選び、ファイルの種類を「CSV UTF-8（コンマ区切り）」にして"])):
        result = run_import(repo, path, lang=lang)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        for w in words:
            assert w in result.stderr, result.stderr
        assert "cat.csv:3:" in result.stderr and "'?飾の絵'" in result.stderr.replace("「", "'").replace("」", "'")
    assert archive(repo) == before
    # The same text in a UTF-8 file is what the librarian typed: a question mark is kept.
    path = catalogue(tmp_path / "utf8.csv", [["id", "title_ja", "title_en", "type", "rights"],
                                              ["quiz", "なぞなぞ", "Who?", "document", PDM]])
    assert run_import(repo, path).returncode == 0
    assert load_content(repo).item("quiz").title.en == "Who?"


# --- sitegen add on a terminal ----------------------------------------------------------------
class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def answer(monkeypatch, answers: list[str]) -> list[str]:
    """Answers typed at the prompts (in order); returns the prompts shown."""
    given = iter(answers)
    asked: list[str] = []

    def typed(prompt: str) -> str:
        asked.append(prompt)
        try:
            return next(given)
        except StopIteration:
            raise EOFError from None  # Ctrl-D

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", typed)
    return asked


def test_add_asks_again_on_a_bad_answer_and_keeps_the_others(repo, tmp_path, monkeypatch, capsys):
    asked = answer(monkeypatch, [
        "",                       # title: needed
        "神奈川沖浪裏（後摺）",
        "The Great Wave (later impression)",
        "ふがく!",                # reading: not kana
        "",                       # … Enter: the suggestion
        "scroll", "1",            # type: not a type, then by number
        "Hokusai Katsushka",      # artist: misspelt -> the closest names offered
        "1",                      # … the first: 葛飾北斎
        "いつか", "天保2年頃",     # date: not readable, then readable
        "3",                      # series by number: 諸国瀧廻り
        "cc by 5.0", "PDM",        # rights: not a licence, then a name
    ])
    assert main(["add", "--root", str(repo), "--id", "wave-later", str(scan(tmp_path / "w.jpg", 21))]) == 0
    out = capsys.readouterr().out
    assert "  this one is needed." in out
    assert "  write the reading in hiragana" in out
    assert "  'scroll' is not one of the types" in out
    assert "Did you mean one of these?" in out and "1) 葛飾北斎（Katsushika Hokusai, 1760–1849）" in out
    assert "  'いつか' cannot be read as years" in out
    assert "  'cc by 5.0' is not an existing licence" in out
    assert sum(p.startswith("Title in Japanese") for p in asked) == 2  # asked again, only that one
    item = load_content(repo).item("wave-later")
    assert (item.title.ja, item.title.en, item.type, item.series) == (
        "神奈川沖浪裏（後摺）", "The Great Wave (later impression)", "ukiyo-e", "shokoku-taki-meguri")
    assert item.title.reading and all("\u3041" <= c <= "\u309f" or c == " " for c in item.title.reading)
    assert item.creators[0].id == "katsushika-hokusai" and item.date.start == 1831 and item.rights == PDM


def test_add_in_japanese_suggests_the_reading_and_offers_another_id(repo, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SITEGEN_LANG", "ja")
    asked = answer(monkeypatch, ["両国花火", "", "", "浮世絵", "広重", "安政4年", "", "1", ""])
    # The id comes from the title, and an item already has it.
    record(repo, "ryougoku-hanabi", SENSOJI)
    assert main(["add", "--root", str(repo), str(scan(tmp_path / "o.jpg", 22))]) == 0
    out = capsys.readouterr().out
    assert asked[0].startswith("タイトル（日本語） *") and "[りょうごくはなび]" in asked[2]
    assert "→ 歌川広重（Utagawa Hiroshige, 1797–1858）" in out
    assert "ID「ryougoku-hanabi」の資料はすでにあります" in out and asked[-1].startswith("この資料の ID [ryougoku-hanabi-2]")
    item = load_content(repo).item("ryougoku-hanabi-2")
    assert item.title.reading == "りょうごくはなび" and item.creators[0].id == "utagawa-hiroshige"
    assert item.rights == PDM


def test_add_stopped_half_way_keeps_the_answers_as_a_command(repo, tmp_path, monkeypatch, capsys):
    answer(monkeypatch, ["浅草寺の雪", "Snow at Sensōji"])  # then Ctrl-D
    before = archive(repo)
    assert main(["add", "--root", str(repo), str(scan(tmp_path / "s.jpg", 23))]) == 1
    err = capsys.readouterr().err
    assert "to run it again with your answers: sitegen add" in err
    assert "--title-ja '浅草寺の雪' --title-en 'Snow at Sensōji'" in err and "Traceback" not in err
    assert archive(repo) == before and not (repo / "images" / "snow-at-sensoji").exists()


def test_add_through_a_real_terminal(repo, tmp_path):
    """The questions as a librarian meets them: a pseudo-terminal, typed lines, a bad answer."""
    picture = scan(tmp_path / "IMG_0042.JPG", 24)
    answers = ["両国花火", "Fireworks at Ryōgoku", "", "photo", "", "明治時代", "", "by 5.0", "CC BY 4.0"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: sitegen on the terminal's other end
        os.environ["SITEGEN_LANG"] = "en"
        os.execv(sys.executable, [sys.executable, "-m", "generator", "add", "--root", str(repo), str(picture)])
    os.write(fd, "".join(a + "\n" for a in answers).encode("utf-8"))
    out = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    _, status = os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "Title in Japanese *:" in text and "[りょうごくはなび]" in text
    assert "'by 5.0' is not an existing licence" in text
    assert "created archive/fireworks-at-ryogoku.yml" in text
    item = load_content(repo).item("fireworks-at-ryogoku")
    assert (item.type, item.rights, item.date.start) == ("photo", "https://creativecommons.org/licenses/by/4.0/", 1868)


# --- the one build: the staff report out of search engines, the open data in Excel ----------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("authoring") / "repo")
    record(root, "no-reading", f"type: photo\ntitle: {{ja: 両国の花火}}\nrights: {PDM}\n")
    result = sitegen(root, "build", "--quiet", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_the_staff_report_is_kept_out_of_search_engines(built):
    for page in ("report/index.html", "en/report/index.html"):
        head = (built / page).read_text(encoding="utf-8").split("</head>")[0]
        assert '<meta name="robots" content="noindex">' in head, page
    for sitemap in ("sitemap.xml", "en/sitemap.xml"):
        text = (built / sitemap).read_text(encoding="utf-8")
        assert "/report/" not in text and "/items/no-reading/" in text, sitemap
    assert "robots" not in (built / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    nginx = (built / "_server" / "nginx.conf").read_text(encoding="utf-8")
    assert 'location ~ ^/(en/)?report/ {\n    # The staff' in nginx and 'add_header X-Robots-Tag "noindex" always;' in nginx
    apache = (built / ".htaccess").read_text(encoding="utf-8")
    assert '<If "%{REQUEST_URI} =~ m#^/(en/)?report/#">\n    Header always set X-Robots-Tag "noindex"' in apache


def test_open_data_csvs_carry_a_bom_and_every_item_a_reading(built):
    for name in ("bunkazai.csv", "events.csv"):
        raw = (built / "data" / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # Excel then reads UTF-8, not Shift_JIS
        assert raw.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.DictReader(io.StringIO((built / "data" / "bunkazai.csv").read_text(encoding="utf-8-sig"))))
    mine = next(r for r in rows if r["備考"].startswith("資料ID: no-reading"))
    assert mine["名称_カナ"] == "リョウゴクノハナビ"  # from the title: the record has no reading
    wave = next(r for r in rows if r["備考"].startswith(f"資料ID: {WAVE}"))
    assert wave["名称_カナ"] == "フガクサンジュウロッケイ カナガワオキナミウラ"  # the librarian's own reading first
