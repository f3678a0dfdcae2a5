"""data/events.csv: the national recommended dataset イベント一覧 (推奨データセット), one row per
session occurrence, cancelled ones included (marked in 開始日時特記事項) so that a re-user
who copied an earlier version learns of the cancellation.

UTF-8 with a byte order mark and CRLF line ends: Excel, which most re-users open it with,
reads a CSV without the mark as Shift_JIS and garbles the Japanese; programs read the mark
as part of UTF-8 (utf-8-sig). The ward's code and names come from mkdocs.yml (extra.ward).
"""
from __future__ import annotations

import csv
import io

from ..context import BuildContext
from .occurrences import Occurrence

COLUMNS = (
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "イベント名", "イベント名_カナ",
    "イベント名_英語", "開始日", "終了日", "開始時間", "終了時間", "開始日時特記事項", "説明", "料金(基本)",
    "料金(詳細)", "連絡先名称", "連絡先電話番号", "連絡先内線番号", "主催者", "場所名称", "住所", "方書", "緯度",
    "経度", "アクセス方法", "駐車場情報", "定員", "参加申込終了日", "参加申込終了時間", "参加申込方法", "URL", "備考",
)
assert len(COLUMNS) == 32


def katakana(text: str) -> str:
    """The dataset wants readings in full-width katakana; instructors write hiragana."""
    return "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)


def row(ctx: BuildContext, no: int, o: Occurrence) -> dict[str, str]:
    ward, course, venue = ctx.config.ward, o.course, o.venue
    notes = []
    if o.cancelled:
        notes.append("中止")
    if o.moved:
        notes.append(f"{o.original.isoformat()}から日程変更")
    if o.note:
        notes.append(o.note.ja)
    contact = course.contact
    return {
        "都道府県コード又は市区町村コード": ward.code, "NO": str(no), "都道府県名": ward.prefecture, "市区町村名": ward.city,
        "イベント名": course.title.ja, "イベント名_カナ": katakana(course.reading or ""),
        "イベント名_英語": course.title.en or "",
        "開始日": o.start.date().isoformat(), "終了日": o.end.date().isoformat(),
        "開始時間": f"{o.start:%H:%M}", "終了時間": f"{o.end:%H:%M}", "開始日時特記事項": "。".join(notes),
        "説明": course.description.ja if course.description else "",
        "料金(基本)": "有料" if course.fee else "無料", "料金(詳細)": f"{course.fee}円" if course.fee else "",
        "連絡先名称": contact.name.ja if contact else "", "連絡先電話番号": (contact.phone or "") if contact else "",
        "連絡先内線番号": "", "主催者": ward.city, "場所名称": venue.name.ja, "住所": venue.address.ja,
        "方書": o.room or "", "緯度": "" if venue.lat is None else f"{venue.lat}",
        "経度": "" if venue.lon is None else f"{venue.lon}",
        "アクセス方法": venue.station.ja if venue.station else "", "駐車場情報": venue.parking.ja if venue.parking else "",
        "定員": str(o.capacity), "参加申込終了日": "", "参加申込終了時間": "",
        "参加申込方法": course.apply.ja if course.apply else "", "URL": ctx.url(f"classes/{course.id}/"),
        "備考": o.status,
    }


def write(ctx: BuildContext, occurrences: list[Occurrence]) -> None:
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for no, occ in enumerate(occurrences, start=1):
        writer.writerow(row(ctx, no, occ))
    target = ctx.static / "data" / "events.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(buf.getvalue(), encoding="utf-8", newline="")
