"""Everyday authoring slips come out right or get a message: dates written on their own,
and other first-hour mistakes of librarians and instructors."""
from __future__ import annotations

import json
import re

from test_content_errors import sitegen


def test_a_date_written_on_its_own_is_the_dates_text(repo):
    record = repo / "archive" / "hiroshige-ohashi-atake-yudachi.yml"
    text = re.sub(r"^date:.*\n(?:[ ]+.*\n)*", "date: 安政4年\n", record.read_text(encoding="utf-8"), flags=re.M)
    record.write_text(text, encoding="utf-8")
    assert sitegen(repo, "build", "--quiet", "--today", "2026-11-20").returncode == 0
    manifest = json.loads((repo / "site" / "iiif" / "hiroshige-ohashi-atake-yudachi" / "manifest.json")
                          .read_text(encoding="utf-8"))
    assert "安政4年" in json.dumps(manifest, ensure_ascii=False)
    page = (repo / "site" / "items" / "hiroshige-ohashi-atake-yudachi" / "index.html").read_text(encoding="utf-8")
    assert "安政4年" in page and "1857" in page
