"""The built schedule pages: every link leads somewhere, both languages exist, and the files a
resident downloads (calendars, open data, feeds) are published beside the pages."""
from __future__ import annotations

import html.parser
import posixpath
from pathlib import Path

from icalendar import Calendar

PAGE_TYPES = ["classes/", "classes/hajimete-sumaho/", "classes/venues/", "classes/venues/kudan-community-hall/",
              "classes/2026-12/", "classes/past/"]


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _target(out: Path, page: str, href: str) -> Path | None:
    if href.startswith(("http:", "https:", "webcal:", "tel:", "mailto:", "#")):
        return None
    path = posixpath.normpath(posixpath.join(page, href.split("#")[0]))
    target = out / path
    return target / "index.html" if href.split("#")[0].endswith("/") or target.is_dir() else target


def test_every_schedule_page_exists_in_both_languages(sample_site):
    _, out = sample_site
    for path in PAGE_TYPES:
        assert (out / path / "index.html").is_file(), path
        assert (out / "en" / path / "index.html").is_file(), path


def test_every_link_on_schedule_pages_leads_to_a_published_file(sample_site):
    _, out = sample_site
    pages = sorted((out / "classes").rglob("index.html")) + sorted((out / "en" / "classes").rglob("index.html"))
    assert len(pages) >= 2 * 11
    broken = []
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        here = page.parent.relative_to(out).as_posix() + "/"
        for href in parser.hrefs:
            target = _target(out, here, href)
            if target is not None and not target.is_file():
                broken.append(f"{here} -> {href}")
    assert not broken, broken


def test_downloads_are_published_and_strictly_valid(sample_site):
    _, out = sample_site
    for path in ("calendar/all.ics", "calendar/hajimete-sumaho.ics", "calendar/venues/kanda-sakura-kan.ics",
                 "data/events.csv", "feeds/classes.atom", "feeds/archive.atom"):
        assert (out / path).is_file(), path
    for path in (out / "calendar").rglob("*.ics"):
        cal = Calendar.from_ical(path.read_bytes())
        assert not [c.errors for c in cal.walk() if c.errors], path  # nothing the parser had to skip
