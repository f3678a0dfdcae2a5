"""Scale: a generated archive of 1,000 and 10,000 items (metadata, plus small generated scans
for a share of them), built the way a librarian builds it.

    .venv/bin/python bench/bench_scale.py [--sizes 1000 10000] [--scan-share 0.05]

For each size: full build, no-change rebuild, one-record rebuild (a typo fixed in one title),
peak memory of the whole process tree, output bytes; then how each grows from the smallest
to the largest size (a ratio of 10 for 10x the items is linear). The baseline for the
rebuilds is the full build of the same archive in the same run.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from bench_build import record as make_record  # noqa: E402
from measure import run, tree_bytes  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def make_repo(root: Path, n: int, scan_share: float) -> None:
    import pyvips

    for name in ("lessons", "mkdocs.yml"):
        src = REPO / name
        shutil.copytree(src, root / name) if src.is_dir() else shutil.copy2(src, root / name)
    (root / "archive").mkdir()
    every = max(1, round(1 / scan_share)) if scan_share else 0
    for i in range(n):
        item_id = f"item-{i:05d}"
        record = make_record(i)
        if every and i % every == 0:
            folder = root / "images" / item_id
            folder.mkdir(parents=True)
            # Distinct small scans (600-900 px): each is tiled once, like real new scans.
            img = (pyvips.Image.xyz(600 + i % 300, 800) * (1 + i % 7)).cast("uchar")
            img = img[0].bandjoin([img[1], img[0]]).copy(interpretation="srgb")
            img.jpegsave(str(folder / "scan.jpg"), Q=80)
            record["images"] = [{"file": "scan.jpg"}]
        (root / "archive" / f"{item_id}.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    (root / "images").mkdir(exist_ok=True)
    (root / "node_modules").symlink_to(REPO / "node_modules")  # OpenSeadragon, as `npm ci` gives it


def build(root: Path):
    result = run([sys.executable, "-m", "generator", "build", "--quiet", "--root", str(root)],
                 env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode:
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--scan-share", type=float, default=0.05)
    args = parser.parse_args()
    rows = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
            root = Path(tmp) / "repo"
            make_repo(root, n, args.scan_share)
            full = build(root)
            again = build(root)
            record = root / "archive" / "item-00007.yml"
            record.write_text(record.read_text(encoding="utf-8").replace("第7番", "第7番（訂正）"), encoding="utf-8")
            one = build(root)
            size = tree_bytes(root / "site")
            rows[n] = (full, again, one, size)
        print(f"{n:>6} items ({args.scan_share:.0%} with scans)")
        print(f"  full build        : wall {full.wall:7.1f} s  cpu {full.cpu:7.1f} s  peak {full.peak_rss_mb:6.0f} MB")
        print(f"  no-change rebuild : wall {again.wall:7.1f} s  = {again.wall / full.wall:5.1%} of full  "
              f"peak {again.peak_rss_mb:6.0f} MB")
        print(f"  one-record rebuild: wall {one.wall:7.1f} s  = {one.wall / full.wall:5.1%} of full  "
              f"peak {one.peak_rss_mb:6.0f} MB")
        print(f"  output            : {size / 1e6:8.1f} MB", flush=True)
    if len(rows) > 1:
        small, large = min(rows), max(rows)
        k = large / small
        print(f"growth {small} -> {large} items ({k:.0f}x the items; {k:.0f}x is linear):")
        for i, name in enumerate(("full build", "no-change rebuild", "one-record rebuild")):
            print(f"  {name:<19}: time {rows[large][i].wall / rows[small][i].wall:5.1f}x  "
                  f"peak memory {rows[large][i].peak_rss_mb / rows[small][i].peak_rss_mb:5.1f}x")
        print(f"  output bytes       : {rows[large][3] / rows[small][3]:5.1f}x")


if __name__ == "__main__":
    main()
