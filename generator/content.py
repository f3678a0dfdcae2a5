"""Load & validate: every record, lesson and schedule file becomes a typed model, or a Problem.

All problems are collected (a librarian fixes ten typos in one pass, not ten runs):
load_content raises them together as ContentErrors when any is an error, and returns the
warnings on Content. Cross-file rules (duplicate ids, missing scans, unknown
venues) live here because a single model cannot see them.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from pydantic import BaseModel, ValidationError

from .cache import Family, write_atomic
from .errors import ContentErrors, Problem, Text
from .librarian.authorities import load_authorities
from .librarian.plausibility import content_problems
from .models.archive import Item, ScanRef
from .models.common import clean_text, problems_from_validation
from .models.lessons import Lesson, LessonMeta
from .lessons import check_lessons
from .models.schedule import Course, Venue
from .schedule.validate import check_schedule
from .yamlfile import LineMap, load_yaml, parse_yaml, read_utf8, split_front_matter

# Files in archive/ that are not item records (name authorities, kept by librarians).
AUTHORITY_FILES = {"creators.yml", "series.yml"}
M = TypeVar("M", bound=BaseModel)


@dataclass
class Content:
    root: Path
    items: list[Item] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    venues: list[Venue] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    # Name authorities from archive/creators.yml and archive/series.yml, by id.
    creators: dict[str, Any] = field(default_factory=dict)
    series: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # warnings that did not stop the build
    # Where an item's record is when it is not archive/<id>.yml (for messages from later
    # stages): id -> repo-relative path. load_content fills none; readers fall back to that.
    sources: dict[str, str] = field(default_factory=dict)

    def scan_path(self, item: Item, scan: ScanRef) -> Path:
        return self.root / "images" / item.id / scan.file

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def authorities_key(self, item: Item) -> str:
        """The authority entries an item's pages and manifest show (its creators, its series):
        part of the cache keys of what is made from the item."""
        creators = [self.creators.get(ref.id) if ref.id and self.creators else None for ref in item.creators]
        series = self.series.get(item.series) if item.series and self.series else None
        return repr((creators, series))


def _validate(model: type[M], data: Any, rel: str, lines: LineMap, problems: list[Problem],
              prefix: tuple = ()) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, rel, lines, model, prefix))
        return None


def _guard(problems: list[Problem], fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ContentErrors as exc:
        problems.extend(exc.problems)
        return None


def _not_a_mapping(rel: str) -> Problem:
    return Problem(rel, Text("ファイルの中身が「項目: 値」の形になっていません。",
                             "the file does not hold fields (name: value)."),
                   Text("見本（archive/ の他のファイル）を写して書き直してください。",
                        "start from a copy of a working file and edit it."), line=1)


def _readable_names(paths: list[Path], root: Path, problems: list[Problem]) -> list[Path]:
    """The paths whose names are text and that are plain files: a name saved in another
    encoding (Shift_JIS from an old Windows tool, say) cannot become an id or an address, and
    a link, pipe or folder under a content name is not content; each is reported, not skipped."""
    out = []
    for path in paths:
        if not path.is_symlink() and not path.is_file():  # a folder or pipe named x.yml (links: read_utf8 says)
            problems.append(Problem(
                os.fsencode(path.relative_to(root)).decode("utf-8", "backslashreplace"),
                Text("普通のファイルではありません（フォルダや特殊なファイルです）。",
                     "this is not a regular file (it is a folder, a pipe or a device)."),
                Text("この名前のものを消すか、普通のテキストファイルにしてください。",
                     "remove it, or replace it with a plain text file.")))
            continue
        try:
            path.name.encode("utf-8")
        except UnicodeEncodeError:
            shown = os.fsencode(path.relative_to(root)).decode("utf-8", "backslashreplace")
            problems.append(Problem(
                shown, Text("ファイル名が UTF-8 の文字ではありません（別の文字コードで名付けられています）。",
                            "the file name is not UTF-8 text (it was named in another encoding)."),
                Text("ファイル名を半角英小文字・数字・「-」だけの名前に変えてください（例: hokusai-great-wave.yml）。",
                     "rename the file using only a-z, 0-9 and '-' (e.g. hokusai-great-wave.yml).")))
            continue
        out.append(path)
    return out


def _load_record(model: type[M], path: Path, rel: str, problems: list[Problem]) -> tuple[M | None, LineMap]:
    """One YAML file holding one record: the validated model (None after a problem) and its lines."""
    loaded = _guard(problems, lambda: load_yaml(path, rel))
    if loaded is None:
        return None, {}
    data, lines = loaded
    if not isinstance(data, dict):
        problems.append(_not_a_mapping(rel))
        return None, lines
    return _validate(model, data, rel, lines, problems), lines


class _LinesOnDemand:
    """The line map of a record read from the cache: parsed only if a message needs a line."""

    def __init__(self, path: Path, rel: str) -> None:
        self.path, self.rel, self.lines = path, rel, None

    def get(self, key: tuple, default: Any = None) -> Any:
        if self.lines is None:
            try:
                self.lines = load_yaml(self.path, self.rel)[1]
            except ContentErrors:
                self.lines = {}
        return self.lines.get(key, default)


class _ItemCache:
    """Validated records from the last build, keyed by their file's bytes, so that a rebuild
    after one fix does not read and check every YAML file again. Only records that passed
    every check are kept; the cache is specific to the models' code, and any doubt about it
    means reading the files. It is kept in SHARDS files by file name, so that one changed
    record rewrites one shard, not the whole cache."""

    SHARDS = 32

    def __init__(self, root: Path) -> None:
        models = Path(__file__).parent / "models"
        h = hashlib.sha256()
        for path in sorted(models.glob("*.py")) + [Path(__file__)]:
            h.update(path.read_bytes())
        self.folder = root / ".cache" / "content" / f"items-{h.hexdigest()[:16]}"
        self.before: list[dict[str, tuple[bytes, Item]]] = []
        for n in range(self.SHARDS):
            try:
                self.before.append(pickle.loads((self.folder / f"{n}.pickle").read_bytes()))
            except Exception:  # missing, older or damaged: read those files
                self.before.append({})
        self.now: list[dict[str, tuple[bytes, Item]]] = [{} for _ in range(self.SHARDS)]

    def _shard(self, name: str) -> int:
        return zlib.crc32(name.encode("utf-8")) % self.SHARDS

    def get(self, name: str, digest: bytes) -> Item | None:
        hit = self.before[self._shard(name)].get(name)
        return hit[1] if hit and hit[0] == digest else None

    def put(self, name: str, digest: bytes, item: Item) -> None:
        self.now[self._shard(name)][name] = (digest, item)

    def save(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            Family(self.folder.parent.parent, "content").prune({self.folder.name})  # other versions of the models' code
            for n, (now, before) in enumerate(zip(self.now, self.before)):
                if {k: v[0] for k, v in now.items()} == {k: v[0] for k, v in before.items()}:
                    continue  # the same files (the item of a file's bytes is the same)
                write_atomic(self.folder / f"{n}.pickle", pickle.dumps(now, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written only costs time


def load_items(root: Path, problems: list[Problem]) -> list[Item]:
    items: list[Item] = []
    seen: dict[str, str] = {}
    folder = root / "archive"
    cache = _ItemCache(root)
    for path in _readable_names(sorted(folder.glob("*.yml")) if folder.is_dir() else [], root, problems):
        if path.name in AUTHORITY_FILES:
            continue
        rel = path.relative_to(root).as_posix()
        try:
            digest = b"" if path.is_symlink() else hashlib.sha1(path.read_bytes()).digest()
        except OSError:
            digest = b""
        item = cache.get(path.name, digest)
        if item is not None:
            lines: Any = _LinesOnDemand(path, rel)
        else:
            item, lines = _load_record(Item, path, rel, problems)
            if item is None:
                continue
        if item.id in seen:
            problems.append(Problem(
                rel, Text(f"ID「{item.id}」は {seen[item.id]} でも使われています。",
                          f"the id '{item.id}' is already used by {seen[item.id]}."),
                Text("ID はファイル名と同じにし、資料ごとに違うものにしてください。",
                     "give each item its own id, the same as its file name."),
                field="id", line=lines.get(("id",))))
            continue
        if item.id != path.stem:
            problems.append(Problem(
                rel, Text(f"ID「{item.id}」がファイル名「{path.stem}」と違います。",
                          f"the id '{item.id}' does not match the file name '{path.stem}'."),
                Text(f"ファイル名を {item.id}.yml にするか、id を {path.stem} にしてください。",
                     f"rename the file to {item.id}.yml or set id: {path.stem}."),
                field="id", line=lines.get(("id",))))
            continue
        seen[item.id] = rel
        if _check_scans(root, item, rel, lines, problems):
            items.append(item)
            if digest:
                cache.put(path.name, digest, item)
    cache.save()
    return items


def _check_scans(root: Path, item: Item, rel: str, lines: LineMap, problems: list[Problem]) -> bool:
    folder = root / "images" / item.id
    ok = True
    for i, scan in enumerate(item.images):
        path = folder / scan.file
        where = f"images/{item.id}/{scan.file}"
        if not path.is_file():
            line = lines.get(("images", i, "file")) or lines.get(("images", i))
            present = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
            hint_ja = (f"そのフォルダにあるのは: {', '.join(present)}" if present
                       else f"images/{item.id}/ フォルダを作り、画像を入れてください")
            hint_en = (f"the folder holds: {', '.join(present)}" if present
                       else f"create images/{item.id}/ and put the scan in it")
            problems.append(Problem(
                rel, Text(f"画像ファイル {where} が見つかりません。", f"the scan {where} does not exist."),
                Text(f"ファイル名を確かめてください（{hint_ja}）。", f"check the file name ({hint_en})."),
                field=f"images[{i}].file", line=line))
            ok = False
            continue
        # A symlink may point anywhere on the librarian's disk: publish only what is inside images/.
        real = path.resolve()
        if not real.is_relative_to((root / "images").resolve()):
            line = lines.get(("images", i, "file")) or lines.get(("images", i))
            problems.append(Problem(
                rel, Text(f"{where} は images/ の外を指すリンクです。", f"{where} is a link to a file outside images/."),
                Text("リンクではなく、画像そのものを images/ に置いてください。",
                     "put the scan itself into images/, not a link to it."),
                field=f"images[{i}].file", line=line))
            ok = False
    return ok


def load_lessons(root: Path, problems: list[Problem]) -> list[Lesson]:
    lessons: list[Lesson] = []
    folder = root / "lessons"
    for path in _readable_names(sorted(folder.glob("*.md")) if folder.is_dir() else [], root, problems):
        if path.name.upper() == "README.MD":
            continue
        rel = path.relative_to(root).as_posix()

        def parse(path: Path = path, rel: str = rel) -> Lesson | None:
            text = read_utf8(path, rel)
            front, body, body_line = split_front_matter(text, rel)
            body = clean_text(body)  # no control characters into pages
            data, lines = parse_yaml(front, rel, line_offset=1)
            if not isinstance(data, dict):
                raise ContentErrors([_not_a_mapping(rel)])
            meta = _validate(LessonMeta, data, rel, lines, problems)
            if meta is None:
                return None
            return _validate(Lesson, {"slug": path.stem, "meta": meta, "body": body,
                                      "body_line": body_line, "source": rel}, rel, {(): 1}, problems)

        lesson = _guard(problems, parse)
        if lesson is not None:
            lessons.append(lesson)
    problems.extend(check_lessons(lessons, root))  # format errors, readability warnings
    return lessons


def load_schedule(root: Path, problems: list[Problem], lesson_slugs: set[str]) -> tuple[list[Venue], list[Course]]:
    folder = root / "lessons" / "schedule"
    venues: list[Venue] = []
    courses: list[Course] = []
    venues_path = folder / "venues.yml"
    if venues_path.exists():
        rel = venues_path.relative_to(root).as_posix()
        loaded = _guard(problems, lambda: load_yaml(venues_path, rel))
        if loaded is not None:
            data, lines = loaded
            if not isinstance(data, list):
                problems.append(Problem(rel, Text("会場の一覧（「- id: …」の箇条書き）になっていません。",
                                                  "the file is not a list of venues ('- id: …')."), line=1))
            else:
                for i, entry in enumerate(data):
                    venue = _validate(Venue, entry, rel, lines, problems, prefix=(i,))
                    if venue is not None:
                        venues.append(venue)
    venue_ids = {v.id for v in venues}
    seen_sessions: dict[str, str] = {}
    courses_folder = folder / "courses"
    for path in _readable_names(sorted(courses_folder.glob("*.yml")) if courses_folder.is_dir() else [], root, problems):
        rel = path.relative_to(root).as_posix()
        course, lines = _load_record(Course, path, rel, problems)
        if course is None:
            continue
        bad = False
        for j, slug in enumerate(course.lessons):
            if slug not in lesson_slugs:
                bad = True
                problems.append(Problem(
                    rel, Text(f"レッスン「{slug}」は lessons/ にありません。", f"there is no lesson '{slug}' in lessons/."),
                    Text(f"lessons/{slug}.md を作るか、名前を確かめてください（ある: {', '.join(sorted(lesson_slugs))}）。",
                         f"create lessons/{slug}.md or check the name (existing: {', '.join(sorted(lesson_slugs))})."),
                    field=f"lessons[{j}]", line=lines.get(("lessons", j))))
        for j, session in enumerate(course.sessions):
            if session.venue not in venue_ids:
                bad = True
                problems.append(Problem(
                    rel, Text(f"会場「{session.venue}」は venues.yml にありません。",
                              f"there is no venue '{session.venue}' in venues.yml."),
                    Text(f"lessons/schedule/venues.yml に加えるか、次から選んでください: {', '.join(sorted(venue_ids))}",
                         f"add it to lessons/schedule/venues.yml or use one of: {', '.join(sorted(venue_ids))}"),
                    field=f"sessions[{j}].venue", line=lines.get(("sessions", j, "venue"))))
            if session.id in seen_sessions:
                bad = True
                problems.append(Problem(
                    rel, Text(f"回の ID「{session.id}」は {seen_sessions[session.id]} でも使われています。",
                              f"the session id '{session.id}' is already used in {seen_sessions[session.id]}."),
                    Text("回ごとに違う ID にしてください。", "give every session its own id."),
                    field=f"sessions[{j}].id", line=lines.get(("sessions", j, "id"))))
            seen_sessions[session.id] = rel
        if course.id != path.stem:
            bad = True
            problems.append(Problem(
                rel, Text(f"ID「{course.id}」がファイル名「{path.stem}」と違います。",
                          f"the id '{course.id}' does not match the file name '{path.stem}'."),
                Text(f"ファイル名を {course.id}.yml にするか、id を {path.stem} にしてください。",
                     f"rename the file to {course.id}.yml or set id: {path.stem}."),
                field="id", line=lines.get(("id",))))
        if not bad:
            courses.append(course)
    return venues, courses


def load_content(root: Path) -> Content:
    """Load everything; raise ContentErrors listing every error (warnings stay on Content)."""
    problems: list[Problem] = []
    items = load_items(root, problems)
    creators, series = load_authorities(root, items, problems)  # creators.yml, series.yml; references
    lessons = load_lessons(root, problems)
    venues, courses = load_schedule(root, problems, {lesson.slug for lesson in lessons})
    problems.extend(check_schedule(root, venues, courses))  # dates, rooms, clashes: schedule/validate.py
    problems.extend(content_problems(root, items, creators, courses))  # unlikely facts: librarian/plausibility.py
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ContentErrors(problems)
    return Content(root=root, items=items, lessons=lessons, venues=venues, courses=courses, problems=problems,
                   creators=creators, series=series)
