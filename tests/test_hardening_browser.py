"""Every page of the sample site under the strict Content-Security-Policy the build's server
settings give, in real Chromium: no violation, no request to another host, no failed request."""
from __future__ import annotations

import functools
import http.server
import threading

import pytest

from browser import PHONE, RequestLog
from conftest import free_port
from generator.server_config import HEADERS

pytestmark = pytest.mark.browser


class _CSPHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        for key, value in HEADERS.items():
            self.send_header(key, value)
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def csp_site(tmp_path_factory):
    """The sample site built for, and served by, a server that sends the CSP headers."""
    import datetime as dt

    from conftest import REPO, TODAY
    from generator.pipeline import build

    port = free_port()
    out = tmp_path_factory.mktemp("csp") / "site"
    build(REPO, out=out, site_url=f"http://127.0.0.1:{port}/", today=dt.date.fromisoformat(TODAY), progress=False)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_CSPHandler, directory=str(out)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/", out
    httpd.shutdown()


def _pages(out):
    return sorted(p.parent.relative_to(out).as_posix() + "/" if p.parent != out else ""
                  for p in out.rglob("index.html") if "_server" not in p.parts)


def test_server_settings_are_written(csp_site):
    _, out = csp_site
    nginx = (out / "_server" / "nginx.conf").read_text(encoding="utf-8")
    assert "script-src 'self'" in nginx and "Access-Control-Allow-Origin" in nginx
    assert "Header always set Content-Security-Policy" in (out / ".htaccess").read_text(encoding="utf-8")


def test_every_page_works_under_strict_csp(csp_site, browser):
    url, out = csp_site
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    problems = []
    pages = _pages(out)
    assert len(pages) > 20
    for path in pages:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        log = RequestLog(page, url)
        page.goto(url + path, wait_until="networkidle")
        violations = page.evaluate("window.__csp")
        foreign = log.foreign
        if violations or foreign or errors or log.failed:
            problems.append(f"{path}: csp={violations} foreign={foreign} errors={errors} failed={log.failed}")
        page.close()
    context.close()
    assert not problems, "\n".join(problems)
