"""Incremental builds: nothing changed means nothing rendered or tiled again; one record
changed means only what depends on it, and the result equals a clean build, file by file."""
from __future__ import annotations

import shutil

from conftest import TODAY
from test_content_errors import sitegen, tree_digest as _digest


def tree_digest(folder):
    # Every file but the search index's: Pagefind writes the same pages in another order from
    # run to run, and its bundle is published as it writes it. tests/test_search_parity.py
    # checks that an updated index answers as a clean build's does.
    return {path: digest for path, digest in _digest(folder).items() if not path.startswith("pagefind/")}


def _render_mtimes(repo) -> dict[str, int]:
    html = repo / ".cache" / "render"
    return {p.relative_to(html).as_posix(): p.stat().st_mtime_ns for p in html.rglob("index.html")}


def _tile_mtimes(repo) -> dict[str, int]:
    tiles = repo / ".cache" / "tiles"
    return {p.relative_to(tiles).as_posix(): p.stat().st_mtime_ns for p in tiles.rglob("*.jpg")}


def _build(repo, *extra):
    result = sitegen(repo, "build", "--quiet", "--today", TODAY, *extra)
    assert result.returncode == 0, result.stderr
    return result


def test_no_change_rebuild_renders_and_tiles_nothing(repo):
    _build(repo)
    pages, tiles = _render_mtimes(repo), _tile_mtimes(repo)
    site = tree_digest(repo / "site")
    _build(repo)
    assert _render_mtimes(repo) == pages
    assert _tile_mtimes(repo) == tiles
    assert tree_digest(repo / "site") == site


def test_one_record_rebuild_touches_its_pages_and_equals_a_clean_build(repo, tmp_path):
    _build(repo)
    before = _render_mtimes(repo)
    record = repo / "archive" / "hiroshige-ohashi-atake-yudachi.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("大はしあたけの夕立", "大はしあたけの夕立（訂正）"),
                      encoding="utf-8")
    _build(repo)
    after = _render_mtimes(repo)
    changed = {path for path in after if after[path] != before.get(path)}
    assert "ja/html/items/hiroshige-ohashi-atake-yudachi/index.html" in changed
    # Pages that do not show the record (schedules, lessons) are not rendered again.
    assert "ja/html/classes/index.html" not in changed
    assert not [p for p in changed if p.split("/")[2] == "lessons"], changed
    assert len(changed) < len(after) / 2, f"{len(changed)} of {len(after)} pages were rendered again"
    assert "（訂正）" in (repo / "site" / "items" / "hiroshige-ohashi-atake-yudachi" / "index.html").read_text(encoding="utf-8")

    incremental = tree_digest(repo / "site")
    # A clean build: no cache but the tiles (whose reuse test_iiif_tiles checks).
    for cache in (repo / ".cache").iterdir():
        if cache.name not in ("tiles", "trash"):  # trash: being emptied by the last build
            shutil.rmtree(cache) if cache.is_dir() else cache.unlink()
    _build(repo, "--out", str(tmp_path / "clean"))
    clean = tree_digest(tmp_path / "clean")
    differ = sorted(p for p in set(incremental) | set(clean) if incremental.get(p) != clean.get(p))
    assert not differ, f"incremental and clean builds differ: {differ[:20]}"


def test_a_rebuild_never_changes_the_published_site_under_readers(repo, tmp_path):
    """Rendered pages are hard-linked from the render cache into the site; the next build
    renders a changed page again into that cache. It must write a new file, never through
    the link into the site readers are being served (checked with a build to another --out,
    so site/ stays published while the cache changes)."""
    _build(repo)
    published = _digest(repo / "site")
    page = repo / "site" / "items" / "hiroshige-ohashi-atake-yudachi" / "index.html"
    assert page.stat().st_nlink > 1, "rendered pages are expected to be linked from the cache"
    record = repo / "archive" / "hiroshige-ohashi-atake-yudachi.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("大はしあたけの夕立", "大はしあたけの夕立（訂正）"),
                      encoding="utf-8")
    _build(repo, "--out", str(tmp_path / "next"))
    assert "（訂正）" in (tmp_path / "next" / "items" / "hiroshige-ohashi-atake-yudachi" / "index.html").read_text(encoding="utf-8")
    assert _digest(repo / "site") == published, "the published site changed while another build ran"


def test_records_read_from_the_cache_are_still_checked(repo):
    """Validated records are cached by their bytes; an edit or a vanished scan is still
    reported with file, field and line, as on a first read."""
    assert sitegen(repo, "check").returncode == 0  # fills the cache
    assert list((repo / ".cache" / "content").glob("items-*/*.pickle"))
    scans = sorted((repo / "images" / "hiroshige-ohashi-atake-yudachi").iterdir())
    scans[0].unlink()
    result = sitegen(repo, "check")
    assert result.returncode == 1
    text = (repo / "archive" / "hiroshige-ohashi-atake-yudachi.yml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(text, 1) if scans[0].name in row)
    assert f"archive/hiroshige-ohashi-atake-yudachi.yml:{line}" in result.stderr and scans[0].name in result.stderr
    assert "images[0].file" in result.stderr
    record = repo / "archive" / "hokusai-kanagawa-oki-nami-ura.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("type: ukiyo-e", "type: woodcut"), encoding="utf-8")
    result = sitegen(repo, "check")
    assert "archive/hokusai-kanagawa-oki-nami-ura.yml:" in result.stderr and "type" in result.stderr


def test_a_build_stopped_after_writing_the_docs_tree_is_caught_up(repo, tmp_path):
    """A build killed after it wrote the new docs tree but before rendering it: the next
    build finds the docs as it would write them, yet must still render them (the HTML is
    older than the docs), never publish the old page."""
    import datetime as dt

    from generator import pipeline
    from generator.config import load_config
    from generator.content import load_content
    from generator.context import BuildContext

    _build(repo)
    record = repo / "archive" / "hiroshige-ohashi-atake-yudachi.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("大はしあたけの夕立", "大はしあたけの夕立（途中）"),
                      encoding="utf-8")
    config = load_config(repo)
    ctx = BuildContext(root=repo, config=config, site_url=config.url(None), work=tmp_path / "work",
                       cache=repo / ".cache", today=dt.date.fromisoformat(TODAY), progress=False)
    ctx.static.mkdir(parents=True)
    content = load_content(repo)
    derived = pipeline.derive(content, ctx)
    pipeline.write_docs(content, ctx, derived)  # ... and the build stops here
    _build(repo)
    page = repo / "site" / "items" / "hiroshige-ohashi-atake-yudachi" / "index.html"
    assert "（途中）" in page.read_text(encoding="utf-8")


def _listing(folder) -> dict[str, str]:
    """Every file with its digest and every folder: a recycled site must have no folder
    (nor file) that a new one would not."""
    listing = tree_digest(folder)
    listing.update({p.relative_to(folder).as_posix() + "/": "folder" for p in folder.rglob("*") if p.is_dir()})
    return listing


def _clean_build(repo, out):
    for cache in (repo / ".cache").iterdir():
        if cache.name not in ("tiles", "trash"):
            shutil.rmtree(cache) if cache.is_dir() else cache.unlink()
    _build(repo, "--out", str(out))
    return _listing(out)


def test_a_recycled_site_equals_a_new_one(repo, tmp_path):
    """Each build puts the new site together in the tree published the build before last
    (publish.Assembly): what is gone since (an item removed with its scans, pages and
    tiles) must be gone from it, what changed must be the new file, and nothing of the
    published site may change meanwhile."""
    item = "hiroshige-ohashi-atake-yudachi"
    record = repo / "archive" / f"{item}.yml"
    kept = record.read_text(encoding="utf-8")
    _build(repo)  # tree A, published
    first = _listing(repo / "site")
    assert any(path.startswith(f"iiif/{item}/") for path in first)
    record.unlink()
    other = repo / "archive" / "hokusai-kanagawa-oki-nami-ura.yml"
    other.write_text(other.read_text(encoding="utf-8").replace("神奈川沖浪裏", "神奈川沖浪裏（改）"), encoding="utf-8")
    _build(repo)  # tree B, published; A kept aside
    assert not any(item in path for path in _listing(repo / "site")), "the removed item is gone"
    published = _listing(repo / "site")
    record.write_text(kept.replace("大はしあたけの夕立", "大はしあたけの夕立（再）"), encoding="utf-8")
    _build(repo)  # A recycled: it has the item as it was, the other record as it was
    assert _listing(repo / ".cache" / "site-spare" / next((repo / ".cache" / "site-spare").iterdir()).name) == published, \
        "the site replaced is kept as it was published"
    recycled = _listing(repo / "site")
    assert "（再）" in (repo / "site" / "items" / item / "index.html").read_text(encoding="utf-8")
    clean = _clean_build(repo, tmp_path / "clean")
    differ = sorted(p for p in set(recycled) | set(clean) if recycled.get(p) != clean.get(p))
    assert not differ, f"recycled and new sites differ: {differ[:20]}"
    record.unlink()
    _build(repo)  # B recycled (the caches were emptied by the clean build: all anew)
    _build(repo)  # and again, nothing changed
    gone = _listing(repo / "site")
    clean = _clean_build(repo, tmp_path / "clean2")
    differ = sorted(p for p in set(gone) | set(clean) if gone.get(p) != clean.get(p))
    assert not differ, f"recycled and new sites differ: {differ[:20]}"
