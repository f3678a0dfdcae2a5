"""Publishing a site: the swap into place, the output folders sitegen refuses to replace, the
marker that says a folder is sitegen's, and the recycled tree a new site is put together in.

The functions are called directly on small trees in tmp_path; the same guarantees for whole
builds are in test_build.py, test_hostile_output.py, test_incremental.py and
test_interrupted.py.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from generator import publish as publishing
from generator.errors import BuildError
from generator.publish import MARKER, Assembly, check_output, publish, spare_for, write_marker


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes), folder (None) and link (b"-> " and where it points) under
    folder, by relative path; links are not followed."""
    out: dict[str, bytes | None] = {}
    for top, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(top, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = b"-> " + os.fsencode(os.readlink(path))
            else:
                out[rel] = None if path.is_dir() else path.read_bytes()
    return dict(sorted(out.items()))


def make_tree(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- the swap -------------------------------------------------------------------------------------
def test_a_first_publish_moves_the_site_into_place(tmp_path):
    built = make_tree(tmp_path / ".site.build" / "site", {"index.html": "new", "items/a/index.html": "a"})
    out = tmp_path / "site"
    assert publish(built, out) is False  # nothing was replaced
    assert listing(out) == {"index.html": b"new", "items": None, "items/a": None, "items/a/index.html": b"a"}
    assert not built.exists()


def test_publishing_over_a_site_exchanges_the_two_whole(tmp_path):
    out = make_tree(tmp_path / "site", {"index.html": "old", "gone/index.html": "removed since"})
    old = listing(out)
    built = make_tree(tmp_path / ".site.build" / "site", {"index.html": "new", "items/a/index.html": "a"})
    new = listing(built)
    assert publish(built, out) is True  # Linux: one renameat2(RENAME_EXCHANGE), never a moment without a site
    assert listing(out) == new
    assert listing(built) == old  # the replaced site, whole: the next build but one recycles it


def test_without_an_atomic_exchange_the_site_is_replaced_by_two_renames(tmp_path, monkeypatch):
    monkeypatch.setattr(publishing, "_exchange", lambda a, b: False)  # a system without renameat2
    out = make_tree(tmp_path / "site", {"index.html": "old", "gone/index.html": "removed since"})
    built = make_tree(tmp_path / ".site.build" / "site", {"index.html": "new"})
    new = listing(built)
    assert publish(built, out) is False  # nothing to keep: the old site is deleted
    assert listing(out) == new
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.build", "site"]  # no old site left beside it
    assert not built.exists()


def test_a_file_where_the_site_should_go_is_never_replaced(tmp_path):
    out = tmp_path / "site"
    out.write_text("not a site", encoding="utf-8")
    built = make_tree(tmp_path / ".site.build" / "site", {"index.html": "new"})
    with pytest.raises(NotADirectoryError):
        publish(built, out)
    assert out.read_text(encoding="utf-8") == "not a site" and (built / "index.html").is_file()


# --- output folders sitegen refuses ---------------------------------------------------------------
@pytest.fixture
def root(tmp_path) -> Path:
    """A repository: its content and code folders, and one built site/."""
    repo = make_tree(tmp_path / "repo", {"archive/a.yml": "id: a", "images/a/front.jpg": "scan",
                                         "lessons/l.md": "# l", "generator/x.py": "", ".git/HEAD": "ref"})
    return repo


@pytest.mark.parametrize("where, words", [
    (".", "it holds the repository itself"),
    ("..", "it holds the repository itself"),  # a folder holding the repository
    ("archive", "it is inside archive/"),
    ("images/new-site", "it is inside images/"),
    ("lessons/site", "it is inside lessons/"),
    ("generator", "it is inside generator/"),
    (".git/site", "it is inside .git/"),
])
def test_the_repository_and_its_sources_are_never_an_output_folder(root, where, words):
    before = listing(root.parent)
    with pytest.raises(BuildError) as refused:
        check_output(root / where, root)
    assert words in refused.value.what.en and "cannot build into" in refused.value.what.en
    assert "出力先" in refused.value.what.ja and refused.value.fix.en and refused.value.fix.ja
    assert listing(root.parent) == before


def test_a_link_is_refused_even_to_a_folder_that_would_do(root, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    with pytest.raises(BuildError) as refused:
        check_output(tmp_path / "link", root)
    assert "it is a link" in refused.value.what.en and "the link points to" in refused.value.fix.en
    check_output(tmp_path / "empty", root)


def test_a_file_is_refused(root, tmp_path):
    (tmp_path / "notes.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(BuildError) as refused:
        check_output(tmp_path / "notes.txt", root)
    assert "it is a file, not a folder" in refused.value.what.en


def test_an_absent_or_empty_folder_is_accepted_and_left_as_it_is(root, tmp_path):
    check_output(tmp_path / "new-site", root)
    assert not (tmp_path / "new-site").exists()
    (tmp_path / "empty").mkdir()
    check_output(tmp_path / "empty", root)
    check_output(root / "site", root)  # the repository's own site/, not built yet


def test_a_folder_of_someone_else_s_files_is_refused(root, tmp_path):
    documents = make_tree(tmp_path / "Documents", {"letters/a.txt": "precious"})
    with pytest.raises(BuildError) as refused:
        check_output(documents, root)
    assert "it holds files that sitegen did not write" in refused.value.what.en
    (documents / MARKER).write_bytes(b"\xff\xfe not text")  # a marker that is not sitegen's
    with pytest.raises(BuildError):
        check_output(documents, root)


def test_the_repository_s_own_site_from_before_sites_were_marked_is_accepted(root):
    make_tree(root / "site", {"index.html": "an old build"})
    check_output(root / "site", root)


def test_a_marked_site_is_accepted_until_a_file_is_put_into_it_by_hand(root, tmp_path):
    site = make_tree(tmp_path / "www", {"index.html": "home", "items/a/index.html": "a", "iiif/collection.json": "{}"})
    write_marker(site)
    check_output(site, root)
    (site / "google1234.html").write_text("verification", encoding="utf-8")
    with pytest.raises(BuildError) as refused:
        check_output(site, root)
    assert "google1234.html" in refused.value.what.en and "google1234.html" in refused.value.what.ja
    assert "move these files elsewhere" in refused.value.fix.en
    (site / "google1234.html").unlink()
    (site / "items").rename(site / "old-items")  # an entry listed but gone is fine; a new name is not
    with pytest.raises(BuildError):
        check_output(site, root)


def test_many_foreign_files_are_named_five_at_a_time(root, tmp_path):
    site = make_tree(tmp_path / "www", {"index.html": "home"})
    write_marker(site)
    make_tree(site, {f"f{n}.txt": "x" for n in range(7)})
    with pytest.raises(BuildError) as refused:
        check_output(site, root)
    assert "f0.txt, f1.txt, f2.txt, f3.txt, f4.txt …" in refused.value.what.en
    assert "f5.txt" not in refused.value.what.en


# --- the marker -----------------------------------------------------------------------------------
def test_the_marker_lists_the_site_s_top_level_entries(tmp_path):
    site = make_tree(tmp_path / "site", {"index.html": "", "items/a/index.html": "", "404.html": "", ".nojekyll": ""})
    path = write_marker(site)
    assert path == str(site / MARKER)
    lines = (site / MARKER).read_text(encoding="utf-8").splitlines()
    assert "sitegen" in lines[0]
    assert lines[1:] == [".nojekyll", "404.html", "index.html", "items"]
    (site / "data").mkdir()
    write_marker(site)  # written again: the listing follows the site
    assert (site / MARKER).read_text(encoding="utf-8").splitlines()[1:] == [".nojekyll", "404.html", "data",
                                                                            "index.html", "items"]


@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_the_marker_is_a_new_file_never_written_through_a_link(tmp_path, link):
    elsewhere = tmp_path / "cache-file"
    elsewhere.write_text("cached bytes", encoding="utf-8")
    site = make_tree(tmp_path / "site", {"index.html": ""})
    if link == "hard":
        os.link(elsewhere, site / MARKER)
    else:
        (site / MARKER).symlink_to(elsewhere)
    write_marker(site)
    assert elsewhere.read_text(encoding="utf-8") == "cached bytes"
    assert not (site / MARKER).is_symlink() and (site / MARKER).read_text(encoding="utf-8").endswith("index.html\n")


# --- putting a site together: a new tree or the recycled one -------------------------------------
class Blobs:
    """A content-addressed cache: each text is one file, hard-linked into every tree that has it
    (as rendered pages and tiles are)."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def tree(self, dest: Path, files: dict[str, str]) -> Path:
        dest.mkdir(parents=True, exist_ok=True)
        for rel, text in files.items():
            blob = self.folder / hashlib.sha256(text.encode()).hexdigest()
            if not blob.exists():
                blob.write_text(text, encoding="utf-8")
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(blob, dest / rel)
        return dest

    def listing(self) -> dict[str, bytes | None]:
        return listing(self.folder)


def assembly_in(folder: Path, spare: Path | None) -> Assembly:
    """The site put together in folder inside a build's scratch folder (which exists)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    return Assembly(folder, spare)


def put_together(src: Path, folder: Path, spare: Path | None) -> Assembly:
    """What a build does with a finished tree: place it, mark the site, remove the rest."""
    assembly = assembly_in(folder, spare)
    assembly.link_tree(src, folder)
    assembly.add([write_marker(folder)])
    assembly.prune()
    return assembly


V1 = {"index.html": "home 1", "items/a/index.html": "a", "items/b/index.html": "b", "iiif/a/manifest.json": "m-a",
      "search/part-1.js": "index 1", "static/app.js": "js"}
V2 = {"index.html": "home 2", "items/a/index.html": "a (changed)", "items/c/index.html": "c",
      "iiif/a/manifest.json": "m-a", "search/part-2.js": "index 2", "static/app.js": "js"}


def test_a_new_tree_is_linked_from_the_caches_and_nothing_is_pruned(tmp_path):
    blobs = Blobs(tmp_path / "cache")
    src = blobs.tree(tmp_path / "rendered", V1)
    assembly = put_together(src, tmp_path / "work/site", spare=None)
    assert not assembly.recycled and assembly.prune() == 0
    site = tmp_path / "work/site"
    assert {rel: data for rel, data in listing(site).items() if data is not None and rel != MARKER} == \
        {rel: text.encode() for rel, text in V1.items()}
    assert os.stat(site / "items/a/index.html").st_ino == os.stat(src / "items/a/index.html").st_ino  # no copy


def test_a_recycled_tree_ends_exactly_as_a_new_tree(tmp_path):
    blobs = Blobs(tmp_path / "cache")
    spare = blobs.tree(tmp_path / "spare", V1)
    write_marker(spare)
    # What a tree left over may hold besides: a folder where a file now belongs, a file where
    # a folder now belongs, a file that is the same bytes made again, a link.
    make_tree(spare, {"search/part-2.js/stale": "x", "items/c": "was a file", "static/app.js.map": "gone"})
    (spare / "static/app.js").unlink()
    (spare / "static/app.js").write_text("js", encoding="utf-8")  # same bytes, another file
    (spare / "items/b/alias").symlink_to(tmp_path / "cache")
    src = blobs.tree(tmp_path / "rendered", V2)
    recycled = put_together(src, tmp_path / "work/site", spare)
    assert recycled.recycled and not spare.exists()  # moved, not copied
    put_together(src, tmp_path / "work2/site", spare=None)
    assert listing(tmp_path / "work/site") == listing(tmp_path / "work2/site")
    assert not (tmp_path / "work/site/items/b").exists() and not (tmp_path / "work/site/static/app.js.map").exists()


def test_prune_keeps_what_was_placed_and_the_folders_above_it(tmp_path):
    blobs = Blobs(tmp_path / "cache")
    spare = blobs.tree(tmp_path / "spare", {**V1, "calendar/old.ics": "old"})
    assembly = assembly_in(tmp_path / "work/site", spare)
    site = tmp_path / "work/site"
    (site / "calendar/sessions").mkdir(parents=True)
    (site / "calendar/sessions/s1.ics").write_text("written by a step", encoding="utf-8")
    assembly.add([str(site / "calendar/sessions/s1.ics")])
    assembly.link_tree(blobs.tree(tmp_path / "rendered", {"index.html": "home 2"}), site)
    removed = assembly.prune()
    assert listing(site) == {"calendar": None, "calendar/sessions": None,
                             "calendar/sessions/s1.ics": b"written by a step", "index.html": b"home 2"}
    # items/ (with a, b), iiif/ (with a), search/, static/ and calendar/old.ics: gone, each counted
    # once with what it held.
    assert removed == 5


def test_recycling_never_changes_the_published_site_or_the_caches(tmp_path):
    """Three builds as the pipeline runs them: each new site is put together in the tree
    replaced by the build before, whose files are links shared with the published site and
    the caches. Readers see the published site unchanged until the swap."""
    blobs = Blobs(tmp_path / "cache/blobs")
    out, root = tmp_path / "site", tmp_path / "repo"
    spare = spare_for(tmp_path / "cache", out)
    versions = [V1, V2, {**V1, "index.html": "home 3", "items/d/index.html": "d"}]
    for n, files in enumerate(versions):
        src = blobs.tree(tmp_path / f"rendered{n}", files)
        work = tmp_path / f".site.build{n}"
        published, cached = (listing(out) if out.exists() else None), blobs.listing()
        assembly = put_together(src, work / "site", spare)
        assert assembly.recycled == (n == 2)  # the third build recycles the first build's site
        if published is not None:
            assert listing(out) == published, "the published site changed before the swap"
        assert blobs.listing() == cached, "a cached file was written through a link"
        check_output(out, root)
        if publish(work / "site", out):
            assembly.keep_replaced(work / "site")
        fresh = put_together(src, tmp_path / f"fresh{n}" / "site", None)
        assert listing(out) == listing(fresh.folder)
    assert listing(spare) == listing(tmp_path / "fresh1/site")  # the site the last build replaced


# --- tile sets kept whole -------------------------------------------------------------------------
TILES = {"info.json": "{}", "full/max/0/default.jpg": "full", "0,0,512,512/512,/0/default.jpg": "t1",
         "512,0,512,512/512,/0/default.jpg": "t2"}
MARK = "full/max/0/default.jpg"


def test_a_tile_set_the_recycled_site_already_has_is_kept_whole(tmp_path):
    blobs = Blobs(tmp_path / "cache")
    tiles = blobs.tree(tmp_path / "tiles/key1", TILES)
    spare = tmp_path / "spare"
    Assembly(spare, None).link_whole(tiles, spare / "iiif/a/front", MARK)
    inodes = {rel: os.stat(spare / "iiif/a/front" / rel).st_ino for rel in TILES}
    assembly = assembly_in(tmp_path / "work/site", spare)
    dest = tmp_path / "work/site/iiif/a/front"
    assembly.link_whole(tiles, dest, MARK)
    assembly.prune()
    assert {rel: os.stat(dest / rel).st_ino for rel in TILES} == inodes  # the very files, kept
    assert listing(dest) == listing(tiles)


def test_a_tile_set_made_anew_replaces_the_one_there_whole(tmp_path):
    blobs = Blobs(tmp_path / "cache")
    old = blobs.tree(tmp_path / "tiles/key1", TILES)
    cached = listing(old)
    spare = tmp_path / "spare"
    Assembly(spare, None).link_whole(old, spare / "iiif/a/front", MARK)
    smaller = {"info.json": "{ }", "full/max/0/default.jpg": "full 2", "0,0,512,512/512,/0/default.jpg": "t1"}
    new = blobs.tree(tmp_path / "tiles/key2", smaller)  # the scan changed: another cache entry
    assembly = assembly_in(tmp_path / "work/site", spare)
    assembly.link_whole(new, tmp_path / "work/site/iiif/a/front", MARK)
    assembly.prune()
    assert listing(tmp_path / "work/site/iiif/a/front") == listing(new)  # the tile no longer made is gone
    assert listing(old) == cached


def test_a_new_site_links_a_tile_set_like_any_tree(tmp_path):
    tiles = Blobs(tmp_path / "cache").tree(tmp_path / "tiles/key1", TILES)
    assembly = assembly_in(tmp_path / "work/site", None)
    assembly.link_whole(tiles, tmp_path / "work/site/iiif/a/front", MARK)
    assert listing(tmp_path / "work/site/iiif/a/front") == listing(tiles)


# --- where the replaced site is kept --------------------------------------------------------------
def test_the_replaced_site_is_kept_in_the_cache_one_place_per_output_folder(tmp_path):
    cache = tmp_path / "repo/.cache"
    cache.mkdir(parents=True)
    site, other = tmp_path / "repo/site", tmp_path / "www/site"
    other.parent.mkdir()
    spare = spare_for(cache, site)
    assert spare is not None and spare.parent == cache / "site-spare"
    assert spare == spare_for(cache, site) and spare != spare_for(cache, other)
    assert spare_for(tmp_path / "no-cache", site) is None
