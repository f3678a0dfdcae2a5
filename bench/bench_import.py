"""Importing the shared corpus catalogue (31 real scans, 72 MB) into a copy of the repo.

Baseline, in the same run: `cp` of the same 31 scans into a folder, the least any import must
do. Printed: first import, re-import (nothing changes), dry run, and `sitegen report`, each as
a ratio to that copy. Run: .venv/bin/python bench/bench_import.py
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import run  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
SITEGEN = str(REPO / ".venv" / "bin" / "sitegen")
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def main() -> int:
    if not (CORPUS / "items.csv").exists():
        print(f"the shared corpus is not at {CORPUS}")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        repo = tmp / "repo"
        repo.mkdir()
        shutil.copytree(REPO / "archive", repo / "archive")
        shutil.copy2(REPO / "mkdocs.yml", repo / "mkdocs.yml")
        shutil.copytree(REPO / "images", repo / "images")
        (tmp / "copy").mkdir()
        scans = sorted(str(p) for p in CORPUS.glob("*.jpg"))
        baseline = run(["cp", *scans, str(tmp / "copy")])
        imp = [SITEGEN, "import", "--root", str(repo), str(CORPUS / "items.csv"), "--images", str(CORPUS), "--rights", CC0]
        steps = [("import (31 new items)", imp), ("re-import (no change)", imp), ("dry run", imp + ["--dry-run"]),
                 ("report", [SITEGEN, "report", "--root", str(repo)])]
        print(f"baseline: cp of {len(scans)} scans  {baseline.wall:6.2f} s")
        for name, cmd in steps:
            m = run(cmd, env={"SITEGEN_LANG": "en"})
            if m.returncode != 0:
                print(f"{name} failed:\n{m.stderr}")
                return 1
            print(f"{name:24s} {m.wall:6.2f} s  {m.wall / baseline.wall:6.1f}× the copy  peak {m.peak_rss_mb:5.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
