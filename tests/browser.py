"""Helpers for browser tests: axe-core in the page, and a record of every request."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import axe_playwright_python

AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def axe_violations(page) -> list[dict]:
    """Run axe-core (shipped inside the axe-playwright-python wheel) on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS)
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return "\n".join(lines)


class RequestLog:
    """Every request a page makes; those to another host are what the site must never do."""

    def __init__(self, page, origin: str):
        self.origin = urlparse(origin).netloc
        self.requests: list[str] = []
        self.failed: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(r.url))
        page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    @property
    def foreign(self) -> list[str]:
        return [u for u in self.requests
                if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).netloc != self.origin]


def assert_clean(page, log: "RequestLog") -> None:
    """No axe violation, no failed request, no request to another host."""
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert not log.failed and not log.foreign, (log.failed, log.foreign)
