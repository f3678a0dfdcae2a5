"""Duplicate scans: the same bytes, or the same picture resized or re-saved; different prints
(even flat, plain ones) are not confused."""
from __future__ import annotations

import itertools
import random

from PIL import Image
from test_librarian_import import scan

from generator.librarian.dedupe import Fingerprint, FingerprintCache, find_duplicates, fingerprint, looks_alike


def test_resized_and_resaved_copies_look_alike_and_other_pictures_do_not(tmp_path):
    original = scan(tmp_path / "a.jpg", 1, size=(640, 480))
    with Image.open(original) as im:
        im.resize((200, 150)).save(tmp_path / "small.jpg", quality=60)
        im.save(tmp_path / "copy.png")
    scan(tmp_path / "b.jpg", 2, size=(640, 480))  # another print
    Image.new("RGB", (640, 480), (250, 250, 250)).save(tmp_path / "white.jpg")
    Image.new("RGB", (640, 480), (20, 20, 20)).save(tmp_path / "black.jpg")
    fps = {p.name: fingerprint(p) for p in tmp_path.iterdir()}
    assert looks_alike(fps["a.jpg"], fps["small.jpg"]) and looks_alike(fps["a.jpg"], fps["copy.png"])
    assert not looks_alike(fps["a.jpg"], fps["b.jpg"])
    assert not looks_alike(fps["white.jpg"], fps["black.jpg"])  # both have a flat dHash; the tone differs
    pairs = {(d.a, d.b) for d in find_duplicates(fps)}
    assert pairs == {("a.jpg", "copy.png"), ("a.jpg", "small.jpg"), ("copy.png", "small.jpg")}


def test_the_fast_search_finds_what_comparing_every_pair_finds():
    rnd = random.Random(7)
    scans = {}
    for n in range(300):
        h, thumb = rnd.getrandbits(64), bytes(rnd.randrange(256) for _ in range(64)).hex()
        scans[f"item-{n}/scan.jpg"] = Fingerprint(f"sha{n}", h, 100, 100, thumb)
    for n in range(0, 300, 30):  # a near copy (up to 6 bits flipped) and an identical file
        base = scans[f"item-{n}/scan.jpg"]
        flipped = base.dhash
        for bit in rnd.sample(range(64), rnd.randrange(7)):
            flipped ^= 1 << bit
        scans[f"copy-{n}/scan.jpg"] = Fingerprint(f"other{n}", flipped, 50, 50, base.thumb)
        scans[f"same-{n}/scan.jpg"] = base
    every_pair = {(a, b) for a, b in itertools.combinations(sorted(scans), 2)
                  if scans[a].sha256 == scans[b].sha256 or looks_alike(scans[a], scans[b])}
    found = {(d.a, d.b) for d in find_duplicates(scans)}
    # The fast search compares a copy with one file of each identical group, not with both.
    assert found <= every_pair
    assert {(a, b) for a, b in every_pair if scans[a].sha256 == scans[b].sha256} <= found
    assert {p for p in every_pair if "copy-" in p[0] + p[1] and "same-" not in p[0] + p[1]} <= found


def test_fingerprints_are_cached_until_the_file_changes(tmp_path):
    path = scan(tmp_path / "a.jpg", 3)
    cache = FingerprintCache(tmp_path / ".cache")
    first = cache.get(path)
    cache.save()
    again = FingerprintCache(tmp_path / ".cache")
    assert again.get(path) == first and not again.changed
    scan(path, 4)  # the librarian replaces the scan
    assert again.get(path).sha256 != first.sha256
