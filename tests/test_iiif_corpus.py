"""The shared corpus (31 real prints) as IIIF, in the site the search tests build once a session
(the sample with the corpus imported): every info.json checked against the tiles on disk as
each OpenSeadragon build in use reads it, a few representative scans opened in the real builds
in Chromium, and every manifest and collection parsed by iiif-prezi3 and validated against the
Presentation 3 schema."""
from __future__ import annotations

import json

import pytest

from conftest import CORPUS
from generator.iiif.viewer_requests import OSD_VERSIONS, level_problems, static_paths, tile_paths
from iiif_repo import check_in_viewers
from test_iiif_manifests import assert_valid_documents
from test_search_browser import corpus_site  # noqa: F401 (the sample and the corpus, built once a session)

pytestmark = [pytest.mark.corpus,
              pytest.mark.skipif(not (CORPUS / "items.csv").exists(), reason=f"the shared corpus is not at {CORPUS}")]


def corpus_infos(out):
    infos = sorted(p for p in out.glob("iiif/hokusai-fugaku36-*/*/info.json"))
    assert len(infos) == 31
    return infos


def test_every_info_json_against_the_tiles_on_disk(corpus_site, capsys):  # noqa: F811
    _, out, _ = corpus_site
    counts = {v: [0, 0] for v in OSD_VERSIONS}
    for path in corpus_infos(out):
        info = json.loads(path.read_text(encoding="utf-8"))
        assert level_problems(info) == [], path
        assert info["rights"] == "http://creativecommons.org/publicdomain/zero/1.0/"
        for version in OSD_VERSIONS:
            wanted = set(tile_paths(info, version)) | set(static_paths(info))
            missing = sorted(p for p in wanted if not (path.parent / p).is_file())
            assert not missing, f"OpenSeadragon {version}, {path.relative_to(out)}: {missing[:5]}"
            counts[version][0] += len(wanted)
            counts[version][1] += len(wanted) - len(missing)
    with capsys.disabled():
        for version, (wanted, present) in counts.items():
            print(f"\ncorpus, OpenSeadragon {version}: {wanted} images computed from info.json, {present} present")


@pytest.mark.browser
def test_representative_scans_in_each_build(corpus_site, browser, capsys):  # noqa: F811
    """The largest and the smallest print, and one between: the two scan sizes of the corpus
    (about 3,900 and 1,900 px wide) give 4- and 3-level pyramids."""
    server, out, _ = corpus_site
    by_width = sorted(corpus_infos(out), key=lambda p: json.loads(p.read_text())["width"])
    chosen = [by_width[0], by_width[len(by_width) // 2], by_width[-1]]
    stats = check_in_viewers(browser, server.url, out, chosen)
    with capsys.disabled():
        for version, s in stats.items():
            print(f"\ncorpus ({len(chosen)} scans), OpenSeadragon {version}: {s}")


def test_manifests_and_collections_parse_and_validate(corpus_site):  # noqa: F811
    _, out, _ = corpus_site
    assert_valid_documents(out, manifests=31 + 4)
