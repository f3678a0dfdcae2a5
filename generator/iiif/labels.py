"""Language maps for IIIF (`{"ja": [..], "en": [..]}`) from the content's texts."""
from __future__ import annotations

from typing import Any

from ..models.common import LangText


def lang_map(value: Any, en: str | None = None) -> dict[str, list[str]]:
    """A IIIF language map; English only when there really is English (no fallback copies)."""
    if isinstance(value, LangText):
        ja, en = value.ja, value.en
    elif isinstance(value, dict):
        ja, en = value.get("ja") or value.get("en") or "", value.get("en")
    elif isinstance(value, tuple):
        ja, en = value
    elif hasattr(value, "ja"):  # authority titles (SeriesTitle) and other ja/en models
        ja, en = value.ja, getattr(value, "en", None)
    else:
        ja = str(value)
    out = {"ja": [ja]}
    if en:
        out["en"] = [en]
    return out


def both(ja: str, en: str) -> dict[str, list[str]]:
    return {"ja": [ja], "en": [en]}


def series_title(content: Any, series_id: str) -> Any:
    """The series' title from the name authority (archive/series.yml) when present, else its id."""
    entry = (getattr(content, "series", None) or {}).get(series_id)
    title = getattr(entry, "title", None) if entry is not None else None
    if title is None and isinstance(entry, dict):
        title = entry.get("title")
    return title if title else series_id
