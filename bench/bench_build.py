"""Full build of a generated archive of N items (metadata only), against a bare MkDocs +
Material build of the same number of plain pages measured in the same run.

    .venv/bin/python bench/bench_build.py [--items 2000]

Prints wall time, CPU time, peak memory (whole process tree) and output size, and the ratio
of our build to the bare engine: the generator's own overhead on top of rendering.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from measure import run, tree_bytes  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TYPES = ["ukiyo-e", "map", "book", "document", "photo"]
ARTISTS = [("葛飾北斎", "Katsushika Hokusai"), ("歌川広重", "Utagawa Hiroshige"), ("歌川国貞", "Utagawa Kunisada"),
           ("喜多川歌麿", "Kitagawa Utamaro"), ("月岡芳年", "Tsukioka Yoshitoshi")]


def make_archive(root: Path, n: int) -> None:
    """A repo copy whose archive holds n generated records (no scans)."""
    for name in ("lessons", "mkdocs.yml"):
        src = REPO / name
        shutil.copytree(src, root / name) if src.is_dir() else shutil.copy2(src, root / name)
    (root / "archive").mkdir()
    (root / "images").mkdir()
    for i in range(n):
        (root / "archive" / f"item-{i:05d}.yml").write_text(yaml.safe_dump(record(i), allow_unicode=True),
                                                            encoding="utf-8")


def record(i: int) -> dict:
    """The i-th generated record: five artists, five types, a century of dates."""
    ja, en = ARTISTS[i % len(ARTISTS)]
    return {
        "id": f"item-{i:05d}", "type": TYPES[i % len(TYPES)],
        "title": {"ja": f"{ja}の作品 第{i}番", "en": f"Work no. {i} by {en}", "reading": "さくひん"},
        "creators": [{"name": {"ja": ja, "en": en}, "role": "artist"}],
        "date": {"text": f"{1780 + i % 100}年", "start": 1780 + i % 100, "end": 1780 + i % 100},
        "place": {"name": {"ja": "江戸", "en": "Edo"}, "lat": 35.68, "lon": 139.76},
        "subjects": ["風景", "江戸"],
        "description": {"ja": "生成した見本の記録です。" * 5, "en": "A generated sample record. " * 5},
        "rights": "https://creativecommons.org/publicdomain/mark/1.0/",
    }


def make_bare(root: Path, pages: int) -> None:
    """The baseline: plain Material pages, the same count as our build renders."""
    docs = root / "docs"
    (docs / "p").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    for i in range(pages):
        (docs / "p" / f"{i:05d}.md").write_text(f"# Page {i}\n\n" + "text " * 80 + "\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "bare", "theme": {"name": "material", "font": False}, "plugins": [],
        "nav": [{"Home": "index.md"}]}), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_archive(tmp / "repo", args.items)
        ours = run([py, "-m", "generator", "build", "--quiet", "--root", str(tmp / "repo")],
                   env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
        if ours.returncode:
            sys.exit(f"build failed:\n{ours.stderr}")
        out = tmp / "repo" / "site"
        pages = sum(1 for _ in out.rglob("index.html"))
        size = tree_bytes(out)
        make_bare(tmp / "bare", pages)
        bare = run([py, "-m", "mkdocs", "build", "-q", "-f", str(tmp / "bare" / "mkdocs.yml")],
                   env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    print(f"full build, {args.items} items metadata only ({pages} pages, both languages)")
    print(f"  sitegen build : wall {ours.wall:7.1f} s  cpu {ours.cpu:7.1f} s  peak {ours.peak_rss_mb:7.0f} MB  "
          f"output {size / 1e6:.1f} MB")
    print(f"  bare mkdocs   : wall {bare.wall:7.1f} s  cpu {bare.cpu:7.1f} s  peak {bare.peak_rss_mb:7.0f} MB  "
          f"({pages} plain pages, one process)")
    print(f"  ratio (ours / bare engine): wall {ours.wall / bare.wall:.2f}x  cpu {ours.cpu / bare.cpu:.2f}x")


if __name__ == "__main__":
    main()
