"""Plausibility: facts that are each valid but unlikely together, so probably a slip.

An item dated outside its creator's lifetime, two items with the same title, a reading written
for another title, a weekly class that runs for one week or for most of a year. `check` prints
them as warnings (file, field, line, how to fix) and `report` lists them for staff. They do not
stop a build, because each has honest exceptions: a restrike is printed after the artist's
death, a library holds two copies of a print, a title has a special reading. The one error is
a weekly rule whose every date is skipped: the session would be missing from every page.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import pickle
import re
import unicodedata
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterable

from ..cache import write_atomic
from ..errors import ContentErrors, Problem, Text
from ..models.archive import ROLE_LABELS, Item
from ..models.authorities import Creator
from ..models.schedule import Course
from ..schedule.occurrences import rule_dates, session_dates
from ..search.normalise import fold, loose, reading
from ..yamlfile import LineMap, load_yaml

# A person makes prints from about this age; a date before it is a slip or another artist of
# the same name (二代, 三代).
FIRST_WORK_AGE = 10
# Roles bound to a person's life. A publisher's house outlived its founder (and kept the name).
LIFETIME_ROLES = {"artist", "author", "carver", "printer", "cartographer", "photographer", "editor"}
# A date text that says the impression is later than the design: no lifetime warning for it.
LATER_IMPRESSION = re.compile(r"後摺|後刷|後版|再摺|再刷|再版|復刻|覆刻|没後|restrike|reprint|later (?:impression|edition|printing)"
                              r"|posthumous|facsimile", re.IGNORECASE)
# A weekly course longer than this is most often a year typed wrong in until (or a count
# with a zero too many): ward classes run for a term.
LONG_WEEKLY = dt.timedelta(days=183)
# Below this similarity between a reading and pykakasi's reading of the title, the reading was
# written for another title. On Edo print titles with their catalogue readings, right
# readings (special ones such as 山下白雨 さんかはくう included) score 0.36 and up, and a reading
# paired with another print's title mostly scores under 0.3 (the length rule catches some of
# the rest). A false alarm on a right reading costs more than a missed stale one, so the line
# sits below every right reading.
READING_SIMILARITY = 0.3
_PARENS = re.compile(r"[(（〔【［\[][^)）〕】］\]]*[)）〕】］\]]")  # （見本）, （後摺）: seldom read aloud
# Kana that spelling and pronunciation write two ways (particles, ぢ/じ, ヶ read か or が).
_SAME_SOUND = str.maketrans("はへをぢづゖゕ", "わえおじずけか")


@dataclass(frozen=True)
class Doubt:
    """One plausibility finding: the report section it belongs to, what it is about, the
    page to look at, and the message check prints."""

    check: str  # lifetime, same-title, reading, weekly
    subject: str  # item id or session id
    page: str  # site path, e.g. items/<id>/ or classes/<course>/
    problem: Problem


# --- readings ------------------------------------------------------------------------------
def _is_kana(c: str) -> bool:
    return "\u3041" <= c <= "\u309f" or c == "ー"


def _kana(text: str) -> str:
    return "".join(c for c in text if _is_kana(c))


def _is_kanji(c: str) -> bool:
    o = ord(c)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF or c in "々〆"


@functools.lru_cache(maxsize=4096)
def _usual(word: str) -> str:
    """pykakasi's reading of a folded word, as compared with a hand-written one."""
    return loose(_kana(reading(word))).translate(_SAME_SOUND)


class TitleFacts:
    """What plausibility knows of titles and readings: whether a reading can be a title's, and
    the form in which two titles are compared. Working them out takes pykakasi and folding
    for every title, so they are kept in .cache/ by the texts themselves: a check reads them,
    and works out only new ones.

    A reading fits its title when it passes two tests, both tolerant of special readings: its
    length (at least one kana a kanji, at most five), and being at least a little like
    pykakasi's reading of the title (READING_SIMILARITY)."""

    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / "librarian" / "title-facts.pickle" if cache_dir else None
        # The facts depend on pykakasi and on the rules here and in the normaliser.
        rules = b"".join((Path(__file__).parent.parent / name).read_bytes()
                         for name in ("librarian/plausibility.py", "search/normalise.py", "search/kana.py"))
        self.key = f"pykakasi {version('pykakasi')} {hashlib.sha256(rules).hexdigest()[:16]}"
        self.before: dict[str, object] = {}
        self.used: dict[str, object] = {}
        if self.path is not None:
            try:
                data = pickle.loads(self.path.read_bytes())
                if data.get("key") == self.key and isinstance(data.get("facts"), dict):
                    self.before = data["facts"]
            except Exception:  # none yet, older or damaged: worked out again
                pass

    def _memo(self, key: str, work: Callable[[], object]) -> object:
        value = self.used.get(key, self.before.get(key))
        if value is None:
            value = work()
        self.used[key] = value
        return value

    def fits(self, title: str, reading: str) -> bool:
        """Whether reading can be the reading of title."""
        return bool(self._memo(f"fits\0{title}\0{reading}", lambda: self._work_fits(title, reading)))

    def title_key(self, title: str) -> str:
        """Two titles are the same when they are after folding (NFKC, kana, old kanji forms,
        case) and without spaces and punctuation; a parenthesis still tells them apart."""
        return str(self._memo(f"title\0{title}", lambda: "".join(
            c for c in fold(title) if not unicodedata.category(c).startswith(("P", "Z", "S"))) or title))

    def _work_fits(self, title: str, reading: str) -> bool:
        t = _PARENS.sub("", fold(title))
        r = fold(reading)
        if not _kana(r) or any(not _is_kana(c) and not unicodedata.category(c).startswith(("P", "Z", "S")) for c in r):
            return True  # a reading with kanji or Latin letters in it: not one to compare
        if not any(_is_kana(c) or _is_kanji(c) for c in t):
            return True  # a title in Latin letters: its reading is a translation, not a reading
        if not self._part_fits(t, r):
            return False
        # "冨嶽三十六景　凱風快晴" read "ふがくさんじゅうろっけい かながわおきなみうら": the series
        # part hides the changed one, so parts are compared too when both are written in parts
        # (parts of three characters or fewer are too short to judge: 朝之景 あさのけい).
        title_parts, reading_parts = t.split(), r.split()
        if len(title_parts) == len(reading_parts) > 1:
            return all(self._part_fits(a, b) for a, b in zip(title_parts, reading_parts) if len(a) >= 4)
        return True

    def _part_fits(self, title: str, reading: str) -> bool:
        said = _kana(reading)
        if not re.search(r"[0-9a-z]", title):  # numbers and Latin letters are read in too many ways
            kanji = sum(_is_kanji(c) for c in title)
            kana = len(_kana(title))
            if not kanji + kana <= len(said) <= 5 * kanji + kana + 2:
                return False
        usual = "".join(_usual(word) for word in title.split())  # each word read once, for whole and parts
        ratio = difflib.SequenceMatcher(None, usual, loose(said).translate(_SAME_SOUND), autojunk=False).ratio()
        return ratio >= READING_SIMILARITY

    def save(self) -> None:
        """Keep what this run used (texts that changed drop out)."""
        if self.path is None or self.used == self.before:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, pickle.dumps({"key": self.key, "facts": self.used}, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written only costs time


# --- items ---------------------------------------------------------------------------------
Lines = Callable[[str, tuple], "int | None"]


def file_lines(root: Path | None) -> Lines:
    """(repo-relative file, field path) -> line; each file is parsed once, when first asked."""
    cache: dict[str, LineMap] = {}

    def line(rel: str, loc: tuple) -> int | None:
        if root is None:
            return None
        if rel not in cache:
            try:
                cache[rel] = load_yaml(root / rel, rel)[1]
            except (ContentErrors, OSError):
                cache[rel] = {}
        return cache[rel].get(loc)

    return line


def item_doubts(items: Iterable[Item], creators: dict[str, Creator], line: Lines, facts: TitleFacts) -> list[Doubt]:
    items = sorted(items, key=lambda i: i.id)
    out: list[Doubt] = []
    first_with: dict[tuple, Item] = {}
    for item in items:
        rel = f"archive/{item.id}.yml"
        page = f"items/{item.id}/"
        out += [Doubt("lifetime", item.id, page, p) for p in _lifetime(item, creators, rel, line)]
        # Same title, type and series: a record made twice, or two copies that readers cannot tell apart.
        key = (facts.title_key(item.title.ja), item.type, item.series)
        other = first_with.setdefault(key, item)
        if other is not item:
            out.append(Doubt("same-title", item.id, page, Problem(
                rel, Text(f"タイトル「{item.title.ja}」は archive/{other.id}.yml と同じです（種類とシリーズも同じ）。",
                          f"the title '{item.title.ja}' is the same as that of archive/{other.id}.yml "
                          "(and so are the type and series)."),
                Text("同じ資料なら、記録を一つにまとめてください。別の資料（2枚目、後摺など）なら、"
                     "見分けられるようにタイトルに書き足してください（例: 神奈川沖浪裏（後摺））。",
                     "if they are one item, merge the two records; if they are two (a second copy, a later "
                     "impression), add to the title what tells them apart, e.g. 神奈川沖浪裏（後摺）."),
                field="title.ja", line=line(rel, ("title", "ja")), severity="warning")))
        reading = item.title.reading
        if reading and not facts.fits(item.title.ja, reading):
            out.append(Doubt("reading", item.id, page, Problem(
                rel, Text(f"読み「{reading}」は、タイトル「{item.title.ja}」の読みには見えません（タイトルを変えたときに読みが前のままになっていませんか）。",
                          f"the reading '{reading}' does not look like a reading of the title '{item.title.ja}' "
                          "(was the title changed and the reading left as it was?)."),
                Text("reading をタイトルに合わせて直してください。特別な読み方で正しいなら、そのままで構いません。",
                     "correct the reading to match the title; if it is right (a special reading), leave it."),
                field="title.reading", line=line(rel, ("title", "reading")), severity="warning")))
    return out


def _lifetime(item: Item, creators: dict[str, Creator], rel: str, line: Lines) -> list[Problem]:
    date = item.date
    if date is None or date.start is None or date.end is None or LATER_IMPRESSION.search(date.text):
        return []
    out = []
    for j, ref in enumerate(item.creators):
        person = creators.get(ref.id) if ref.id else None
        if person is None or ref.role not in LIFETIME_ROLES:
            continue
        role_ja, role_en = ROLE_LABELS[ref.role]
        who_ja, who_en = f"{role_ja}の{person.name.ja}（{person.life()}）", f"the {role_en} {person.name.get('en')} ({person.life()})"
        when = f"「{date.text}」（{_years(date.start, date.end)}年）"
        when_en = f"{date.text} ({_years(date.start, date.end)})"
        died_before = person.died is not None and date.start > person.died
        too_young = person.born is not None and date.end < person.born + FIRST_WORK_AGE
        if not (died_before or too_young):
            continue
        at = dict(field="date.text", line=line(rel, ("date", "text")) or line(rel, ("date",)), severity="warning")
        if died_before:
            out.append(Problem(
                rel, Text(f"年代{when}は、{who_ja}が亡くなった後です。", f"the date {when_en} is after the death of {who_en}."),
                Text(f"年代と作者（creators[{j}]）を確かめてください。没後の後摺なら、年代にそう書いてください"
                     f"（例: date: {{text: {date.text}（後摺）, start: {date.start}}}）。",
                     f"check the date and the creator (creators[{j}]). If it is a later impression printed after "
                     f"the death, say so in the date, e.g. date: {{text: {date.text} (後摺), start: {date.start}}}."),
                **at))
        else:
            out.append(Problem(
                rel, Text(f"年代{when}は、{who_ja}が{FIRST_WORK_AGE}歳になる前です。",
                          f"the date {when_en} is before {who_en} was {FIRST_WORK_AGE} years old."),
                Text(f"年代と作者（creators[{j}]）を確かめてください（同じ名の別の人、たとえば初代・二代の取り違えではありませんか）。",
                     f"check the date and the creator (creators[{j}]): is it another person of the same name "
                     "(the first or second of the name)?"),
                **at))
    return out


def _years(start: int, end: int) -> str:
    return str(start) if start == end else f"{start}–{end}"


# --- schedules -----------------------------------------------------------------------------
def session_doubts(courses: Iterable[Course], line: Lines) -> list[Doubt]:
    out: list[Doubt] = []
    for course in courses:
        rel = f"lessons/schedule/courses/{course.id}.yml"
        page = f"classes/{course.id}/"
        for j, session in enumerate(course.sessions):
            rule = session.weekly
            if rule is None:
                continue
            dates = rule_dates(session)
            ends_by = "until" if rule.until is not None else "count"
            at = dict(field=f"sessions[{j}].weekly.{ends_by}", line=line(rel, ("sessions", j, "weekly", ends_by)))
            if not session_dates(session):
                out.append(Doubt("weekly", session.id, page, Problem(
                    rel, Text(f"回「{session.id}」の日付はすべて休み（skip）になっていて、教室が1回もありません。",
                              f"every date of the session '{session.id}' is skipped: it has no class at all."),
                    Text("skip から授業のある日を消すか、この回を消してください（告知後の中止なら exceptions に cancelled: true）。",
                         "remove the class days from skip, or remove the session (a class called off after it was "
                         "announced is an exception with cancelled: true)."),
                    field=f"sessions[{j}].weekly.skip", line=line(rel, ("sessions", j, "weekly", "skip")))))
            elif len(dates) == 1:
                out.append(Doubt("weekly", session.id, page, Problem(
                    rel, Text(f"毎週の回「{session.id}」は {dates[0]} の1回だけです（{ends_by} を確かめてください）。",
                              f"the weekly session '{session.id}' has one class only, on {dates[0]} (check {ends_by})."),
                    Text(f"1回だけなら weekly の代わりに date: {dates[0]} と書いてください。毎週なら until の日付か count を直してください。",
                         f"for a one-off class write date: {dates[0]} instead of weekly; for a weekly course "
                         "correct until or count."),
                    severity="warning", **at)))
            elif dates[-1] - dates[0] > LONG_WEEKLY:
                months = round((dates[-1] - dates[0]).days / 30.4)
                out.append(Doubt("weekly", session.id, page, Problem(
                    rel, Text(f"毎週の回「{session.id}」は {dates[0]} から {dates[-1]} まで約{months}か月、{len(dates)}回あります。",
                              f"the weekly session '{session.id}' runs about {months} months, {len(dates)} classes "
                              f"from {dates[0]} to {dates[-1]}."),
                    Text(f"{ends_by} の年や数を確かめてください（例: until の年の打ち間違い）。この長さで正しいなら、そのままで構いません。",
                         f"check the year or number in {ends_by} (a mistyped year?). If the course really is this long, "
                         "leave it."),
                    severity="warning", **at)))
    return out


def content_problems(root: Path, items: list[Item], creators: dict[str, Creator], courses: list[Course]) -> list[Problem]:
    """What `check` (load & validate) reports of all this: warnings, and the one error."""
    line = file_lines(root)
    facts = TitleFacts(root / ".cache")
    doubts = item_doubts(items, creators, line, facts) + session_doubts(courses, line)
    facts.save()
    return [d.problem for d in doubts]
