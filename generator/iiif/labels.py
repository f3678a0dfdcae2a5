"""Language maps for IIIF (`{"ja": [..], "en": [..]}`) from the content's texts.

English appears only where there is English: a text without it is tagged `ja`, an id or a
code `none`, never Japanese tagged `en`."""
from __future__ import annotations

from typing import Any

from ..models.common import LangText


def lang_map(value: Any, en: str | None = None) -> dict[str, list[str]]:
    """A IIIF language map; English only when there really is English (no fallback copies)."""
    if isinstance(value, LangText):
        ja, en = value.ja, value.en
    elif isinstance(value, dict):
        ja, en = value.get("ja"), value.get("en")
    elif isinstance(value, tuple):
        ja, en = value
    elif hasattr(value, "ja"):  # authority titles (SeriesTitle) and other ja/en models
        ja, en = value.ja, getattr(value, "en", None)
    else:
        ja = str(value)
    out = {}
    if ja:
        out["ja"] = [ja]
    if en:
        out["en"] = [en]
    return out or {"none": [""]}


def label_map(pair: tuple[str, str]) -> dict[str, list[str]]:
    """A field name as a label: the English word capitalised ("artist" -> "Artist")."""
    ja, en = pair
    return both(ja, en[:1].upper() + en[1:])


def title_map(title: Any) -> dict[str, list[str]]:
    """An item's title: Japanese, and English when the record has it."""
    return lang_map((title.ja, title.en))


def both(ja: str, en: str) -> dict[str, list[str]]:
    return {"ja": [ja], "en": [en]}


def series_title(content: Any, series_id: str) -> Any:
    """The series' title from the name authority (archive/series.yml) when present, else its id."""
    entry = (getattr(content, "series", None) or {}).get(series_id)
    title = getattr(entry, "title", None) if entry is not None else None
    if title is None and isinstance(entry, dict):
        title = entry.get("title")
    return title if title else series_id


def series_label(content: Any, series_id: str) -> dict[str, list[str]]:
    """The series' title as a language map; a series the authority does not know is shown by
    its id, which is in no language."""
    title = series_title(content, series_id)
    return {"none": [series_id]} if isinstance(title, str) else lang_map(title)
