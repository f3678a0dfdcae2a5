"""The schedule's derive step: occurrences, publication record, feeds and open data.

Render steps read ctx.derived["schedule"]; the publication record is saved by a POST step,
so a build that fails never advances a SEQUENCE that no subscriber has seen.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..content import Content
from ..context import BuildContext
from . import atom, events_csv, ics, ledger
from .occurrences import Occurrence, all_occurrences


@dataclass
class Schedule:
    occurrences: list[Occurrence]
    ledger: ledger.Ledger
    feeds: dict[str, str]  # "all", "course:<id>", "venue:<id>", "session:<id>" -> site path


def derive(content: Content, ctx: BuildContext) -> None:
    venues = {v.id: v for v in content.venues}
    record = ledger.update(ledger.read(ctx.root), content.courses, venues, [i.id for i in content.items], ctx.today)
    feeds = ics.write_calendars(ctx, content.courses, venues, record.sessions)
    occurrences = all_occurrences(content.courses, content.venues)
    events_csv.write(ctx, occurrences)
    atom.write(ctx, content, record)
    ctx.derived["schedule"] = Schedule(occurrences, record, feeds)


def save_ledger(ctx: BuildContext) -> None:
    schedule = ctx.derived.get("schedule")
    if schedule is not None:
        ledger.save(ctx.root, schedule.ledger)
