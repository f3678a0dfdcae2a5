"""Related items at scale: neighbours in date order within the same series, artist and place,
and a bounded fan-out, so that one edited record appears on only a few other pages."""
from __future__ import annotations

import functools
import random
from collections import Counter

from conftest import REPO
from generator.content import load_content
from generator.search import catalog, records

LIMIT = 6


@functools.cache
def _sample():
    content = load_content(REPO)
    return content, {item.id: item for item in content.items}


def generated(count: int, in_series: int = 0, artist: bool = True, place: bool = True, seed: int = 1,
              title=None, prefix: str = "print") -> list[records.SearchRecord]:
    """count prints made from the sample Great Wave: the first in_series of them in its
    series, all by Hokusai (unless not artist), all of the same place (unless not place), of
    shuffled years (several share a year)."""
    content, items = _sample()
    wave = items["hokusai-kanagawa-oki-nami-ura"]
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        date = wave.date.model_copy(update={"start": 1800 + rnd.randrange(count // 3 + 1)})
        update = {"id": f"{prefix}-{i:03}", "date": date, "series": wave.series if i < in_series else None,
                  "title": wave.title.model_copy(update={"ja": title(i) if title else f"北斎の版画 第{i}番",
                                                         "en": None, "reading": None})}
        if not artist:
            update["creators"] = []
        if not place:
            update["place"] = None
        out.append(records.record_for(content, wave.model_copy(update=update)))
    return out


def fan_out(related: dict[str, list[str]]) -> Counter:
    """How many items list each item."""
    return Counter(other for picks in related.values() for other in picks)


def by_date(recs):
    return [r.id for r in sorted(recs, key=lambda r: (r.item.date.start, r.id))]


def test_an_item_of_a_big_group_is_listed_by_its_neighbours_only():
    recs = generated(200)
    related = catalog.related(recs)
    assert max(fan_out(related).values()) <= 2 * LIMIT
    assert min(fan_out(related).values()) >= 1  # and every item is listed somewhere
    order = by_date(recs)
    for i, item_id in enumerate(order):
        picks = related[item_id]
        assert len(picks) == LIMIT and item_id not in picks and len(set(picks)) == LIMIT
        if LIMIT // 2 <= i < len(order) - LIMIT // 2:
            # The three after and the three before, nearest first, alternating.
            assert picks == [order[i + 1], order[i - 1], order[i + 2], order[i - 2], order[i + 3], order[i - 3]]
        else:  # near an end: the nearest on the side there is
            assert max(abs(order.index(p) - i) for p in picks) <= LIMIT
    # Pages differ: not the same six everywhere.
    assert len({tuple(p) for p in related.values()}) == len(recs)


def test_series_neighbours_come_before_the_artist_s():
    recs = generated(200, in_series=40)
    related = catalog.related(recs)
    series = {r.id for r in recs if r.item.series}
    for r in recs:
        if r.id in series:
            assert set(related[r.id]) <= series
    assert max(fan_out(related).values()) <= 4 * LIMIT


def test_similar_items_fill_up_and_no_item_is_listed_everywhere():
    # No artist, series or place: only the titles relate them, and they all share words.
    words = ["富士", "江戸", "浪裏", "隅田", "両国", "品川", "日本橋", "夕立"]
    recs = generated(300, artist=False, place=False,
                     title=lambda i: "".join(words[(i * k) % len(words)] for k in (1, 3, 5)) + f"の図{i}")
    related = catalog.related(recs)
    assert all(r.id not in related[r.id] for r in recs)
    assert sum(len(p) for p in related.values()) > 0.8 * LIMIT * len(recs)
    assert max(fan_out(related).values()) <= catalog.SIMILAR_CAP * LIMIT
    # The same answer whatever order the records come in.
    assert catalog.related(list(reversed(recs))) == related


def test_related_items_do_not_depend_on_the_order_of_records():
    recs = generated(120, in_series=30)
    shuffled = list(recs)
    random.Random(5).shuffle(shuffled)
    assert catalog.related(shuffled) == catalog.related(recs)
