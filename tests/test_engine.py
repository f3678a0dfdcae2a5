"""The MkDocs boundary (render/engine.py, render/mkdocs_hooks.py): MkDocs is used through its
documented settings and events only, and these tests fail loudly when an upgrade changes what
they rely on."""
from __future__ import annotations

import logging
import os

import pytest

from conftest import TODAY
from test_content_errors import sitegen


def _build(repo):
    result = sitegen(repo, "build", "--quiet", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return result


def test_pages_rendered_again_never_write_through_the_published_files(repo, tmp_path):
    _build(repo)
    site = repo / "site"
    watched = {
        "page": site / "items" / "hiroshige-ohashi-atake-yudachi" / "index.html",
        "sitemap": site / "sitemap.xml",
        "sitemap.gz": site / "sitemap.xml.gz",
        "404": site / "404.html",
        "touched": site / "lessons" / "index.html",
    }
    held = {}
    for name, path in watched.items():  # a reader holding the published files open, as it were
        held[name] = tmp_path / name
        os.link(path, held[name])
    def state(path):
        return path.read_bytes(), path.stat().st_mtime_ns

    before = {name: state(path) for name, path in held.items()}
    record = repo / "archive" / "hiroshige-ohashi-atake-yudachi.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("大はしあたけの夕立", "大はしあたけの夕立（改）"),
                      encoding="utf-8")
    # A docs file touched but not changed (a build killed after writing the docs tree).
    docs = repo / ".cache" / "render" / "docs" / "ja" / "lessons" / "index.md"
    assert docs.is_file()
    os.utime(docs)
    result = _build(repo)
    assert "（改）" in watched["page"].read_text(encoding="utf-8")
    assert {name: state(path) for name, path in held.items()} == before, "a published file was written in place"
    assert "dirty" not in result.stderr


def test_the_theme_templates_are_compiled_once_and_kept(repo):
    _build(repo)
    kept = list((repo / ".cache" / "render" / "ja" / "jinja").iterdir())
    assert kept, "the on_env hook did not set Jinja's bytecode cache"


def test_mkdocs_still_announces_dirty_builds_where_the_filter_looks(tmp_path):
    """engine._not_the_dirty_notice hides MkDocs' dirty-build notice by its logger and words:
    if MkDocs moves or rewords it, this fails and the filter needs a look."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.render.engine import _not_the_dirty_notice

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Hello\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    records: list[logging.LogRecord] = []

    class Catch(logging.Handler):
        def emit(self, record):
            records.append(record)

    log = logging.getLogger("mkdocs")
    catch = Catch(level=logging.WARNING)
    log.addHandler(catch)
    try:
        build(load_config(config_file=str(tmp_path / "mkdocs.yml")), dirty=True)
    finally:
        log.removeHandler(catch)
    hidden = [r for r in records if not _not_the_dirty_notice(r)]
    assert len(hidden) == 1, [r.getMessage() for r in records]


def test_another_mkdocs_release_is_a_clear_message(monkeypatch):
    from generator.errors import BuildError
    from generator.render import engine

    monkeypatch.setattr(engine, "version", lambda name: "2.0.0" if name == "mkdocs" else "9.8.2")
    with pytest.raises(BuildError) as caught:
        engine.check_engine()
    text = caught.value.format("en")
    assert "mkdocs 2.0.0 is installed" in text and "1.6.x" in text and "how to fix:" in text


def test_no_mkdocs_function_or_private_attribute_is_patched():
    import inspect

    from generator.render import engine, mkdocs_hooks

    for module in (engine, mkdocs_hooks):
        source = inspect.getsource(module)
        for needle in ("utils.write_file =", "utils.copy_file =", "_set_canonical_url", "Theme.get_env ="):
            assert needle not in source, (module.__name__, needle)
