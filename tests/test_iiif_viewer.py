"""The viewer library is published from node_modules; without it the build says what to run."""
from __future__ import annotations

import datetime as dt

import pytest
import pyvips

from generator.errors import BuildError
from generator.pipeline import build
from iiif_repo import mini_repo


def test_missing_node_modules_is_a_clear_error(tmp_path):
    image = (pyvips.Image.black(300, 200, bands=3) + 90).cast("uchar").copy(interpretation="srgb")
    repo = mini_repo(tmp_path / "repo", {"one": [("a.jpg", image)]})
    (repo / "node_modules").unlink()
    site = tmp_path / "site"
    with pytest.raises(BuildError) as err:
        build(repo, out=site, site_url="http://127.0.0.1:1/", today=dt.date(2026, 11, 20), progress=False)
    assert "npm ci" in err.value.format("en") and "npm ci" in err.value.format("ja")
    assert not site.exists()


def test_viewer_library_is_served_from_the_site(sample_site):
    server, out = sample_site
    assert (out / "viewer/openseadragon.min.js").read_bytes()[:200]
    page = (out / "items/edo-kiriezu-kojimachi/index.html").read_text(encoding="utf-8")
    assert 'src="../../viewer/openseadragon.min.js"' in page
    en = (out / "en/items/edo-kiriezu-kojimachi/index.html").read_text(encoding="utf-8")
    assert 'src="../../../viewer/openseadragon.min.js"' in en
