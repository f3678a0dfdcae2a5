"""What the site has published before: lessons/schedule/published.json.

Calendar clients replace an event they already hold only when its SEQUENCE rises, and Atom
readers want to know what is new or changed and when. Both need memory across builds that
survives a fresh clone and does not depend on the clock, so it is a small JSON file kept in
git beside the schedule (not in .cache/, which a clone does not have):

    {"sessions": {"<session-id>": {"fingerprint": "…", "sequence": 2,
                                   "first": "2026-10-01", "changed": "2026-11-20"}},
     "items": {"<item-id>": {"first": "2026-11-20"}},
     "manifests": {"<item-id>": {"fingerprint": "…", "created": "…", "changed": "…", "deleted": "…"}}}

(`manifests` is kept by generator/iiif/discovery.py for the IIIF Change Discovery stream.)

A build compares each session's fingerprint (everything a calendar shows about it) with
the record: unchanged -> same SEQUENCE and dates, so two builds give identical feeds;
changed -> SEQUENCE + 1 and changed = the build date. The file is rewritten only when
something changed, only after the whole build succeeded, and only by a real publish (site/
for the configured URL and today's date, never a preview); commit it with the content.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cache import write_atomic
from ..errors import BuildError, Text
from ..models.schedule import Course, Session, Venue

LEDGER = Path("lessons") / "schedule" / "published.json"


@dataclass
class Record:
    fingerprint: str
    sequence: int
    first: dt.date
    changed: dt.date


@dataclass
class ManifestRecord:
    fingerprint: str
    created: dt.date
    changed: dt.date
    deleted: dt.date | None = None


@dataclass
class Ledger:
    sessions: dict[str, Record] = field(default_factory=dict)
    items: dict[str, dt.date] = field(default_factory=dict)
    manifests: dict[str, ManifestRecord] = field(default_factory=dict)
    dirty: bool = False

    def to_json(self) -> str:
        data = {
            "sessions": {k: {"fingerprint": r.fingerprint, "sequence": r.sequence, "first": r.first.isoformat(),
                             "changed": r.changed.isoformat()} for k, r in sorted(self.sessions.items())},
            "items": {k: {"first": d.isoformat()} for k, d in sorted(self.items.items())},
        }
        if self.manifests:
            data["manifests"] = {k: {"fingerprint": r.fingerprint, "created": r.created.isoformat(),
                                     "changed": r.changed.isoformat(),
                                     **({"deleted": r.deleted.isoformat()} if r.deleted else {})}
                                 for k, r in sorted(self.manifests.items())}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def read(root: Path) -> Ledger:
    path = root / LEDGER
    if not path.exists():
        return Ledger()
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        sessions = {k: Record(v["fingerprint"], int(v["sequence"]), dt.date.fromisoformat(v["first"]),
                              dt.date.fromisoformat(v["changed"])) for k, v in data.get("sessions", {}).items()}
        items = {k: dt.date.fromisoformat(v["first"]) for k, v in data.get("items", {}).items()}
        manifests = {k: ManifestRecord(v["fingerprint"], dt.date.fromisoformat(v["created"]),
                                       dt.date.fromisoformat(v["changed"]),
                                       dt.date.fromisoformat(v["deleted"]) if v.get("deleted") else None)
                     for k, v in data.get("manifests", {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BuildError(
            Text(f"{LEDGER.as_posix()} が壊れています。", f"{LEDGER.as_posix()} is damaged."),
            Text("git で前の版に戻してください（git checkout で元に戻せます）。",
                 "restore it from git (its last committed version)."))
    return Ledger(sessions, items, manifests)


def fingerprint(course: Course, session: Session, venue: Venue) -> str:
    """Everything a subscriber's calendar shows about a session, hashed."""
    shown = {
        "session": session.model_dump(mode="json"),
        "course": course.model_dump(mode="json", include={"title", "description", "fee", "apply", "capacity"}),
        "venue": venue.model_dump(mode="json", include={"name", "address", "lat", "lon"}),
    }
    return hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def update(ledger: Ledger, courses: list[Course], venues: dict[str, Venue], item_ids: list[str],
           today: dt.date) -> Ledger:
    """Record this build's sessions and items; bump SEQUENCE of what changed."""
    for course in courses:
        for session in course.sessions:
            fp = fingerprint(course, session, venues[session.venue])
            old = ledger.sessions.get(session.id)
            if old is None:
                ledger.sessions[session.id] = Record(fp, 0, today, today)
                ledger.dirty = True
            elif old.fingerprint != fp:
                ledger.sessions[session.id] = Record(fp, old.sequence + 1, old.first, max(today, old.changed))
                ledger.dirty = True
    for item_id in item_ids:
        if item_id not in ledger.items:
            ledger.items[item_id] = today
            ledger.dirty = True
    return ledger


def save(root: Path, ledger: Ledger) -> None:
    if not ledger.dirty:
        return
    path = root / LEDGER
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, ledger.to_json())
