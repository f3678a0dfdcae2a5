"""Atom feeds (RFC 4287) for residents who follow the site in a feed reader:
feeds/classes.atom (classes added or changed) and feeds/archive.atom (new archive items).

Dates come from the publication record (ledger.py), never from the clock, so a rebuild
without changes gives the same feed and readers do not see old entries as new.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

from ..content import Content
from ..context import BuildContext
from .ledger import Ledger
from .occurrences import course_occurrences

NS = "http://www.w3.org/2005/Atom"
LIMIT = 50  # entries per feed: the newest; older ones are on the pages themselves


def _when(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+09:00"


def _tag(ctx: BuildContext, day: dt.date, what: str) -> str:
    host = urlparse(ctx.config.site_url).hostname or "localhost"
    return f"tag:{host},{day.isoformat()}:{what}"


def _feed(ctx: BuildContext, path: str, title: str, page: str, entries: list[dict]) -> None:
    ET.register_namespace("", NS)
    feed = ET.Element(f"{{{NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ja"})
    entries = sorted(entries, key=lambda e: (e["updated"], e["id"]), reverse=True)[:LIMIT]
    ET.SubElement(feed, f"{{{NS}}}id").text = ctx.url(path)
    ET.SubElement(feed, f"{{{NS}}}title").text = title
    newest = max((e["updated"] for e in entries), default=dt.date(2000, 1, 1))
    ET.SubElement(feed, f"{{{NS}}}updated").text = _when(newest)
    ET.SubElement(feed, f"{{{NS}}}link", {"rel": "self", "href": ctx.url(path), "type": "application/atom+xml"})
    ET.SubElement(feed, f"{{{NS}}}link", {"rel": "alternate", "href": ctx.url(page), "type": "text/html"})
    author = ET.SubElement(feed, f"{{{NS}}}author")
    ET.SubElement(author, f"{{{NS}}}name").text = ctx.config.ward.city or ctx.config.site_name
    for e in entries:
        entry = ET.SubElement(feed, f"{{{NS}}}entry")
        ET.SubElement(entry, f"{{{NS}}}id").text = e["id"]
        ET.SubElement(entry, f"{{{NS}}}title").text = e["title"]
        ET.SubElement(entry, f"{{{NS}}}published").text = _when(e["published"])
        ET.SubElement(entry, f"{{{NS}}}updated").text = _when(e["updated"])
        ET.SubElement(entry, f"{{{NS}}}link", {"rel": "alternate", "href": e["url"], "type": "text/html"})
        ET.SubElement(entry, f"{{{NS}}}summary").text = e["summary"]
    target = ctx.static / path
    target.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(feed).write(target, encoding="utf-8", xml_declaration=True)


def write(ctx: BuildContext, content: Content, ledger: Ledger) -> None:
    venues = {v.id: v for v in content.venues}
    entries = []
    for course in content.courses:
        occs = course_occurrences(course, venues)
        for session in course.sessions:
            rec = ledger.sessions[session.id]
            dates = [o for o in occs if o.session.id == session.id]
            span = f"{dates[0].start:%Y-%m-%d}〜{dates[-1].start:%Y-%m-%d}" if dates else ""
            cancelled = [f"{o.date:%m月%d日}" for o in dates if o.cancelled]
            moved = [f"{o.original:%m月%d日}→{o.date:%m月%d日}" for o in dates if o.moved]
            lines = [f"{span}、{venues[session.venue].name.ja}。状況: {session.status}。"]
            if cancelled:
                lines.append("中止: " + "、".join(cancelled) + "。")
            if moved:
                lines.append("日程変更: " + "、".join(moved) + "。")
            entries.append({
                "id": _tag(ctx, rec.first, f"session/{session.id}"),
                "title": ("【変更】" if rec.sequence else "【新規】") + course.title.ja + (f"（{span}）" if span else ""),
                "published": rec.first, "updated": rec.changed,
                "url": ctx.url(f"classes/{course.id}/"), "summary": "".join(lines),
            })
    _feed(ctx, "feeds/classes.atom", f"{ctx.config.site_name}：教室・相談会の新着と変更", "classes/", entries)
    items = []
    for item in content.items:
        first = ledger.items.get(item.id)
        if first is None:
            continue
        items.append({"id": _tag(ctx, first, f"item/{item.id}"), "title": item.title.ja,
                      "published": first, "updated": first, "url": ctx.url(f"items/{item.id}/"),
                      "summary": item.description.ja if getattr(item, "description", None) else item.title.ja})
    _feed(ctx, "feeds/archive.atom", f"{ctx.config.site_name}：新しく公開した資料", "items/", items)
