"""Every page of the sample site under the strict Content-Security-Policy the build's server
settings give, in real Chromium: no violation, no request to another host, no failed request."""
from __future__ import annotations

from collections import deque

import pytest

from browser import PHONE, RequestLog
from conftest import SERVER_SETTINGS_COOKIE
from generator.server_config import CSP

pytestmark = pytest.mark.browser

AT_ONCE = 6  # tabs loading pages at the same time: each waits for its network to go quiet, not for the others


def _pages(out):
    return sorted(p.parent.relative_to(out).as_posix() + "/" if p.parent != out else ""
                  for p in out.rglob("index.html") if "_server" not in p.parts)


def test_server_settings_are_written(sample_site):
    _, out = sample_site
    nginx = (out / "_server" / "nginx.conf").read_text(encoding="utf-8")
    assert "script-src 'self'" in nginx and "Access-Control-Allow-Origin" in nginx
    assert "Header always set Content-Security-Policy" in (out / ".htaccess").read_text(encoding="utf-8")


def test_every_page_works_under_strict_csp(sample_site, browser):
    server, out = sample_site
    url = server.url
    context = browser.new_context(viewport=PHONE)
    # The sample server sends this context the server settings' headers with every file.
    context.add_cookies([{"name": SERVER_SETTINGS_COOKIE, "value": "on", "url": url}])
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    pages = _pages(out)
    assert len(pages) > 20
    problems = []
    try:
        # The policy is in force: the header came with the page, and an inline script is refused.
        page = context.new_page()
        assert page.goto(url).headers.get("content-security-policy") == CSP
        refused = page.evaluate("""() => new Promise(done => {
            document.addEventListener('securitypolicyviolation', e => done([window.__ran ?? null, e.violatedDirective]));
            setTimeout(() => done([window.__ran ?? null, null]), 5000);
            const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.head.append(s); })""")
        assert refused == [None, "script-src-elem"], refused
        page.close()

        def start(page, path):
            errors: list[str] = []

            def on_error(exc):
                errors.append(str(exc))

            page.on("pageerror", on_error)
            log = RequestLog(page, url)
            page.goto(url + path, wait_until="commit")
            return path, page, (errors, on_error), log

        following = iter(pages)
        waiting = deque(start(page, path) for page, path in zip([context.new_page() for _ in range(AT_ONCE)], following))
        while waiting:
            path, page, (errors, on_error), log = waiting.popleft()
            # Loaded, and no request for half a second: what the page's scripts fetch late is in.
            page.wait_for_load_state("networkidle")
            violations = page.evaluate("window.__csp")
            if violations or log.foreign or errors or log.failed:
                problems.append(f"{path}: csp={violations} foreign={log.foreign} errors={errors} failed={log.failed}")
            page.goto("about:blank")  # the tab goes on to another page
            log.stop()
            page.remove_listener("pageerror", on_error)
            nxt = next(following, None)
            if nxt is not None:
                waiting.append(start(page, nxt))
    finally:
        context.close()
    assert not problems, "\n".join(problems)
