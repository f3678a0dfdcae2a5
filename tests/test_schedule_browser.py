"""Schedule pages in real Chromium: accessible at phone and desktop sizes, cancelled dates
visible, JSON-LD on course pages, and a month of 20 sessions printing on one A4 page."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import pytest

from browser import DESKTOP, PHONE, audit, describe, visit
from conftest import StaticServer, free_port

pytestmark = pytest.mark.browser

PAGES = [
    "classes/", "classes/hajimete-sumaho/", "classes/sumaho-soudankai/", "classes/venues/",
    "classes/venues/kudan-community-hall/", "classes/2026-11/", "classes/past/",
    "en/classes/", "en/classes/hajimete-sumaho/", "en/classes/venues/kanda-sakura-kan/", "en/classes/2026-12/",
    "en/classes/past/",
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", PAGES)
def test_schedule_page_is_accessible(sample_site, browser, path, viewport):
    server, _ = sample_site
    with visit(browser, server.url + path, viewport) as (page, log):
        assert page.evaluate("document.documentElement.lang") == ("en" if path.startswith("en/") else "ja")
        violations = audit(page)
        assert not violations, describe(violations)
        assert not log.failed and not log.foreign, (log.failed, log.foreign)
        small = page.evaluate("""() => [...document.querySelectorAll('.classes a, .classes button')]
            .filter(a => !a.closest('table') && a.getBoundingClientRect().width > 0)
            .filter(a => a.getBoundingClientRect().height < 44 || a.getBoundingClientRect().width < 44)
            .map(a => a.textContent.trim())""")
        assert not small, f"controls smaller than 44x44: {small}"


def test_upcoming_and_past_follow_the_build_date_and_cancellation_stays_visible(sample_site, browser):
    server, _ = sample_site
    with visit(browser, server.url + "classes/", PHONE) as (page, _):
        upcoming = page.locator("#upcoming + ul .class-occ__when time").evaluate_all("els => els.map(e => e.dateTime)")
        assert upcoming and all(d[:10] >= "2026-11-20" for d in upcoming)
        cancelled = page.locator(".class-occ--cancelled")
        assert cancelled.count() == 1
        assert "【中止】" in cancelled.inner_text()
        assert cancelled.locator("del").count() == 1
        assert page.locator(".class-occ--cancelled del").evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
        page.goto(server.url + "classes/past/")
        past = page.locator(".class-occ__when time").evaluate_all("els => els.map(e => e.dateTime)")
        assert past and all(d[:10] < "2026-11-20" for d in past)


def test_course_page_offers_subscription_download_and_event_data(sample_site, browser):
    server, out = sample_site
    with visit(browser, server.url + "classes/hajimete-sumaho/", PHONE) as (page, _):
        webcal = page.locator("a[href^='webcal://']").first.get_attribute("href")
        assert webcal == f"webcal://127.0.0.1:{server.port}/calendar/hajimete-sumaho.ics"
        download = page.locator("a[download][href$='hajimete-sumaho.ics']").first
        response = page.request.get(server.url + "calendar/hajimete-sumaho.ics")
        assert response.ok and response.body().startswith(b"BEGIN:VCALENDAR")
        assert page.evaluate("href => new URL(href, location.href).href", download.get_attribute("href")) == \
            server.url + "calendar/hajimete-sumaho.ics"
        data = json.loads(page.locator("script[type='application/ld+json']").text_content())
        events = data["@graph"]
        assert len(events) == 8
        status = {e["startDate"][:10]: e["eventStatus"].rsplit("/", 1)[1] for e in events}
        assert status["2026-11-24"] == "EventCancelled"
        assert status["2026-12-10"] == "EventRescheduled"
        moved = next(e for e in events if e["startDate"].startswith("2026-12-10"))
        assert moved["previousStartDate"].startswith("2026-12-08T10:00")
        assert events[0]["offers"]["price"] == 0 and events[0]["location"]["address"]["streetAddress"]
        assert events[0]["eventAttendanceMode"].endswith("OfflineEventAttendanceMode")


def _twenty_session_repo(repo):
    """Add a course with 20 sessions in January 2027 (five weekdays a week, four weeks)."""
    rows = []
    for i, weekday in enumerate(["mon", "tue", "wed", "thu", "fri"]):
        start = dt.date(2027, 1, 4) + dt.timedelta(days=i)
        rows.append(f"""  - id: renshu-{weekday}
    venue: kudan-community-hall
    room: 第2学習室
    weekly: {{weekday: {weekday}, start_date: {start.isoformat()}, count: 4}}
    start: "13:00"
    end: "14:30"
""")
    (repo / "lessons/schedule/courses/sumaho-renshu.yml").write_text(
        "id: sumaho-renshu\ntitle: {ja: スマホ練習会, en: Smartphone practice}\ncapacity: 10\nsessions:\n" + "".join(rows),
        encoding="utf-8")
    # The consultation on 16 January keeps its date: 21 sessions in the month.
    return 21


def test_a_month_with_20_sessions_prints_on_one_a4_page(repo, tmp_path, browser):
    expected = _twenty_session_repo(repo)
    port = free_port()
    out = tmp_path / "site"
    # Built by the command, in its own process, as an instructor would (and away from the
    # event loop Playwright runs in this one).
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(repo), "--out", str(out),
                          "--site-url", f"http://127.0.0.1:{port}/", "--today", "2026-11-20", "--quiet"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    server = StaticServer(out, port)
    try:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(server.url + "classes/2027-01/", wait_until="networkidle")
        assert page.locator(".class-month__table tbody tr").count() == expected
        page.emulate_media(media="print")
        size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.class-month__table td')).fontSize)")
        assert size >= 18  # 14pt: large print
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
        assert len(pages) == 1, f"the month printed on {len(pages)} pages"
        box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
        assert box and sorted(round(float(v)) for v in box.groups()) == [595, 842]  # A4 in points
        page.close()
    finally:
        server.close()
