"""`sitegen report`: what still needs work before publishing, for staff.

The same findings are printed as a terminal table and published as report/ in the built site
(left out of the navigation; the search indexes only item, lesson and class pages).
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Content
from ..context import BuildContext
from ..errors import ContentErrors, Problem, Text, printable
from ..render.docs import render_page
from ..render.engine import noindex
from .dedupe import FingerprintCache, ScanProblem, find_duplicates
from .plausibility import TitleFacts, file_lines, item_doubts, session_doubts

DEEP_ZOOM_MIN = 2000  # px on the long side: below this, deep zoom shows little more than the page


@dataclass
class Finding:
    item: str  # an item id, or for a class a session id
    detail: str = ""
    detail_en: str = ""
    page: str = ""  # the site path to look at, when it is not items/<item>/

    @property
    def path(self) -> str:
        return self.page or f"items/{self.item}/"


@dataclass
class Section:
    key: str
    ja: str
    en: str
    findings: list[Finding] = field(default_factory=list)


def build_report(content: Content, cache_dir: Path | None) -> list[Section]:
    sections = {s.key: s for s in [
        Section("no-english-title", "英語のタイトルがない", "No English title"),
        Section("no-rights", "利用条件がない", "No rights"),
        Section("no-reading", "タイトルの読みがない", "No reading of the title"),
        Section("no-coordinates", "緯度・経度がない地図", "Maps without coordinates"),
        Section("small-scan", f"拡大表示には小さい画像（長辺 {DEEP_ZOOM_MIN:,} px 未満）",
                f"Scans too small for deep zoom (long side under {DEEP_ZOOM_MIN:,} px)"),
        Section("duplicate", "重複しているかもしれない画像", "Possible duplicate scans"),
        Section("unread-date", "西暦に読み替えられない年代", "Dates that could not be read as years"),
        Section("unlinked-name", "典拠（creators.yml）につながっていない作者名", "Creator names not linked to creators.yml"),
        Section("no-date", "年代がない", "No date"),
        Section("lifetime", "作者の生没年と合わない年代", "Dates outside the creator's lifetime"),
        Section("same-title", "ほかの資料と同じタイトル", "The same title as another item"),
        Section("reading", "タイトルと合わないかもしれない読み", "Readings that may not match the title"),
        Section("weekly", "期間や回数が不自然な毎週の教室", "Weekly classes with an unlikely span or number"),
    ]}
    cache = FingerprintCache(cache_dir)
    prints = {}
    for item in content.items:
        if not item.title.en:
            sections["no-english-title"].findings.append(Finding(item.id))
        if not item.rights:
            sections["no-rights"].findings.append(Finding(item.id))
        if not item.title.reading:
            sections["no-reading"].findings.append(Finding(item.id))
        if item.type == "map" and (item.place is None or not item.place.has_coordinates):
            sections["no-coordinates"].findings.append(Finding(item.id))
        if item.date is None:
            sections["no-date"].findings.append(Finding(item.id))
        elif item.date.start is None:
            sections["unread-date"].findings.append(Finding(item.id, item.date.text, item.date.text))
        for ref in item.creators:
            if ref.id is None and ref.name is not None:
                sections["unlinked-name"].findings.append(Finding(item.id, ref.name.ja, ref.name.get("en")))
        for i, scan in enumerate(item.images):
            path = content.scan_path(item, scan)
            try:
                fp = cache.get(path)
            except ScanProblem as exc:  # scans were checked before the report: this one changed since
                cache.save()
                raise ContentErrors([Problem(f"archive/{item.id}.yml", Text(f"images/{item.id}/{scan.file}: {exc.what.ja}",
                                                                            f"images/{item.id}/{scan.file}: {exc.what.en}"),
                                             exc.fix, field=f"images[{i}].file")]) from exc
            prints[f"{item.id}/{scan.file}"] = fp
            if max(fp.width, fp.height) < DEEP_ZOOM_MIN:
                size = f"{scan.file}: {fp.width:,} × {fp.height:,} px"
                sections["small-scan"].findings.append(Finding(item.id, size, size))
    for dup in find_duplicates(prints):
        kind_ja = "同じファイル" if dup.same_bytes else "よく似た画像"
        kind_en = "same file" if dup.same_bytes else "looks alike"
        sections["duplicate"].findings.append(Finding(dup.a.split("/")[0], f"{dup.a} ＝ {dup.b}（{kind_ja}）",
                                                      f"{dup.a} = {dup.b} ({kind_en})"))
    cache.save()
    facts = TitleFacts(cache_dir)
    for doubt in item_doubts(content.items, content.creators, file_lines(None), facts) + \
            session_doubts(content.courses, file_lines(None)):
        what = doubt.problem.what
        page = "" if doubt.page == f"items/{doubt.subject}/" else doubt.page
        sections[doubt.check].findings.append(Finding(doubt.subject, what.ja, what.en, page))
    facts.save()
    return list(sections.values())


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Japanese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def terminal_table(sections: list[Section], lang: str) -> str:
    heads = [s.ja if lang == "ja" else s.en for s in sections]
    width = max(_width(h) for h in heads) + 2
    lines = [_pad("確認すること" if lang == "ja" else "Check", width) + ("件数" if lang == "ja" else "Items"),
             "-" * (width + 6)]
    for s, head in zip(sections, heads):
        lines.append(_pad(head, width) + str(len(s.findings)))
    for s, head in zip(sections, heads):
        if s.findings:
            lines += ["", f"{head} ({len(s.findings)})"]
            for f in s.findings:
                # Names and dates come from the records: shown, never acted on by the terminal.
                detail = printable((f.detail if lang == "ja" else f.detail_en) or "")
                lines.append(f"  {printable(f.item)}" + (f"  {detail}" if detail else ""))
    return "\n".join(lines) + "\n"


# Findings a section of the page lists; all of them are in report/findings.csv. A page with
# every finding of a large archive would be megabytes (no one reads that on a phone) and
# slow to render on every build.
SHOWN = 100
CSV_NAME = "findings.csv"


# What makes a spreadsheet take a cell as a formula (OWASP, "CSV injection"): a leading
# = + - @, tab or line break; full-width ＝＋－＠ too, to be safe with Japanese input settings.
_FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


def spreadsheet_cell(value: str) -> str:
    """A cell of the staff CSV as text a spreadsheet shows, never a formula it runs: a
    leading ' (which the spreadsheet shows) before anything that starts like a formula.
    A plain number such as -3 or +1.5 stays as it is: it cannot run anything."""
    if value[:1] in ("\t", "\r", "\n") or (value.lstrip(" \u3000").startswith(_FORMULA_START)
                                            and not _NUMBER.match(value)):
        return "'" + value
    return value


def findings_csv(sections: list[Section], content: Content, ctx: BuildContext) -> str:
    """Every finding, one a row, for a spreadsheet: with a byte order mark, so that Excel
    reads the Japanese as UTF-8, and no cell a spreadsheet would run as a formula (titles
    and dates come from the records)."""
    titles = {i.id: i.title for i in content.items}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["確認すること", "Check", "資料ID", "タイトル", "詳細", "Detail", "ページ"])
    for s in sections:
        for f in s.findings:
            title = None if f.page else titles.get(f.item)
            writer.writerow([spreadsheet_cell(cell) for cell in (
                s.ja, s.en, f.item, title.ja if title else "", f.detail or "", f.detail_en or "",
                ctx.url(f.path))])
    return "\ufeff" + out.getvalue()


def write(content: Content, ctx: BuildContext) -> None:
    """The staff page report/ (not in the navigation), and every finding in report/findings.csv."""
    sections = build_report(content, ctx.cache)
    folder = ctx.static / "report"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CSV_NAME).write_text(findings_csv(sections, content, ctx), encoding="utf-8", newline="")
    shown = {f.item for s in sections for f in s.findings[:SHOWN] if not f.page}  # items' titles only
    titles = {i.id: i.title for i in content.items if i.id in shown}
    noindex(ctx, "report/index.md")  # staff only: not in search engines or sitemap.xml
    render_page(ctx, "report/index.md", "report.md.j2", {"ja": "品質レポート（職員用）", "en": "Quality report (staff)"},
                sections=sections, titles=titles, today=ctx.today.isoformat(), shown=SHOWN, csv_name=CSV_NAME,
                meta={"hide": ["navigation", "toc"], "search": {"exclude": True}})
