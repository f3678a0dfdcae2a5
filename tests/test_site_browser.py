"""Every page type of the sample site, in real Chromium: accessible, Japanese/English, self-contained."""
from __future__ import annotations

import pytest

from browser import DESKTOP, PHONE, audit, describe, visit

pytestmark = pytest.mark.browser

PAGES = [
    ("", "ja"), ("en/", "en"),
    ("items/", "ja"), ("en/items/", "en"),
    ("items/hokusai-kanagawa-oki-nami-ura/", "ja"), ("en/items/kanda-myojin-hikifuda/", "en"),
    ("lessons/", "ja"), ("lessons/denwa-no-kakekata/", "ja"), ("en/lessons/", "en"),
    ("classes/", "ja"), ("classes/hajimete-sumaho/", "ja"), ("en/classes/hajimete-sumaho/", "en"),
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path,lang", PAGES)
def test_page_is_accessible_and_self_contained(sample_site, browser, path, lang, viewport):
    server, _ = sample_site
    with visit(browser, server.url + path, viewport) as (page, log):
        assert page.evaluate("document.documentElement.lang") == lang
        violations = audit(page)
        assert not violations, describe(violations)
        assert not log.foreign, f"requests to other hosts: {log.foreign}"
        assert not log.failed, f"failed requests: {log.failed}"


def test_language_switch_leads_to_the_twin_page(sample_site, browser):
    server, _ = sample_site
    with visit(browser, server.url + "items/hokusai-kanagawa-oki-nami-ura/", PHONE) as (page, _):
        page.get_by_role("link", name="English").click()
        page.wait_for_load_state()
        assert page.url == server.url + "en/items/hokusai-kanagawa-oki-nami-ura/"
        assert "Under the Wave off Kanagawa" in page.locator("h1").inner_text()
        page.get_by_role("link", name="日本語").click()
        page.wait_for_load_state()
        assert page.url == server.url + "items/hokusai-kanagawa-oki-nami-ura/"
