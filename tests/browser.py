"""Helpers for browser tests: pages opened as a reader opens them (size, reading aids), axe-core
in the page (once a session for each page, size and aids), and a record of every request."""
from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from urllib.parse import urlparse

import axe_playwright_python

AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.2 A/AA and axe's best practice: every audit of every page uses the same rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# The reading aids a reader turns on: the largest text and high contrast (stored as the page stores them).
AIDS_ON = {"aids.textSize": "3", "aids.contrast": "high"}

# What a page shows once it has loaded: the viewer has opened its image, and a search asked for
# in the address (?q=) has answered.
READY = """() => {
  const viewer = document.querySelector('[data-viewer]'), status = document.querySelector('#search-status');
  return (!viewer || viewer.dataset.ready === 'true')
    && (!status || !new URLSearchParams(location.search).get('q') || status.textContent.trim().length > 0);
}"""


def _storing(aids: dict | None) -> str:
    return "".join(f"localStorage.setItem({json.dumps(k)}, {json.dumps(v)});" for k, v in (aids or {}).items())


def open_page(browser, url: str, viewport: dict, aids: dict | None = None, **context_options):
    """url in a new context of its own (its own storage) at this size, the reader's aids stored
    before any page runs, once loaded and ready (READY). Returns (context, page, requests)."""
    context = browser.new_context(viewport=viewport, **context_options)
    if aids:
        context.add_init_script(_storing(aids))
    page = context.new_page()
    log = RequestLog(page, url)
    page.goto(url)
    page.wait_for_function(READY)
    return context, page, log


_TABS: dict[tuple, object] = {}


def tab(browser, viewport: dict, aids: dict | None = None):
    """The session's tab for this size and these aids: each page opened in it starts with
    nothing stored but the aids (a page cannot remember anything for the next one)."""
    key = (id(browser), json.dumps(viewport, sort_keys=True), json.dumps(aids or {}, sort_keys=True))
    page = _TABS.get(key)
    if page is None or page.is_closed():
        context = browser.new_context(viewport=viewport)
        context.add_init_script(f"try {{ localStorage.clear(); sessionStorage.clear(); {_storing(aids)} }} catch (e) {{}}")
        page = _TABS[key] = context.new_page()
    return page


@contextlib.contextmanager
def visit(browser, url: str, viewport: dict, aids: dict | None = None):
    """url in the session's tab for this size and these aids (see tab), once loaded and ready
    (READY). Yields (page, requests). For tests of one page at a time (print it inside
    printing()); a test that needs a choice remembered from page to page, or other context
    settings (permissions, touch, scripts off), uses open_page."""
    page = tab(browser, viewport, aids)
    log = RequestLog(page, url)
    try:
        page.goto(url)
        page.wait_for_function(READY)
        yield page, log
    finally:
        log.stop()
        page.goto("about:blank")  # nothing of this page runs on while other tests do


@contextlib.contextmanager
def printing(page):
    """The page as it prints (CSS print media) inside the block, as on screen again after it."""
    page.emulate_media(media="print")
    try:
        yield page
    finally:
        page.emulate_media(media="null")


def axe_violations(page) -> list[dict]:
    """Run axe-core (shipped inside the axe-playwright-python wheel) on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS)
    return page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations)", AXE_TAGS)


_AUDITS: dict[tuple, list[dict]] = {}


def audit(page) -> list[dict]:
    """axe-core's violations on a page as visit or open_page leaves it (nothing done in it yet),
    run once a session for each address, size and stored reading aids: a later audit of the same
    page gets the first one's answer. A page a test has changed is checked with axe_violations."""
    key = (page.url, json.dumps(page.viewport_size, sort_keys=True),
           json.dumps(page.evaluate("() => Object.entries(localStorage).sort()")))
    if key not in _AUDITS:
        _AUDITS[key] = axe_violations(page)
    return _AUDITS[key]


def axe_version(page) -> str:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS)
    return page.evaluate("axe.version")


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return "\n".join(lines)


class RequestLog:
    """Every request a page makes (and how many are under way); those to another host are what
    the site must never do."""

    def __init__(self, page, origin: str):
        self.origin = urlparse(origin).netloc
        self.requests: list[str] = []
        self.failed: list[str] = []
        self._page, self._pending, self._since = page, 0, time.monotonic()
        self._handlers = {
            "request": lambda r: (self.requests.append(r.url), self._count(1)),
            "requestfinished": lambda r: self._count(-1),
            "requestfailed": lambda r: (self.failed.append(r.url), self._count(-1)),
            "response": lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        }
        for event, handler in self._handlers.items():
            page.on(event, handler)

    def stop(self) -> None:
        """Record nothing more (the page may go on to other tests)."""
        for event, handler in self._handlers.items():
            self._page.remove_listener(event, handler)

    def _count(self, change: int) -> None:
        self._pending = max(0, self._pending + change)  # (a request begun before the log ends in it too)
        self._since = time.monotonic()

    def wait_until_quiet(self, quiet: float = 0.5, timeout: float = 30.0) -> None:
        """Until no request of the page has been under way for `quiet` seconds."""
        end = time.monotonic() + timeout
        while self._pending > 0 or time.monotonic() - self._since < quiet:
            assert time.monotonic() < end, f"still loading after {timeout} s: {self._pending} requests"
            self._page.wait_for_timeout(50)  # (lets Playwright deliver the page's events meanwhile)

    @property
    def foreign(self) -> list[str]:
        return [u for u in self.requests
                if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).netloc != self.origin]


def assert_clean(page, log: "RequestLog") -> None:
    """No axe violation, no failed request, no request to another host."""
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert not log.failed and not log.foreign, (log.failed, log.foreign)
