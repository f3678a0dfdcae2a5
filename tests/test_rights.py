"""Rights as librarians paste them become the one canonical URI; licences that do not exist
are refused with a message that says what to write."""
from __future__ import annotations

import json

import pytest

from generator.models.rights import canonical_rights
from test_content_errors import sitegen

BY4 = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
PDM = "https://creativecommons.org/publicdomain/mark/1.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"


@pytest.mark.parametrize("written, canonical", [
    (BY4, BY4), ("http://creativecommons.org/licenses/by/4.0", BY4), ("https://creativecommons.org/licenses/by/4.0/deed.ja", BY4),
    ("https://creativecommons.org/licenses/by/4.0/legalcode.ja", BY4), ("https://www.creativecommons.org/licenses/by/4.0/#ref", BY4),
    ("CC BY 4.0", BY4), ("cc-by-4.0", BY4), ("ＣＣ　ＢＹ　４.０", BY4), (" CC BY 4.0 ", BY4),
    ("CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    ("CC BY 2.1 JP", "https://creativecommons.org/licenses/by/2.1/jp/"),
    ("https://creativecommons.org/licenses/by-nd-nc/1.0/", "https://creativecommons.org/licenses/by-nd-nc/1.0/"),
    ("CC0", CC0), ("cc0 1.0", CC0), ("https://creativecommons.org/publicdomain/zero/1.0/legalcode", CC0),
    ("PDM", PDM), ("Public Domain Mark", PDM), ("パブリックドメイン", PDM),
    ("http://creativecommons.org/publicdomain/mark/1.0/deed.ja", PDM),
    (INC, INC), ("https://rightsstatements.org/vocab/InC/1.0/", INC), ("https://rightsstatements.org/page/InC/1.0/?language=ja", INC),
    ("http://rightsstatements.org/vocab/inc/1.0", INC), ("InC", INC),
    ("NoC-US", "http://rightsstatements.org/vocab/NoC-US/1.0/"),
])
def test_common_forms_become_the_canonical_uri(written, canonical):
    assert canonical_rights(written) == canonical


@pytest.mark.parametrize("written", [
    "https://creativecommons.org/licenses/by/5.0/", "https://creativecommons.org/licenses/by-sa-nc/4.0/",
    "https://creativecommons.org/licenses/by-nc-nd/1.0/", "https://creativecommons.org/licenses/by/2.1/",
    "https://creativecommons.org/publicdomain/zero/2.0/", "http://rightsstatements.org/vocab/InC/2.0/",
    "http://rightsstatements.org/vocab/Free/1.0/", "CC BY 5.0", "all rights reserved", "著作権保護期間満了",
    "javascript:alert(1)", "https://example.org/licenses/by/4.0/", "", "creativecommons.org",
])
def test_licences_that_do_not_exist_are_refused(written):
    assert canonical_rights(written) is None


def test_a_record_stores_and_publishes_the_canonical_uri(repo):
    record = repo / "archive" / "hokusai-kanagawa-oki-nami-ura.yml"
    text = record.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("rights:"))
    record.write_text(text.replace(line, "rights: CC BY 4.0"), encoding="utf-8")
    bad = repo / "archive" / "kanda-myojin-hikifuda.yml"
    bad_text = bad.read_text(encoding="utf-8")
    bad_line = next(x for x in bad_text.splitlines() if x.startswith("rights:"))
    bad.write_text(bad_text.replace(bad_line, "rights: https://creativecommons.org/licenses/by/5.0/"), encoding="utf-8")
    result = sitegen(repo, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "archive/kanda-myojin-hikifuda.yml" in result.stderr and "field 'rights'" in result.stderr
    assert "how to fix:" in result.stderr and "CC BY 4.0" in result.stderr
    assert "hokusai-kanagawa-oki-nami-ura" not in result.stderr
    ja = sitegen(repo, "check", lang="ja")
    assert "ライセンス" in ja.stderr and "直し方:" in ja.stderr
    bad.write_text(bad_text, encoding="utf-8")
    assert sitegen(repo, "build", "--quiet", "--today", "2026-11-20").returncode == 0
    manifest = json.loads((repo / "site" / "iiif" / "hokusai-kanagawa-oki-nami-ura" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rights"] in (BY4, BY4.replace("https:", "http:"))  # IIIF writes CC URIs as http


def test_an_import_stores_the_canonical_uri_of_a_pasted_licence(repo, tmp_path):
    from PIL import Image

    scans = tmp_path / "scans"
    scans.mkdir()
    Image.new("RGB", (1200, 900), (200, 180, 150)).save(scans / "fuji-x.jpg")
    catalogue = tmp_path / "cat.csv"
    catalogue.write_text("id,file,type,title_ja,rights\nfuji-x,fuji-x.jpg,ukiyo-e,富士,CC BY 4.0 deed\n"
                         .replace(" deed", ""), encoding="utf-8")
    result = sitegen(repo, "import", str(catalogue), "--images", str(scans))
    assert result.returncode == 0, result.stderr
    assert f"rights: {BY4}" in (repo / "archive" / "fuji-x.yml").read_text(encoding="utf-8")
    result = sitegen(repo, "import", str(catalogue), "--images", str(scans), "--rights", "CC BY 9.9")
    assert result.returncode == 1 and "--rights" in result.stderr and "how to fix:" in result.stderr
