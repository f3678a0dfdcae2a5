"""The cache module: files written whole or not at all, one command of a repository writing
.cache/ at a time, and cache families keeping what a build used."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cache import Family, lock, new_folder, write_atomic

REPO = Path(__file__).resolve().parent.parent
SIZE = 4 << 20  # large enough that writing it takes many system calls

WRITER = """
import sys
from pathlib import Path
from generator.cache import write_atomic
path = Path(sys.argv[1])
n = 0
while True:
    n = n % 9 + 1
    write_atomic(path, bytes([48 + n]) * {size})
    if n == 1:
        print("go", flush=True)
"""

HOLDER = """
import sys, time
from pathlib import Path
from generator.cache import lock
with lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _python(code: str, *args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=REPO, text=True,
                            env={**os.environ, **(env or {})}, **kwargs)


def _whole(data: bytes) -> bool:
    return len(data) == SIZE and data == data[:1] * SIZE


def test_a_file_written_atomically_is_never_seen_half_written(tmp_path):
    """A reader always finds one whole version, while a writer rewrites the file over and
    over and after the writer is killed in the middle of a write."""
    path = tmp_path / "entry.bin"
    write_atomic(path, b"0" * SIZE)
    writer = _python(WRITER.format(size=SIZE), str(path), stdout=subprocess.PIPE)
    try:
        assert writer.stdout.readline().strip() == "go"
        seen = set()
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            data = path.read_bytes()
            assert _whole(data), "a reader saw a partly written file"
            seen.add(data[:1])
    finally:
        writer.kill()
        writer.wait()
    assert len(seen) > 1, "the writer never replaced the file while it was read"
    assert _whole(path.read_bytes()), "the file a killed writer was writing is not whole"
    left = [p.name for p in tmp_path.iterdir() if p.name != path.name]
    assert all(name.startswith(".entry.bin.") and name.endswith(".tmp") for name in left)


def test_an_atomic_write_replaces_links_never_writes_through_them(tmp_path):
    """A file in a site being put together may be a hard link into a cache or the published
    site: writing it makes a new file, and the other name keeps its bytes."""
    cached = tmp_path / "cached.html"
    cached.write_text("published", encoding="utf-8")
    site = tmp_path / "index.html"
    os.link(cached, site)
    write_atomic(site, "new page")
    assert site.read_text(encoding="utf-8") == "new page"
    assert cached.read_text(encoding="utf-8") == "published"


def test_a_failed_atomic_write_leaves_the_old_file_and_no_scrap(tmp_path, monkeypatch):
    path = tmp_path / "scans.json"
    write_atomic(path, "{}")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        write_atomic(path, '{"a": 1}')
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["scans.json"]


def test_a_new_folder_replaces_the_old_one_whole_or_not_at_all(tmp_path):
    target = tmp_path / "catalog"
    with new_folder(target) as fresh:
        (fresh / "a").write_text("1")
    assert [p.name for p in target.iterdir()] == ["a"]
    with pytest.raises(RuntimeError):
        with new_folder(target) as fresh:
            (fresh / "b").write_text("2")
            raise RuntimeError("killed midway")
    assert [p.name for p in target.iterdir()] == ["a"], "a failed run changed the folder"
    # What a killed run left beside it goes with the next run.
    (tmp_path / ".catalog.new" / "half").mkdir(parents=True)
    (tmp_path / ".catalog.old").mkdir()
    with new_folder(target) as fresh:
        (fresh / "c").write_text("3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog"]
    assert [p.name for p in target.iterdir()] == ["c"]


def test_a_family_prune_keeps_what_the_build_used(tmp_path):
    family = Family(tmp_path, "tiles", records=("used.json",))
    for key in ("aaa", "bbb", "ccc"):
        family.entry(key).mkdir(parents=True)
        (family.entry(key) / "tile.jpg").write_bytes(b"jpg")
    (family.folder / "used.json").write_text("{}")
    (family.folder / ".ddd.new").mkdir()  # a killed run's scratch folder
    (family.folder / ".used.json.1234abcd.tmp").write_text("{")  # a killed write's temporary file
    assert family.prune({"aaa", "ccc"}) == [".ddd.new", ".used.json.1234abcd.tmp", "bbb"]
    assert sorted(os.listdir(family.folder)) == ["aaa", "ccc", "used.json"]
    assert (family.entry("aaa") / "tile.jpg").read_bytes() == b"jpg"
    assert Family(tmp_path, "absent").prune(()) == []


@pytest.mark.parametrize("lang, says", [
    ("en", "another sitegen command is running in this repository"),
    ("ja", "このリポジトリでは別の sitegen コマンドが動いています"),
])
def test_a_command_waits_for_the_one_holding_the_lock_and_says_so_once(tmp_path, lang, says):
    """While one command holds the repository's lock, another (here `sitegen check`) waits,
    says so once on stderr, and goes on when the first is done."""
    root = tmp_path / "repo"
    root.mkdir()
    with lock(root):
        waiting = subprocess.Popen([sys.executable, "-m", "generator", "check", "--root", str(root)], cwd=REPO,
                                   env={**os.environ, "SITEGEN_LANG": lang}, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        said = waiting.stderr.readline()
        assert says in said
        time.sleep(0.5)
        assert waiting.poll() is None, "the second command did not wait for the lock"
    _, rest = waiting.communicate(timeout=120)
    assert says not in rest, "the waiting message was repeated"
    assert "Traceback" not in rest


def test_the_lock_excludes_another_process_and_is_freed_when_its_holder_is_killed(tmp_path):
    holder = _python(HOLDER, str(tmp_path), "600", stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        second = _python(HOLDER, str(tmp_path), "0", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert "another sitegen command" in second.stderr.readline()
        assert second.poll() is None
        os.killpg(holder.pid, signal.SIGKILL)  # a build killed (a power cut, Ctrl+\)
        holder.wait()
        out, _ = second.communicate(timeout=60)
        assert out.strip() == "held"
    finally:
        if holder.poll() is None:
            os.killpg(holder.pid, signal.SIGKILL)
            holder.wait()


def test_the_lock_can_be_taken_again_inside_itself(tmp_path):
    """pipeline.build takes it, and so may a command that builds."""
    with lock(tmp_path):
        with lock(tmp_path):
            pass
        child = _python(HOLDER, str(tmp_path), "0", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert "another sitegen command" in child.stderr.readline()
    out, _ = child.communicate(timeout=60)
    assert out.strip() == "held"
