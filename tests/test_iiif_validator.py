"""The IIIF Image API validator (PyPI iiif-validator, level 0, version 3.0) against a test
item served by a plain static file server, built from the validator's own test pattern."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from conftest import StaticServer, free_port
from generator.pipeline import build
from iiif_repo import mini_repo

PATTERN = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "iiif-validator-pattern.png"
VALIDATE = Path(sys.executable).parent / "iiif-validate.py"


def test_level0_validator_passes(tmp_path):
    repo = mini_repo(tmp_path / "repo", {"validator-pattern": [("pattern.png", PATTERN.read_bytes())]})
    port = free_port()
    site = tmp_path / "site"
    build(repo, out=site, site_url=f"http://127.0.0.1:{port}/", today=dt.date(2026, 11, 20), progress=False)
    server = StaticServer(site, port)
    try:
        run = subprocess.run(
            [sys.executable, str(VALIDATE), "--server", f"127.0.0.1:{port}", "--prefix", "iiif/validator-pattern",
             "--identifier", "pattern", "--version=3.0", "--level=0", "--verbose"],
            capture_output=True, text=True, timeout=120)
    finally:
        server.close()
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "0 failures" in report and "FAIL" not in report, report
    for test in ("info_json", "id_basic", "id_squares", "format_jpg"):
        assert f"test {test} PASS" in report, report
