"""Bad content gets one clear message per problem — file, field, line, what, how to fix —
a non-zero exit and no traceback; and a build with it leaves the published site as it was."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from runner import sitegen  # other test modules import it from here too

INVALID = Path(__file__).parent / "invalid"

# case folder -> (file, field, line, words the English message must contain)
CASES = {
    "missing-field": ("archive/no-title.yml", "title", 1, "required field is missing"),
    "wrong-type": ("archive/wrong-type.yml", "dimensions.height_cm", 6, "not a number ('たて25センチ')"),
    "duplicate-id": ("archive/zz-copy-of-great-wave.yml", "id", 1, "already used by archive/hokusai-kanagawa-oki-nami-ura.yml"),
    "unsafe-id-dotdot": ("archive/dotdot.yml", "id", 1, "'../x' is not a usable id"),
    "unsafe-id-slash": ("archive/slash.yml", "id", 1, "'a/b' is not a usable id"),
    "unknown-image": ("archive/no-such-scan.yml", "images[1].file", 8, "images/no-such-scan/bakc.jpg does not exist"),
    "non-utf8": ("archive/sjis.yml", None, 4, "not UTF-8"),
    "yaml-syntax": ("archive/broken-yaml.yml", None, 5, "YAML syntax error"),
    "typo-field": ("archive/typo.yml", "descripton", 6, "did you mean 'description'"),
    "bad-rights": ("archive/free-text-rights.yml", "rights", 5, "not an existing Creative Commons"),
    "lesson-missing-level": ("lessons/no-level.md", "level", 2, "required field is missing"),
    "course-bad-capacity": ("lessons/schedule/courses/bad-capacity.yml", "capacity", 4, "not a whole number"),
}




def lay(case: str, repo: Path) -> None:
    shutil.copytree(INVALID / case, repo, dirs_exist_ok=True)


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_names_file_field_line_and_fix(repo, case):
    file, field, line, words = CASES[case]
    lay(case, repo)
    result = sitegen(repo, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    where = f"{file}:{line}" if line else file
    lines = result.stderr.splitlines()
    heads = [i for i, text in enumerate(lines) if text.startswith(where + ": error")
             and (not field or f"[field '{field}']" in text)]
    assert heads, f"no message at {where} (field {field}):\n{result.stderr}"
    head = heads[0]
    assert words in lines[head] + lines[head + 1], result.stderr
    assert lines[head + 1].strip().startswith("how to fix:"), result.stderr


def test_messages_follow_the_users_locale(repo):
    lay("missing-field", repo)
    result = sitegen(repo, "check", lang="ja")
    assert result.returncode == 1
    assert "archive/no-title.yml:1: エラー [項目 'title']: 必須の項目がありません。" in result.stderr
    assert "直し方: この項目を書き足してください。" in result.stderr


def test_every_problem_is_reported_in_one_run(repo):
    for case in ("missing-field", "wrong-type", "typo-field", "lesson-missing-level"):
        lay(case, repo)
    result = sitegen(repo, "check")
    assert result.returncode == 1
    for case in ("missing-field", "wrong-type", "typo-field", "lesson-missing-level"):
        assert CASES[case][0] in result.stderr
    assert "4 error(s)" in result.stderr


def test_valid_content_checks_clean(repo):
    result = sitegen(repo, "check")
    assert result.returncode == 0, result.stderr
    assert "content is valid" in result.stdout


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A repo copy with a good site built into its site/ (tiles cached once for all cases)."""
    from conftest import copy_repo

    root = copy_repo(tmp_path_factory.mktemp("published") / "repo")
    result = sitegen(root, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize("case", ["missing-field", "duplicate-id", "unsafe-id-dotdot", "unknown-image",
                                  "non-utf8", "yaml-syntax", "wrong-type"])
def test_failed_build_leaves_the_published_site_untouched(published, case, tmp_path):
    site = published / "site"
    before = tree_digest(site)
    overlay = tmp_path / "overlay"
    shutil.copytree(INVALID / case, overlay)
    added = [p.relative_to(overlay) for p in overlay.rglob("*") if p.is_file()]
    lay(case, published)
    try:
        result = sitegen(published, "build", "--quiet")
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert tree_digest(site) == before
        assert not [p for p in published.iterdir() if p.name.startswith(".site.build")], "scratch folder left behind"
    finally:
        for rel in added:
            (published / rel).unlink()
