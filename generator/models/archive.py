"""An archive item: one record in archive/<id>.yml, its scans in images/<id>/."""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from ..errors import FieldError, Text
from .eras import parse as parse_date
from .common import URL, CleanStr, LangLineStr, LangStr, Model, OneLine, RightsURI, Slug, not_reserved

ItemType = Literal["ukiyo-e", "map", "book", "document", "photo"]
ITEM_TYPES: tuple[str, ...] = ItemType.__args__  # type: ignore[attr-defined]
TYPE_LABELS = {
    "ukiyo-e": ("浮世絵", "Ukiyo-e print"),
    "map": ("地図", "Map"),
    "book": ("和本・書籍", "Book"),
    "document": ("文書", "Document"),
    "photo": ("写真", "Photograph"),
}
CreatorRole = Literal["artist", "author", "publisher", "carver", "printer", "cartographer", "photographer", "editor"]
ROLE_LABELS = {
    "artist": ("絵師", "artist"), "author": ("作者", "author"), "publisher": ("版元", "publisher"),
    "carver": ("彫師", "carver"), "printer": ("摺師", "printer"), "cartographer": ("作図", "cartographer"),
    "photographer": ("撮影", "photographer"), "editor": ("編者", "editor"),
}
ViewingDirection = Literal["left-to-right", "right-to-left", "top-to-bottom", "bottom-to-top"]
# How a viewer shows the scans: one by one (prints, maps, sheets), as the pages of a book,
# or joined edge to edge (a scroll).
Behavior = Literal["individuals", "paged", "continuous"]
SCAN_SUFFIXES = (".jpg", ".jpeg", ".tif", ".tiff", ".png")
_SCAN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def _check_scan_name(value: str) -> str:
    if not _SCAN_NAME.match(value) or ".." in value:
        raise FieldError(
            Text(f"「{value}」は画像ファイル名として使えません（フォルダ名や「..」、日本語・空白は不可）。",
                 f"'{value}' is not a usable scan file name (no folders, '..', spaces or non-ASCII)."),
            Text("images/<ID>/ フォルダの中のファイル名だけを書いてください（例: front.jpg）。",
                 "write only the name of a file inside images/<id>/ (e.g. front.jpg)."),
        )
    if not value.lower().endswith(SCAN_SUFFIXES):
        raise FieldError(
            Text(f"「{value}」は対応していない種類のファイルです。", f"'{value}' is not a supported kind of scan."),
            Text("JPEG（.jpg）、TIFF（.tif）、PNG（.png）のどれかにしてください。",
                 "use a JPEG (.jpg), TIFF (.tif) or PNG (.png) file."),
        )
    return value


ScanName = Annotated[str, AfterValidator(_check_scan_name)]


class Title(Model):
    ja: OneLine = Field(min_length=1)
    en: OneLine | None = None
    reading: OneLine | None = None  # hiragana, as a librarian would write it


class CreatorRef(Model):
    """A creator of the item: an id in archive/creators.yml, or a name written out."""

    id: Slug | None = None
    name: LangLineStr | None = None
    role: CreatorRole = "artist"

    @model_validator(mode="after")
    def _id_or_name(self) -> "CreatorRef":
        if self.id is None and self.name is None:
            raise FieldError(
                Text("作者の id も name もありません。", "a creator needs an id or a name."),
                Text("id: hokusai のように作者 ID を書くか、name: を書いてください。",
                     "write id: (from archive/creators.yml) or name:."),
            )
        return self


class DateSpan(Model):
    """The date as written on or about the item, and as a range of years for sorting."""

    text: OneLine = Field(min_length=1)
    start: int | None = Field(default=None, ge=-3000, le=2200)
    end: int | None = Field(default=None, ge=-3000, le=2200)

    @model_validator(mode="before")
    @classmethod
    def _years_from_text(cls, data: Any) -> Any:
        # 安政4年 needs no start/end: they are read from the text. Years written out win; a
        # text that cannot be read keeps start/end empty (content loading warns about it).
        # `date: 安政4年` or `date: 1857` on its own is the text.
        if isinstance(data, (str, int)) and not isinstance(data, bool):
            data = {"text": str(data)}
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            if data.get("start") is None and data.get("end") is None:
                parsed = parse_date(data["text"])
                if parsed is not None:
                    data = {**data, "start": parsed.start, "end": parsed.end}
            elif data.get("end") is None:
                data = {**data, "end": data["start"]}
            elif data.get("start") is None:
                data = {**data, "start": data["end"]}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> "DateSpan":
        if self.start is not None and self.end is not None and self.end < self.start:
            raise FieldError(
                Text(f"終わりの年（{self.end}）が始まりの年（{self.start}）より前です。",
                     f"the end year ({self.end}) is before the start year ({self.start})."),
                Text("start と end を入れ替えてください。", "swap start and end."),
            )
        return self


class Place(Model):
    name: LangLineStr
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _both(self) -> "Place":
        if (self.lat is None) != (self.lon is None):
            raise FieldError(
                Text("緯度（lat）と経度（lon）は両方書くか、両方とも書かないでください。",
                     "give both lat and lon, or neither."),
                Text("地図で場所を右クリックすると両方の値が得られます。",
                     "a map's 'what's here' gives both values."),
            )
        return self

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None


class Dimensions(Model):
    height_cm: float = Field(gt=0)
    width_cm: float = Field(gt=0)
    note: CleanStr | None = None


class Source(Model):
    """Where the item or its scan comes from: the attribution IIIF viewers show."""

    institution: LangLineStr
    url: URL | None = None
    credit: LangStr | None = None


class ControlPoint(Model):
    """A pixel of the scan (from its top left corner) and where that spot is on the earth."""

    x: float = Field(ge=0)
    y: float = Field(ge=0)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class ScanRef(Model):
    file: ScanName
    label: LangLineStr | None = None
    page: int | None = Field(default=None, ge=0)  # TIFF page to use (multi-page scans); first by default
    # Ground control points of a map sheet: three or more, not all on one line, make the
    # sheet georeferenced (an Allmaps-readable annotation is published with its manifest).
    gcps: list[ControlPoint] | None = None

    @model_validator(mode="after")
    def _enough_points(self) -> "ScanRef":
        if self.gcps is None:
            return self
        if len(self.gcps) < 3:
            raise FieldError(
                Text(f"基準点（gcps）が{len(self.gcps)}個しかありません。地図を重ねるには3個以上いります。",
                     f"only {len(self.gcps)} ground control point(s) (gcps); overlaying the map needs three or more."),
                Text("画像上の点（x, y）と今の地図での位置（lat, lon）の組を3つ以上、離れた場所で書いてください。",
                     "give three or more pairs of a scan pixel (x, y) and its place today (lat, lon), far apart."),
            )
        a, b = self.gcps[0], self.gcps[1]
        if all(abs((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)) < 1e-9 for p in self.gcps[2:]):
            raise FieldError(
                Text("基準点（gcps）が画像の上で一直線に並んでいて、地図を重ねられません。",
                     "the ground control points (gcps) lie on one line in the scan, so the map cannot be overlaid."),
                Text("一直線に並ばない点（例: 地図の三つの角の近く）を選んでください。",
                     "choose points that are not on one line (for example near three corners of the map)."),
            )
        return self


class Item(Model):
    id: Annotated[Slug, not_reserved("items")]
    type: ItemType
    title: Title
    series: Slug | None = None
    creators: list[CreatorRef] = []
    date: DateSpan | None = None
    place: Place | None = None
    dimensions: Dimensions | None = None
    medium: LangLineStr | None = None
    subjects: list[OneLine] = []
    description: LangStr | None = None
    rights: RightsURI
    source: Source | None = None
    # Empty while an item is catalogued but not yet scanned: its page shows the record only.
    images: list[ScanRef] = []
    # How IIIF viewers show the scans; by default from the type (see viewing()).
    viewing_direction: ViewingDirection | None = None
    behavior: Behavior | None = None
    start: ScanName | None = None  # the scan a viewer opens at (one of images' files); the first by default

    @model_validator(mode="after")
    def _unique_images(self) -> "Item":
        seen: set[str] = set()
        for scan in self.images:
            if scan.file in seen:
                raise FieldError(
                    Text(f"画像「{scan.file}」が2回書かれています。", f"the scan '{scan.file}' is listed twice."),
                    Text("重複している行を消してください。", "remove the repeated entry."),
                )
            seen.add(scan.file)
        if self.start is not None and self.start not in seen:
            names = ", ".join(sorted(seen)) or "-"
            raise FieldError(
                Text(f"start の「{self.start}」は images に書かれていません。",
                     f"start names '{self.start}', which is not among the images."),
                Text(f"images の file のどれか（{names}）を書くか、start を消してください。",
                     f"write one of the images' files ({names}), or remove start."),
            )
        return self

    def viewing(self) -> tuple[str, str]:
        """(behavior, viewingDirection) for IIIF: the record's, else the defaults: a book is
        shown as pages, every other type one by one; pages and a continuous strip (a scroll,
        behavior: continuous) read from right to left, as Japanese books and scrolls do."""
        behavior = self.behavior or ("paged" if self.type == "book" else "individuals")
        direction = self.viewing_direction or ("right-to-left" if behavior in ("paged", "continuous")
                                               else "left-to-right")
        return behavior, direction
