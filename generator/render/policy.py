"""The site's policy pages, both languages, linked from every page's footer:

accessibility/   ウェブアクセシビリティ方針, as Japanese public bodies publish it under
                 JIS X 8341-3:2016: target level, scope, test method, the results of the
                 last test run (from RESULTS, which the accessibility tests write) and a contact
privacy/         what the site records and stores (nothing of its own), and whom to ask
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import Content
from ..context import BuildContext
from ..errors import BuildError, Text
from .docs import render_page

# Written by tests/test_a11y_*.py after a complete run of the accessibility checks (it is
# committed with the code, so that every build states the last run's results and date).
RESULTS = "tests/accessibility-results.json"  # the top-level layout is fixed: beside the tests that write it


@dataclass
class Check:
    id: str
    ja: str
    en: str
    criteria: str  # WCAG / JIS X 8341-3 success criteria the check bears on ("" for the site's own rules)
    runs: int
    failed: int


@dataclass
class TestRun:
    date: dt.date
    tools: dict[str, str]
    pages: int
    viewports: list[str]
    checks: list[Check] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(c.failed for c in self.checks)


def write(content: Content, ctx: BuildContext) -> None:
    run = load_results(ctx.root / RESULTS)
    ward = ctx.config.ward
    common = {"ward": ward, "site_url": ctx.site_url, "site_name": {"ja": ctx.config.site_name, "en": ctx.config.site_name_en}}
    render_page(ctx, "accessibility.md", "policy_accessibility.md.j2",
                {"ja": "ウェブアクセシビリティ方針", "en": "Accessibility policy"}, run=run, **common,
                meta={"hide": ["navigation", "toc"]})
    render_page(ctx, "privacy.md", "policy_privacy.md.j2", {"ja": "プライバシーポリシー", "en": "Privacy policy"},
                **common, meta={"hide": ["navigation", "toc"]})


def load_results(path: Path) -> TestRun | None:
    """The last test run's results, or None when the tests have not written any yet."""
    if not path.is_file():
        return None
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
        return TestRun(
            date=dt.date.fromisoformat(raw["date"]),
            tools={str(k): str(v) for k, v in raw["tools"].items()},
            pages=int(raw["pages"]),
            viewports=[str(v) for v in raw["viewports"]],
            checks=[Check(id=str(c["id"]), ja=str(c["ja"]), en=str(c["en"]), criteria=str(c.get("criteria", "")),
                          runs=int(c["runs"]), failed=int(c["failed"])) for c in raw["checks"]],
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BuildError(
            Text(f"{RESULTS}（アクセシビリティ試験の結果）を読めません: {exc}",
                 f"{RESULTS} (the accessibility test results) cannot be read: {exc}"),
            Text(f"{RESULTS} を消して、アクセシビリティの試験（pytest tests/test_a11y_site_browser.py）をもう一度実行してください。",
                 f"delete {RESULTS} and run the accessibility tests again (pytest tests/test_a11y_site_browser.py).")) from None
