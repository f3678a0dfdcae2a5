"""The accessibility policy page states the last test run as the tests recorded it; a results
file that cannot be read stops the build with one message saying which file and what to do."""
from __future__ import annotations

import json

import pytest

from generator.errors import BuildError
from generator.render.policy import RESULTS, load_results

GOOD = {"date": "2026-12-02", "tools": {"axe-core": "4.12.1", "chromium": "156"}, "pages": 17,
        "viewports": ["390x844"], "checks": [{"id": "axe", "ja": "自動検査", "en": "Automated checks",
                                               "criteria": "WCAG 2.2 A/AA", "runs": 56, "failed": 2}]}


def test_no_results_file_means_no_results_stated(tmp_path):
    assert load_results(tmp_path / RESULTS) is None


def test_the_results_are_read_as_written(tmp_path):
    path = tmp_path / RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    run = load_results(path)
    assert run.date.isoformat() == "2026-12-02" and run.pages == 17 and run.failed == 2
    assert run.checks[0].runs == 56 and run.tools["axe-core"] == "4.12.1"


@pytest.mark.parametrize("text", ["{not json", json.dumps({**GOOD, "date": "yesterday"}), json.dumps({"date": "2026-12-02"}),
                                  json.dumps([1, 2]), "\ufffe\x00"])
def test_an_unreadable_results_file_is_one_clear_message(tmp_path, text):
    path = tmp_path / RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_results(path)
    for lang in ("ja", "en"):
        message = caught.value.format(lang)
        assert RESULTS in message and ("直し方" in message if lang == "ja" else "how to fix" in message)
        assert "test_a11y_site_browser.py" in message
