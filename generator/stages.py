"""What each build stage hands on to the next (pipeline.py runs them in this order):

- load: `Content` (content.py), the validated models; nothing is written.
- derive: `Derived`, what the render steps read: the schedule, the IIIF services of each
  item, the search data, and each item's digest (what its page and the pages listing it
  show). The derive steps also write their static files (tiles, manifests, feeds).
- render: `Rendered`, the finished pages in the scratch site, with how many there are and
  the engine's warnings.
- publish: the search index is added and the site swapped into place.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field

from .iiif.derive import ItemImages
from .models.archive import Item
from .schedule.derive import Schedule
from .search.derive import SearchData


@dataclass(frozen=True)
class Derived:
    schedule: Schedule
    iiif: dict[str, ItemImages]  # item id -> its published images (an entry for every item)
    search: SearchData
    item_digests: dict[str, str]  # item id -> item_digest(): a page listing items is kept while they are equal


@dataclass(frozen=True)
class Rendered:
    pages: int  # pages rendered, both languages
    warnings: list[str] = field(default_factory=list)  # the engine's, for the terminal


def item_digest(item: Item, entry: ItemImages | None, search: SearchData) -> str:
    """Everything derived about one item that its page, or a page listing it, shows: the
    record, its published images and its search record (readings, labels, thumbnail)."""
    parts = [item.model_dump_json(), repr((entry.images, entry.manifest_path, entry.manifest_id) if entry else None)]
    record = search.record(item.id)
    if record is not None:  # its fields but the item (above already, and slow to repr)
        parts += [repr([getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "item"]),
                  repr(search.thumbnails.get(item.id))]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def derived_from(items: list[Item], schedule: Schedule, iiif: dict[str, ItemImages], search: SearchData) -> Derived:
    """The derive stage's result, with the digest of every item."""
    digests = {item.id: item_digest(item, iiif.get(item.id), search) for item in items}
    return Derived(schedule=schedule, iiif=iiif, search=search, item_digests=digests)
