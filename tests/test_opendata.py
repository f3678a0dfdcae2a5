"""Open data: bunkazai.csv in the national 文化財一覧 format, items.json, and the data page."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from generator.content import load_content
from generator.librarian.opendata import BUNKAZAI_COLUMNS, katakana
from generator.search.normalise import reading

REPO = Path(__file__).resolve().parent.parent
STANDARD = ("都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称,名称_カナ,名称_通称,名称_英語,文化財分類,種類,"
            "場所名称,住所,方書,緯度,経度,電話番号,内線番号,員数（数）,員数（単位）,法人番号,所有者等,文化財指定日,"
            "利用可能曜日,開始時間,終了時間,利用可能日時特記事項,画像,画像_ライセンス,概要,概要_英語,説明,説明_英語,URL,備考")


def test_the_columns_are_the_standards_34_in_order():
    assert BUNKAZAI_COLUMNS == STANDARD.split(",") and len(BUNKAZAI_COLUMNS) == 34


def test_readings_become_katakana():
    assert katakana("ふがくさんじゅうろっけい かながわおきなみうら") == "フガクサンジュウロッケイ カナガワオキナミウラ"


def test_bunkazai_csv_has_one_row_per_item_and_reads_back(sample_site):
    server, out = sample_site
    items = {i.id: i for i in load_content(REPO).items}
    raw = (out / "data" / "bunkazai.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8, not Shift_JIS
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == BUNKAZAI_COLUMNS
    records = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert all(len(r) == 34 for r in rows)
    assert len(records) == len(items)
    by_url = {r["URL"]: r for r in records}
    for item in items.values():
        r = by_url[f"{server.url}items/{item.id}/"]
        assert r["都道府県コード又は市区町村コード"] == "131016" and r["市区町村名"] == "千代田区"
        assert r["名称"] == item.title.ja and r["名称_英語"] == (item.title.en or "")
        assert r["名称_カナ"] == katakana(item.title.reading or reading(item.title.ja))
        assert r["画像_ライセンス"] == item.rights
    wave = by_url[f"{server.url}items/hokusai-kanagawa-oki-nami-ura/"]
    assert wave["名称_カナ"] == "フガクサンジュウロッケイ カナガワオキナミウラ"
    assert "葛飾北斎" in wave["概要"] and "天保2年頃（1831）" in wave["概要"]
    assert "Katsushika Hokusai" in wave["概要_英語"]
    assert sorted(int(r["NO"]) for r in records) == list(range(1, len(records) + 1))
    assert wave["種類"] == "絵画" and wave["員数（数）"] == "1" and wave["員数（単位）"] == "枚"
    assert "資料ID: hokusai-kanagawa-oki-nami-ura" in wave["備考"]


def test_items_json_holds_every_record(sample_site):
    server, out = sample_site
    data = json.loads((out / "data" / "items.json").read_text(encoding="utf-8"))
    items = load_content(REPO).items
    assert sorted(r["id"] for r in data["items"]) == sorted(i.id for i in items)
    wave = next(r for r in data["items"] if r["id"] == "hokusai-kanagawa-oki-nami-ura")
    assert wave["title"]["ja"] == "冨嶽三十六景　神奈川沖浪裏" and wave["date"]["start"] == 1831
    assert wave["manifest"] == f"{server.url}iiif/hokusai-kanagawa-oki-nami-ura/manifest.json"
    assert any(c["id"] == "katsushika-hokusai" for c in data["creators"])


def test_the_data_page_lists_the_downloads_with_their_licence(sample_site):
    _, out = sample_site
    ja = (out / "data" / "index.html").read_text(encoding="utf-8")
    en = (out / "en" / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="bunkazai.csv"' in ja and 'href="items.json"' in ja
    assert 'href="../../data/bunkazai.csv"' in en
    assert "creativecommons.org/licenses/by/4.0/" in ja and "creativecommons.org/licenses/by/4.0/" in en
